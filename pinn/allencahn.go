package pinn

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// AllenCahn is the Allen–Cahn equation of the PINN benchmarks (Raissi et
// al. 2019, §4.2; Wang et al. 2023, JAX-PI):
//
//	u_t = D u_xx + R (u − u³),  x ∈ [−1, 1) periodic,  u(x, 0) = u₀(x),
//
// with D = 1e-4 and R = 5 in the benchmark (u₀ = x² cos πx). Solve
// integrates it by a Fourier spectral method in x and the fourth-order
// exponential time differencing Runge–Kutta scheme ETDRK4 in t (Cox and
// Matthews 2002), with the coefficients computed by the contour integrals
// of Kassam and Trefethen (2005, SIAM J. Sci. Comput. 26, 1214): the
// linear part D u_xx is integrated exactly, the reaction R(u − u³) to
// fourth order.
type AllenCahn struct {
	// D is the diffusion coefficient; 0 means 1e-4.
	D float64
	// R is the reaction rate; 0 means 5.
	R float64
}

// AllenCahnInitial is the benchmark's initial condition u₀(x) = x² cos πx.
func AllenCahnInitial(x float64) float64 { return x * x * math.Cos(math.Pi*x) }

// AllenCahnProblem returns the Allen–Cahn benchmark as a Problem:
// u_t − 1e-4 u_xx + 5u³ − 5u = 0 on x ∈ [−1, 1], t ∈ [0, 1], with u(x, 0)
// = x² cos πx (condition 0) and u periodic in x (condition 1), drawing
// initialPoints initial points and boundaryPoints periodic pairs.
func AllenCahnProblem(initialPoints, boundaryPoints int) Problem {
	return Problem{
		Domain: Domain{Space: []Interval{{-1, 1}}, Time: Interval{0, 1}},
		Residual: func(f *Fields) (*Node, error) {
			u := f.U()
			react := f.Sub(f.Mul(u, f.Square(u)), u)
			return f.Add(f.Sub(f.Ut(), f.Scale(1e-4, f.Uxx(0))), f.Scale(5, react)), nil
		},
		Conditions: []Condition{
			{Kind: Initial, Points: initialPoints, Value: func(p []float64) float64 { return AllenCahnInitial(p[0]) }},
			{Kind: Periodic, Dim: 0, Points: boundaryPoints},
		},
	}
}

// Spectral is a solution on a grid: U[k][j] = u(X[j], T[k]), with X the n
// equispaced points −1 + 2j/n of the periodic interval [−1, 1).
type Spectral struct {
	X, T []float64
	U    [][]float64
}

