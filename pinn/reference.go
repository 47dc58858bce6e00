package pinn

import (
	"math"
)

// BurgersNu is the viscosity of the Burgers benchmark of Raissi et al.
// (2019) and Basdevant et al. (1986): ν = 0.01/π.
const BurgersNu = 0.01 / math.Pi

// Burgers is the exact solution of the viscous Burgers equation
//
//	u_t + u u_x = ν u_xx,  x ∈ ℝ (2-periodic), u(x, 0) = −sin πx,
//
// which on x ∈ [−1, 1] also meets u(±1, t) = 0. It is computed by the
// Cole–Hopf transform u = −2ν φ_x/φ, where φ solves the heat equation:
//
//	u(x,t) = −∫ sin π(x−η) f(x−η) e^{−η²/4νt} dη / ∫ f(x−η) e^{−η²/4νt} dη,
//	f(y) = exp(−cos(πy)/(2πν)),
//
// with η = √(4νt) z and both integrals done by Gauss–Hermite quadrature. The
// exponents are shifted by their maximum before exponentiating, so the huge
// factors e^{±1/(2πν)} never overflow.
type Burgers struct {
	// Nu is the viscosity ν.
	Nu float64

	z, lw []float64 // Gauss–Hermite nodes and log-weights
	buf   []float64
}

// NewBurgers returns the exact Burgers solution for viscosity nu using an
// n-node Gauss–Hermite rule; n = 0 means 100 nodes, which for ν = 0.01/π on
// t ∈ [0, 1] agree with a 400-node rule to about 1e-14 (see the tests; 50
// nodes give 2e-7, 30 nodes 1e-2).
func NewBurgers(nu float64, n int) (*Burgers, error) {
	if !(nu > 0) || math.IsInf(nu, 0) {
		return nil, errorf(ErrInput, "Burgers viscosity must be positive and finite, got %v", nu)
	}
	if n == 0 {
		n = 100
	}
	z, w, err := GaussHermite(n)
	if err != nil {
		return nil, err
	}
	b := &Burgers{Nu: nu, buf: make([]float64, n)}
	for i := range z {
		if w[i] > 0 { // the outermost weights underflow to 0 for large n
			b.z = append(b.z, z[i])
			b.lw = append(b.lw, math.Log(w[i]))
		}
	}
	b.buf = make([]float64, len(b.z))
	return b, nil
}

// weights fills b.buf with the normalised quadrature weights of the
// Cole–Hopf integrals at (x, t) and returns c = √(4νt).
func (b *Burgers) weights(x, t float64) float64 {
	c := math.Sqrt(4 * b.Nu * t)
	k := 1 / (2 * math.Pi * b.Nu)
	mx := math.Inf(-1)
	for i, z := range b.z {
		e := b.lw[i] - k*math.Cos(math.Pi*(x-c*z))
		b.buf[i] = e
		if e > mx {
			mx = e
		}
	}
	for i := range b.buf {
		b.buf[i] = math.Exp(b.buf[i] - mx)
	}
	return c
}

// U returns u(x, t). Times t ≤ 0 give the initial condition −sin πx.
func (b *Burgers) U(x, t float64) float64 {
	if t <= 0 {
		return -math.Sin(math.Pi * x)
	}
	c := b.weights(x, t)
	var num, den float64
	for i, z := range b.z {
		w := b.buf[i]
		num += w * math.Sin(math.Pi*(x-c*z))
		den += w
	}
	return -num / den
}

// Ux returns ∂u/∂x at (x, t), from the derivative of the quadrature formula
// (not a finite difference).
func (b *Burgers) Ux(x, t float64) float64 {
	if t <= 0 {
		return -math.Pi * math.Cos(math.Pi*x)
	}
	c := b.weights(x, t)
	k := 1 / (2 * b.Nu) // d/dy of −cos(πy)/(2πν) is sin(πy)·k
	var n, d, dn, dd float64
	for i, z := range b.z {
		w := b.buf[i]
		y := math.Pi * (x - c*z)
		s, co := math.Sincos(y)
		n += w * s
		d += w
		dn += w * (math.Pi*co + s*s*k)
		dd += w * s * k
	}
	return -(dn*d - n*dd) / (d * d)
}

// Heat is the closed-form solution of the heat equation
//
//	u_t = κ u_xx,  x ∈ [0, L],  u(0, t) = u(L, t) = 0,
//	u(x, 0) = Σ_k A[k] sin((k+1)πx/L),
//
// namely u(x, t) = Σ_k A[k] e^{−κ((k+1)π/L)² t} sin((k+1)πx/L).
type Heat struct {
	// Kappa is the diffusivity κ > 0.
	Kappa float64
	// L is the length of the rod; zero means 1.
	L float64
	// A holds the sine coefficients of the initial condition, mode 1 first;
	// empty means A = [1] (u(x,0) = sin πx/L).
	A []float64
}

func (h Heat) length() float64 {
	if h.L == 0 {
		return 1
	}
	return h.L
}

func (h Heat) modes() []float64 {
	if len(h.A) == 0 {
		return []float64{1}
	}
	return h.A
}

// U returns u(x, t).
func (h Heat) U(x, t float64) float64 {
	l := h.length()
	var u float64
	for k, a := range h.modes() {
		w := float64(k+1) * math.Pi / l
		u += a * math.Exp(-h.Kappa*w*w*t) * math.Sin(w*x)
	}
	return u
}

// Initial returns u(x, 0), the initial condition.
func (h Heat) Initial(x float64) float64 { return h.U(x, 0) }
