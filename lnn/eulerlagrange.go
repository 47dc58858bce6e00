package lnn

import (
	"fmt"
	"math"

	"github.com/physbias/physbias/internal/linalg"
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

// solveSmall solves a·x = b for an n×n row-major matrix a with
// internal/linalg's plain-Go LU (partial pivoting, the rule of the training
// graph's solve), writing x into b; a is left unchanged. It returns
// ok=false and the failing pivot and max|a| when |pivot| ≤ 1e-12·max|a|,
// or when a, b or the solution is not finite.
func solveSmall(a, b []float64, n int) (pivot, scale float64, ok bool) {
	err := linalg.LUSolve(b, a, b, n)
	if err == nil {
		return 0, 0, true
	}
	if se, isSing := linalg.AsSingular(err); isSing {
		return se.Pivot, se.Scale, false
	}
	for _, v := range a {
		scale = math.Max(scale, math.Abs(v))
	}
	return 0, scale, false
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
