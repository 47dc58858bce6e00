package pinn

import (
	"math"
	"testing"
)

// burgersFD solves u_t + (u²/2)_x = ν u_xx on x ∈ [−1, 1] with u(±1) = 0 and
// u(x,0) = −sin πx by second-order central differences in space and the
// classical RK4 in time, on n intervals, and returns the grid values at each
// of the requested times (ascending). It is an independent check of the
// Cole–Hopf reference.
func burgersFD(nu float64, n int, times []float64) [][]float64 {
	dx := 2 / float64(n)
	u := make([]float64, n+1)
	for j := range u {
		u[j] = -math.Sin(math.Pi * (-1 + float64(j)*dx))
	}
	u[0], u[n] = 0, 0
	rhs := func(u, du []float64) {
		du[0], du[n] = 0, 0
		for j := 1; j < n; j++ {
			f := (u[j+1]*u[j+1] - u[j-1]*u[j-1]) / (4 * dx)
			du[j] = -f + nu*(u[j+1]-2*u[j]+u[j-1])/(dx*dx)
		}
	}
	// Stable step: diffusion (RK4 limit ≈ 2.78/(4ν/dx²)) and advection.
	dtMax := math.Min(0.5*dx*dx/nu, 0.5*dx)
	k1, k2, k3, k4, tmp := make([]float64, n+1), make([]float64, n+1), make([]float64, n+1), make([]float64, n+1), make([]float64, n+1)
	out := make([][]float64, 0, len(times))
	t := 0.0
	for _, tEnd := range times {
		steps := int(math.Ceil((tEnd - t) / dtMax))
		dt := (tEnd - t) / float64(steps)
		for s := 0; s < steps; s++ {
			rhs(u, k1)
			for j := range u {
				tmp[j] = u[j] + 0.5*dt*k1[j]
			}
			rhs(tmp, k2)
			for j := range u {
				tmp[j] = u[j] + 0.5*dt*k2[j]
			}
			rhs(tmp, k3)
			for j := range u {
				tmp[j] = u[j] + dt*k3[j]
			}
			rhs(tmp, k4)
			for j := range u {
				u[j] += dt / 6 * (k1[j] + 2*k2[j] + 2*k3[j] + k4[j])
			}
		}
		t = tEnd
		out = append(out, append([]float64(nil), u...))
	}
	return out
}

// TestGaussHermiteMoments checks the rule on the Gaussian moments
// ∫ e^{−z²} z^{2k} dz = Γ(k + 1/2), exact for 2k ≤ 2n − 1; tolerance 1e-12
// relative, round-off of the eigen-solver.
func TestGaussHermiteMoments(t *testing.T) {
	for _, n := range []int{1, 2, 5, 20, 100} {
		z, w, err := GaussHermite(n)
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; 2*k <= 2*n-1 && k <= 12; k++ {
			var s float64
			for i := range z {
				s += w[i] * math.Pow(z[i], float64(2*k))
			}
			want := math.Gamma(float64(k) + 0.5)
			if math.Abs(s-want) > 1e-12*want {
				t.Errorf("n=%d: moment z^%d = %.15g, want %.15g", n, 2*k, s, want)
			}
		}
	}
	// The 3-node rule in closed form: nodes 0, ±√(3/2); weights 2√π/3, √π/6.
	z, w, _ := GaussHermite(3)
	if math.Abs(z[2]-math.Sqrt(1.5)) > 1e-14 || math.Abs(w[1]-2*math.SqrtPi/3) > 1e-14 || math.Abs(w[0]-math.SqrtPi/6) > 1e-14 {
		t.Errorf("3-node rule: nodes %v weights %v", z, w)
	}
	if _, _, err := GaussHermite(0); err == nil {
		t.Error("GaussHermite(0): no error")
	}
}

// TestBurgersAgainstFiniteDifferences compares the Cole–Hopf solution with
// an independent fine-grid finite-difference solve at t = 0.25, 0.5, 0.75, 1.
// The solver is second order in space (measured: the maximum difference
// falls 4× from 1000 to 2000 to 4000 intervals, to 3e-4 at 4000), so the
// Richardson extrapolation (4·u_2000 − u_1000)/3 removes the dx² term; the
// remaining difference must stay below 1e-4: 10× smaller than the
// 2000-interval solve's own error and 10× below the PINN errors it judges.
func TestBurgersAgainstFiniteDifferences(t *testing.T) {
	times := []float64{0.25, 0.5, 0.75, 1}
	coarse := burgersFD(BurgersNu, 1000, times)
	fine := burgersFD(BurgersNu, 2000, times)
	b, err := NewBurgers(BurgersNu, 0)
	if err != nil {
		t.Fatal(err)
	}
	for k, tt := range times {
		var mx, mxFine float64
		for j := 0; j <= 1000; j++ {
			x := -1 + 2*float64(j)/1000
			rich := (4*fine[k][2*j] - coarse[k][j]) / 3
			u := b.U(x, tt)
			mx = math.Max(mx, math.Abs(u-rich))
			mxFine = math.Max(mxFine, math.Abs(u-fine[k][2*j]))
		}
		t.Logf("t=%.2f: max |Cole–Hopf − FD(2000)| = %.2g, − Richardson = %.2g", tt, mxFine, mx)
		if mx > 1e-4 {
			t.Errorf("t=%.2f: Cole–Hopf and extrapolated FD differ by %.3g (> 1e-4)", tt, mx)
		}
	}
}

