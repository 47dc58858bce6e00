package pinn

import "math"

// BurgersProblem returns the continuous-inference benchmark of Raissi et al.
// (2019, §3.1): u_t + u u_x − ν u_xx = 0 on x ∈ [−1, 1], t ∈ [0, 1], with
// u(x, 0) = −sin πx and u(±1, t) = 0, drawing initialPoints initial points
// and boundaryPoints points on each face (the paper: 100 in all).
func BurgersProblem(nu float64, initialPoints, boundaryPoints int) Problem {
	return Problem{
		Domain: Domain{Space: []Interval{{-1, 1}}, Time: Interval{0, 1}},
		Residual: func(f *Fields) (*Node, error) {
			u := f.U()
			return f.Sub(f.Add(f.Ut(), f.Mul(u, f.Ux(0))), f.Scale(nu, f.Uxx(0))), nil
		},
		Conditions: []Condition{
			{Kind: Initial, Points: initialPoints, Value: func(p []float64) float64 { return -math.Sin(math.Pi * p[0]) }},
			{Kind: Dirichlet, Dim: 0, Points: boundaryPoints},
		},
	}
}

// BurgersDiscovery returns the data-driven discovery problem of Raissi et al.
// (2019, §4.1): u_t + λ₁ u u_x − λ₂ u_xx = 0 on [−1, 1] × [0, 1] with λ₁
// and λ₂ unknown ("lambda1" starting at 0, "lambda2" kept positive as
// exp(θ), starting at e⁻⁶ as in the paper's code), learned from the
// observations alone: no initial or boundary condition is given. Use the
// observation points as collocation points (Config.CollocationPoints), as
// the paper does.
func BurgersDiscovery(data *Data) Problem {
	return Problem{
		Domain: Domain{Space: []Interval{{-1, 1}}, Time: Interval{0, 1}},
		Residual: func(f *Fields) (*Node, error) {
			u := f.U()
			conv := f.Mul(f.Coef("lambda1"), f.Mul(u, f.Ux(0)))
			diff := f.Mul(f.Coef("lambda2"), f.Uxx(0))
			return f.Sub(f.Add(f.Ut(), conv), diff), nil
		},
		Data: data,
		Unknowns: []Unknown{
			{Name: "lambda1", Init: 0},
			{Name: "lambda2", Init: math.Exp(-6), Positive: true},
		},
	}
}

// Problem returns the heat equation u_t = κ u_xx on [0, L] × [0, tEnd]
// with h's zero boundary values and initial condition, drawing n points
// per condition face (0: Config.BoundaryPoints).
func (h Heat) Problem(tEnd float64, n int) (Problem, error) {
	if !(h.Kappa > 0) || math.IsInf(h.Kappa, 0) {
		return Problem{}, errorf(ErrInput, "Heat.Kappa = %v, want > 0", h.Kappa)
	}
	if h.L < 0 || math.IsNaN(h.L) {
		return Problem{}, errorf(ErrInput, "Heat.L = %v, want > 0 (0 means 1)", h.L)
	}
	kappa := h.Kappa
	return Problem{
		Domain: Domain{Space: []Interval{{0, h.length()}}, Time: Interval{0, tEnd}},
		Residual: func(f *Fields) (*Node, error) {
			return f.Sub(f.Ut(), f.Scale(kappa, f.Uxx(0))), nil
		},
		Conditions: []Condition{
			{Kind: Dirichlet, Dim: 0, Points: n},
			{Kind: Initial, Points: n, Value: func(p []float64) float64 { return h.Initial(p[0]) }},
		},
	}, nil
}