// Solve integrates from u₀ to tEnd with n Fourier modes (n even, ≥ 8) and
// steps ETDRK4 steps, keeping the solution every saveEvery steps (and at
// t = 0). The benchmark's reference uses n = 512 and dt = 1e-5 or finer;
// the scheme's error falls as dt⁴ (TestAllenCahnOrder).
func (a AllenCahn) Solve(u0 func(x float64) float64, n int, tEnd float64, steps, saveEvery int) (*Spectral, error) {
	if a.D == 0 {
		a.D = 1e-4
	}
	if a.R == 0 {
		a.R = 5
	}
	switch {
	case !(a.D > 0) || math.IsInf(a.D, 0):
		return nil, errorf(ErrInput, "AllenCahn.D = %v, want > 0 (0 means 1e-4)", a.D)
	case math.IsNaN(a.R) || math.IsInf(a.R, 0):
		return nil, errorf(ErrInput, "AllenCahn.R = %v, want finite (0 means 5)", a.R)
	case u0 == nil:
		return nil, errorf(ErrInput, "AllenCahn.Solve: nil initial condition")
	case n < 8 || n%2 != 0:
		return nil, errorf(ErrInput, "AllenCahn.Solve: n = %d modes, want even and ≥ 8", n)
	case !(tEnd > 0) || math.IsInf(tEnd, 0):
		return nil, errorf(ErrInput, "AllenCahn.Solve: tEnd = %v, want > 0", tEnd)
	case steps < 1:
		return nil, errorf(ErrInput, "AllenCahn.Solve: steps = %d, want ≥ 1", steps)
	case saveEvery < 1:
		return nil, errorf(ErrInput, "AllenCahn.Solve: saveEvery = %d, want ≥ 1", saveEvery)
	}
	h := tEnd / float64(steps)
	fft := fourier.NewFFT(n)
	nk := n/2 + 1
	// Coefficients of ETDRK4 for the diagonal L = −D k², k = π m on a
	// period of 2, by the mean over M points on a circle around h·L
	// (Kassam and Trefethen), which avoids the cancellation of the
	// formulas near L = 0.
	const M = 64
	E, E2, Q, f1, f2, f3 := make([]float64, nk), make([]float64, nk), make([]float64, nk), make([]float64, nk), make([]float64, nk), make([]float64, nk)
	for m := 0; m < nk; m++ {
		k := math.Pi * float64(m)
		L := -a.D * k * k
		E[m], E2[m] = math.Exp(h*L), math.Exp(h*L/2)
		var q, g1, g2, g3 float64
		for j := 1; j <= M; j++ {
			r := cmplx.Exp(complex(0, math.Pi*(float64(j)-0.5)/M))
			z := complex(h*L, 0) + r
			ez := cmplx.Exp(z)
			z3 := z * z * z
			q += real((cmplx.Exp(z/2) - 1) / z)
			g1 += real((-4 - z + ez*(4-3*z+z*z)) / z3)
			g2 += real((2 + z + ez*(z-2)) / z3)
			g3 += real((-4 - 3*z - z*z + ez*(4-z)) / z3)
		}
		Q[m], f1[m], f2[m], f3[m] = h*q/M, h*g1/M, h*g2/M, h*g3/M
	}
	x := make([]float64, n)
	u := make([]float64, n)
	for j := range x {
		x[j] = -1 + 2*float64(j)/float64(n)
		u[j] = u0(x[j])
		if math.IsNaN(u[j]) || math.IsInf(u[j], 0) {
			return nil, errorf(ErrNotFinite, "AllenCahn.Solve: u₀(%v) = %v", x[j], u[j])
		}
	}
	phys := make([]float64, n)
	// nl returns the transform of R(w − w³) for w given by its transform.
	nl := func(dst, w []complex128) {
		fft.Sequence(phys, w)
		for j, v := range phys {
			v /= float64(n)
			phys[j] = a.R * (v - v*v*v)
		}
		fft.Coefficients(dst, phys)
	}
	v := fft.Coefficients(nil, u)
	nv, na, nb, nc := make([]complex128, nk), make([]complex128, nk), make([]complex128, nk), make([]complex128, nk)
	va, vb, vc := make([]complex128, nk), make([]complex128, nk), make([]complex128, nk)
	s := &Spectral{X: x}
	save := func(t float64) error {
		fft.Sequence(phys, v)
		row := make([]float64, n)
		for j, w := range phys {
			row[j] = w / float64(n)
			if math.IsNaN(row[j]) || math.IsInf(row[j], 0) {
				return errorf(ErrNotFinite, "AllenCahn.Solve: u is %v at t = %v", row[j], t)
			}
		}
		s.T = append(s.T, t)
		s.U = append(s.U, row)
		return nil
	}
	if err := save(0); err != nil {
		return nil, err
	}
	c := func(r float64) complex128 { return complex(r, 0) }
	for step := 1; step <= steps; step++ {
		nl(nv, v)
		for m := range v {
			va[m] = c(E2[m])*v[m] + c(Q[m])*nv[m]
		}
		nl(na, va)
		for m := range v {
			vb[m] = c(E2[m])*v[m] + c(Q[m])*na[m]
		}
		nl(nb, vb)
		for m := range v {
			vc[m] = c(E2[m])*va[m] + c(Q[m])*(2*nb[m]-nv[m])
		}
		nl(nc, vc)
		for m := range v {
			v[m] = c(E[m])*v[m] + nv[m]*c(f1[m]) + 2*(na[m]+nb[m])*c(f2[m]) + nc[m]*c(f3[m])
		}
		if step%saveEvery == 0 || step == steps {
			if err := save(float64(step) * h); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// At returns u(x, t) by trigonometric interpolation in x (spectrally
// accurate; x is taken modulo the period 2) and linear interpolation
// between the saved times (exact at a saved time). Times outside the saved
// range are clamped to it.
func (s *Spectral) At(x, t float64) float64 {
	if s == nil || len(s.T) == 0 {
		return math.NaN()
	}
	k := 0
	for k+1 < len(s.T) && s.T[k+1] <= t {
		k++
	}
	if k+1 >= len(s.T) || t <= s.T[0] {
		if t <= s.T[0] {
			k = 0
		}
		return s.interp(s.U[k], x)
	}
	w := (t - s.T[k]) / (s.T[k+1] - s.T[k])
	return (1-w)*s.interp(s.U[k], x) + w*s.interp(s.U[k+1], x)
}

// interp evaluates the trigonometric interpolant of the grid values row at
// x (period 2, n points, the Nyquist mode split evenly).
func (s *Spectral) interp(row []float64, x float64) float64 {
	n := len(row)
	// Closed form of the periodic sinc (Dirichlet kernel) for even n:
	// S(y) = sin(nπy/2) cot(πy/2)/n with y = x − x_j.
	var sum float64
	for j, v := range row {
		y := x - s.X[j]
		y -= 2 * math.Round(y/2)
		if math.Abs(y) < 1e-14 {
			return v
		}
		sum += v * math.Sin(float64(n)*math.Pi*y/2) / math.Tan(math.Pi*y/2)
	}
	return sum / float64(n)
}