// TestBurgersSteepestSlope checks the published value of Basdevant et al.
// (1986, Computers & Fluids 14, 23–41) for this problem: the largest slope
// |∂u/∂x| at x = 0 is 152.00516, reached at t = 1.6037/π. Tolerances: 1e-5
// relative on the slope (the published value has 8 digits; the quadrature
// is good to 1e-14) and 1e-4 on t·π, the published rounding.
func TestBurgersSteepestSlope(t *testing.T) {
	b, err := NewBurgers(BurgersNu, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Golden-section search for the maximum of |u_x(0, t)| on [0.45, 0.55].
	f := func(t float64) float64 { return math.Abs(b.Ux(0, t)) }
	lo, hi := 0.45, 0.55
	g := (math.Sqrt(5) - 1) / 2
	for hi-lo > 1e-9 {
		a, c := hi-g*(hi-lo), lo+g*(hi-lo)
		if f(a) > f(c) {
			hi = c
		} else {
			lo = a
		}
	}
	tm := (lo + hi) / 2
	slope := f(tm)
	t.Logf("max |u_x(0,t)| = %.6f at t·π = %.5f", slope, tm*math.Pi)
	if math.Abs(slope-152.00516) > 1e-5*152 {
		t.Errorf("steepest slope %.6f, published 152.00516", slope)
	}
	if math.Abs(tm*math.Pi-1.6037) > 1e-4 {
		t.Errorf("time of the steepest slope t·π = %.5f, published 1.6037", tm*math.Pi)
	}
	// Ux is the analytic derivative of U: check it by a central difference
	// (h = 1e-6; truncation h²·|u_xxx| and round-off 1e-16/h both stay
	// below 1e-5 relative here).
	h := 1e-6
	for _, p := range [][2]float64{{0, 0.4}, {0.3, 0.8}, {-0.7, 0.1}} {
		fd := (b.U(p[0]+h, p[1]) - b.U(p[0]-h, p[1])) / (2 * h)
		if d := b.Ux(p[0], p[1]); math.Abs(d-fd) > 1e-5*math.Max(1, math.Abs(fd)) {
			t.Errorf("Ux(%v, %v) = %.8g, central difference %.8g", p[0], p[1], d, fd)
		}
	}
}

// TestBurgersQuadratureConverges checks that the default rule agrees with a
// 400-node rule to 1e-12 on a grid over [−1, 1] × [0, 1] (measured 1e-14).
func TestBurgersQuadratureConverges(t *testing.T) {
	a, _ := NewBurgers(BurgersNu, 0)
	b, _ := NewBurgers(BurgersNu, 400)
	var mx float64
	for _, tt := range []float64{0.001, 0.1, 0.3, 0.5, 0.75, 1} {
		for j := 0; j <= 200; j++ {
			x := -1 + 2*float64(j)/200
			mx = math.Max(mx, math.Abs(a.U(x, tt)-b.U(x, tt)))
		}
	}
	if mx > 1e-12 {
		t.Errorf("100-node and 400-node rules differ by %.3g", mx)
	}
	if _, err := NewBurgers(0, 0); err == nil {
		t.Error("NewBurgers(ν = 0): no error")
	}
	if _, err := NewBurgers(math.NaN(), 0); err == nil {
		t.Error("NewBurgers(ν = NaN): no error")
	}
}

// TestHeatSolvesPDE checks the closed form against the PDE by finite
// differences (u_t − κ u_xx; truncation and round-off ≈ 1e-7 with h = 1e-4)
// and against its boundary and initial conditions.
func TestHeatSolvesPDE(t *testing.T) {
	h := Heat{Kappa: 0.3, L: 2, A: []float64{1, -0.5, 0.25}}
	const d = 1e-4
	for _, p := range [][2]float64{{0.3, 0.1}, {1.1, 0.5}, {1.7, 0.9}} {
		x, tt := p[0], p[1]
		ut := (h.U(x, tt+d) - h.U(x, tt-d)) / (2 * d)
		uxx := (h.U(x+d, tt) - 2*h.U(x, tt) + h.U(x-d, tt)) / (d * d)
		if r := ut - h.Kappa*uxx; math.Abs(r) > 1e-5 {
			t.Errorf("residual at (%v, %v) = %.3g", x, tt, r)
		}
	}
	if math.Abs(h.U(0, 0.4)) > 1e-15 || math.Abs(h.U(2, 0.4)) > 1e-14 {
		t.Error("boundary values are not zero")
	}
	want := math.Sin(math.Pi*0.3) - 0.5*math.Sin(2*math.Pi*0.3) + 0.25*math.Sin(3*math.Pi*0.3)
	if math.Abs(h.Initial(0.6)-want) > 1e-15 {
		t.Errorf("initial value %v, want %v", h.Initial(0.6), want)
	}
}
