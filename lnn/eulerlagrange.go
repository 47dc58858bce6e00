package lnn

import (
	"fmt"
	"math"
)

// SingularError reports a learned mass matrix that is numerically singular
// at a state, so that q̈ is not defined there.
type SingularError struct {
	// State is the state (q, q̇) at which the mass matrix is singular.
	State []float64
	// Pivot is the pivot of the LU factorisation that failed and Scale the
	// largest entry of the matrix; singular means |Pivot| ≤ 1e-12·Scale.
	Pivot, Scale float64
}

// Error describes the singular matrix and the state.
func (e *SingularError) Error() string {
	return fmt.Sprintf("lnn: singular learned mass matrix at state %.6g (LU pivot %.3g, matrix scale %.3g)", e.State, e.Pivot, e.Scale)
}

// singularTol is the relative pivot size below which a mass matrix counts as
// singular, the same rule as internal/linalg's Solve.
const singularTol = 1e-12

// solveSmall solves a·x = b for an n×n row-major matrix a by LU with
// partial pivoting, overwriting a and writing x into b. It returns ok=false
// and the failing pivot when |pivot| ≤ singularTol·max|a|, or when a or the
// solution is not finite.
func solveSmall(a, b []float64, n int) (pivot, scale float64, ok bool) {
	for _, v := range a {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return v, math.Inf(1), false
		}
		scale = math.Max(scale, math.Abs(v))
	}
	for k := 0; k < n; k++ {
		p := k
		for i := k + 1; i < n; i++ {
			if math.Abs(a[i*n+k]) > math.Abs(a[p*n+k]) {
				p = i
			}
		}
		if math.Abs(a[p*n+k]) <= singularTol*scale || scale == 0 {
			return a[p*n+k], scale, false
		}
		if p != k {
			for j := 0; j < n; j++ {
				a[k*n+j], a[p*n+j] = a[p*n+j], a[k*n+j]
			}
			b[k], b[p] = b[p], b[k]
		}
		for i := k + 1; i < n; i++ {
			f := a[i*n+k] / a[k*n+k]
			for j := k; j < n; j++ {
				a[i*n+j] -= f * a[k*n+j]
			}
			b[i] -= f * b[k]
		}
	}
	for i := n - 1; i >= 0; i-- {
		s := b[i]
		for j := i + 1; j < n; j++ {
			s -= a[i*n+j] * b[j]
		}
		b[i] = s / a[i*n+i]
	}
	for _, v := range b {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, scale, false
		}
	}
	return 0, scale, true
}

// eulerLagrange writes q̈ = (∇q̇∇q̇ᵀL + εI)⁻¹[∇qL − (∇q∇q̇ᵀL)q̇] into qdd,
// from the gradient g (2n values) and the Hessian h (2n×2n, row-major) of a
// Lagrangian L at the state x = (q, q̇). It is the plain-Go twin of the
// graph in lnnAccel, used for rollouts and for the closed-form tests.
func eulerLagrange(n int, x, g, h []float64, eps float64, qdd []float64) error {
	w := 2 * n
	m := make([]float64, n*n)
	for i := 0; i < n; i++ {
		r := n + i // row of ∂/∂q̇_i
		s := g[i]
		for j := 0; j < n; j++ {
			m[i*n+j] = h[r*w+n+j]
			s -= h[r*w+j] * x[n+j]
		}
		m[i*n+i] += eps
		qdd[i] = s
	}
	if piv, sc, ok := solveSmall(m, qdd, n); !ok {
		return &SingularError{State: append([]float64(nil), x...), Pivot: piv, Scale: sc}
	}
	return nil
}

// delanEquations writes q̈ of the DeLaN Lagrangian L = ½q̇ᵀMq̇ − V(q),
// M = CCᵀ + εI, into qdd. c is the lower-triangular factor C(q) (n×n
// row-major), dc[k] = ∂C/∂q_k, gv = ∇V(q) and x = (q, q̇). It solves
//
//	M q̈ = ½∂(q̇ᵀMq̇)/∂q − ∇V − Ṁq̇,
//
// with Ṁ = ĊCᵀ + CĊᵀ, Ċ = Σ_k (∂C/∂q_k) q̇_k, and
// ½∂(q̇ᵀMq̇)/∂q_k = (Cᵀq̇)·((∂C/∂q_k)ᵀq̇). It is the plain-Go twin of the
// graph in delanAccel.
func delanEquations(n int, x, c []float64, dc [][]float64, gv []float64, eps float64, qdd []float64) error {
	qd := x[n : 2*n]
	// w = Cᵀq̇, cd = Ċ.
	w := make([]float64, n)
	cd := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			w[j] += c[i*n+j] * qd[i]
			for k := 0; k < n; k++ {
				cd[i*n+j] += dc[k][i*n+j] * qd[k]
			}
		}
	}
	// Ṁq̇ = Ċ w + C (Ċᵀq̇).
	u := make([]float64, n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			u[j] += cd[i*n+j] * qd[i]
		}
	}
	m := make([]float64, n*n)
	for i := 0; i < n; i++ {
		mq := 0.0
		for j := 0; j < n; j++ {
			mq += cd[i*n+j]*w[j] + c[i*n+j]*u[j]
			s := 0.0
			for k := 0; k < n; k++ {
				s += c[i*n+k] * c[j*n+k]
			}
			m[i*n+j] = s
		}
		m[i*n+i] += eps
		// ½∂(q̇ᵀMq̇)/∂q_i = w·(∂C/∂q_iᵀ q̇).
		kin := 0.0
		for a := 0; a < n; a++ {
			for b := 0; b < n; b++ {
				kin += qd[a] * dc[i][a*n+b] * w[b]
			}
		}
		qdd[i] = kin - gv[i] - mq
	}
	if piv, sc, ok := solveSmall(m, qdd, n); !ok {
		return &SingularError{State: append([]float64(nil), x...), Pivot: piv, Scale: sc}
	}
	return nil
}
