package ode

// Tableau is an explicit Runge–Kutta method given by its Butcher tableau:
// for a step of signed size h from (t, y),
//
//	Y_i = y + h Σ_{j<i} A[i][j] k_j,   k_i = f(t + C[i]·h, Y_i),
//	y_new = y + h Σ_i B[i] k_i,
//
// and, for an embedded pair, the local error estimate h Σ_i E[i] k_i. The
// solver [RK] runs a Tableau with fixed steps or, when E is set, with
// adaptive steps. Tableaus are values: the constructors return a fresh copy
// each time, so changing one changes no other.
type Tableau struct {
	// Name is a short human-readable name ("Dormand–Prince 5(4)").
	Name string
	// Order is the order p of the propagated solution (global error
	// O(h^p)).
	Order int
	// ErrOrder is the order of the embedded solution that E compares
	// against (the controller's exponent is −1/(ErrOrder+1)); 0 when the
	// method has no error estimate.
	ErrOrder int
	// C, A, B are the nodes, the strictly lower-triangular coefficients
	// (A[i] has length i) and the weights.
	C []float64
	A [][]float64
	B []float64
	// E are the error weights B − B̂; nil for a fixed-step-only method.
	E []float64
	// FSAL (first same as last) says that the last stage is evaluated at
	// y_new (its row of A equals B), so f(t+h, y_new) starts the next
	// step for free.
	FSAL bool
	// dense, when not nil, writes the weights w_i(θ) of the method's own
	// continuous extension, y(t + θh) = y + h Σ w_i(θ) k_i. When nil, an
	// FSAL method uses cubic Hermite interpolation between (y, k_0) and
	// (y_new, k_last), which is also linear in the k_i.
	dense func(theta float64, w []float64)
}

// Stages is the number of stages s (evaluations of f a step, one fewer
// after the first step for an FSAL method).
func (tb *Tableau) Stages() int { return len(tb.B) }

// DenseWeights writes into w (length Stages()) the weights of the continuous
// extension at θ ∈ [0, 1]: y(t + θh) = y + h Σ w_i k_i. It returns false
// when the method has none (a non-FSAL method without its own).
func (tb *Tableau) DenseWeights(theta float64, w []float64) bool {
	if tb.dense != nil {
		tb.dense(theta, w)
		return true
	}
	if !tb.FSAL {
		return false
	}
	// Cubic Hermite: y(θ) = (1−θ)y0 + θy1 + θ(θ−1)[(1−2θ)(y1−y0) + (θ−1)h f0 + θ h f1]
	// with y1 − y0 = h Σ B_i k_i, f0 = k_0 and f1 = k_last.
	s := len(tb.B)
	g := theta + theta*(theta-1)*(1-2*theta)
	for i := range w[:s] {
		w[i] = g * tb.B[i]
	}
	w[0] += theta * (theta - 1) * (theta - 1)
	w[s-1] += theta * theta * (theta - 1)
	return true
}

// EulerTableau is the explicit Euler method: order 1, one stage.
func EulerTableau() *Tableau {
	return &Tableau{Name: "Euler", Order: 1, C: []float64{0}, A: [][]float64{{}}, B: []float64{1}}
}

// MidpointTableau is the explicit midpoint method (Runge 1895): order 2,
// two stages.
func MidpointTableau() *Tableau {
	return &Tableau{Name: "Midpoint", Order: 2,
		C: []float64{0, 0.5}, A: [][]float64{{}, {0.5}}, B: []float64{0, 1}}
}

// RK4Tableau is the classical fourth-order Runge–Kutta method: four stages.
func RK4Tableau() *Tableau {
	return &Tableau{Name: "RK4", Order: 4,
		C: []float64{0, 0.5, 0.5, 1},
		A: [][]float64{{}, {0.5}, {0, 0.5}, {0, 0, 1}},
		B: []float64{1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}}
}

// BogackiShampineTableau is the Bogacki–Shampine 3(2) pair (Bogacki and
// Shampine 1989; MATLAB's ode23, SciPy's RK23): a third-order solution,
// a second-order embedded one, four stages with FSAL (three evaluations an
// accepted step), cubic Hermite dense output.
func BogackiShampineTableau() *Tableau {
	b := []float64{2.0 / 9, 1.0 / 3, 4.0 / 9, 0}
	bh := []float64{7.0 / 24, 1.0 / 4, 1.0 / 3, 1.0 / 8}
	e := make([]float64, 4)
	for i := range e {
		e[i] = b[i] - bh[i]
	}
	return &Tableau{Name: "Bogacki–Shampine 3(2)", Order: 3, ErrOrder: 2, FSAL: true,
		C: []float64{0, 0.5, 0.75, 1},
		A: [][]float64{{}, {0.5}, {0, 0.75}, {2.0 / 9, 1.0 / 3, 4.0 / 9}},
		B: b, E: e}
}

// DormandPrinceTableau is the Dormand–Prince 5(4) pair (Dormand and Prince
// 1980; MATLAB's ode45, SciPy's RK45): seven stages with FSAL (six
// evaluations an accepted step) and Shampine's fourth-order continuous
// extension (the one in Hairer's DOPRI5 and in [Adaptive.SolveAt]).
func DormandPrinceTableau() *Tableau {
	return &Tableau{Name: "Dormand–Prince 5(4)", Order: 5, ErrOrder: 4, FSAL: true,
		C: []float64{0, dpC2, dpC3, dpC4, dpC5, 1, 1},
		A: [][]float64{{}, {dpA21}, {dpA31, dpA32}, {dpA41, dpA42, dpA43},
			{dpA51, dpA52, dpA53, dpA54}, {dpA61, dpA62, dpA63, dpA64, dpA65},
			{dpB1, 0, dpB3, dpB4, dpB5, dpB6}},
		B:     []float64{dpB1, 0, dpB3, dpB4, dpB5, dpB6, 0},
		E:     []float64{dpE1, 0, dpE3, dpE4, dpE5, dpE6, dpE7},
		dense: dpDense,
	}
}

// dpDense writes the weights of Shampine's continuous extension, Hairer's
//
//	y(θ) = y0 + θ·Δ + θ(1−θ)(h k_0 − Δ) + θ²(1−θ)(2Δ − h k_0 − h k_6) + θ²(1−θ)² h Σ d_i k_i
//
// with Δ = h Σ B_i k_i, written as y0 + h Σ w_i(θ) k_i.
func dpDense(th float64, w []float64) {
	b := [7]float64{dpB1, 0, dpB3, dpB4, dpB5, dpB6, 0}
	d := [7]float64{dpD1, 0, dpD3, dpD4, dpD5, dpD6, dpD7}
	th1 := 1 - th
	c1, c2, c3, c4 := th, th*th1, th*th*th1, th*th*th1*th1
	for i := range b {
		w[i] = c1*b[i] - c2*b[i] + 2*c3*b[i] + c4*d[i]
	}
	w[0] += c2 - c3
	w[6] -= c3
}
