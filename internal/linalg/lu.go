package linalg

import (
	"fmt"
	"math"
)

// MaxN is the largest system size Solve accepts.
const MaxN = 16

// pivotTol is the relative pivot threshold: a pivot with
// |u_kk| ≤ pivotTol·max|A| marks the matrix as numerically singular.
const pivotTol = 1e-12

// luWork is the per-system scratch space of the LU kernel; it lives on the
// stack of the caller, so a solve allocates nothing per batch element.
type luWork struct {
	lu   [MaxN * MaxN]float64
	perm [MaxN]int
	tmp  [MaxN]float64
}

// factor computes the LU factorisation with partial pivoting of the n×n
// row-major matrix a into w: P·A = L·U with unit-diagonal L stored below the
// diagonal of w.lu and U on and above it; row i of P·A is row w.perm[i] of A.
// It reports the offending column, the pivot and max|A| when the matrix is
// numerically singular (or holds a NaN or Inf), with ok false.
func (w *luWork) factor(a []float64, n int) (col int, pivot, scale float64, ok bool) {
	lu := w.lu[:n*n]
	copy(lu, a)
	for i := range n {
		w.perm[i] = i
	}
	for _, v := range lu {
		if av := math.Abs(v); av > scale || math.IsNaN(v) {
			scale = av
		}
	}
	if math.IsNaN(scale) || math.IsInf(scale, 0) {
		return 0, scale, scale, false
	}
	tol := pivotTol * scale
	for k := range n {
		// Partial pivoting: the largest |entry| of column k on or below row k.
		p, pv := k, math.Abs(lu[k*n+k])
		for r := k + 1; r < n; r++ {
			if v := math.Abs(lu[r*n+k]); v > pv {
				p, pv = r, v
			}
		}
		if !(pv > tol) { // also catches NaN
			return k, lu[p*n+k], scale, false
		}
		if p != k {
			rk, rp := lu[k*n:k*n+n], lu[p*n:p*n+n]
			for c := range n {
				rk[c], rp[c] = rp[c], rk[c]
			}
			w.perm[k], w.perm[p] = w.perm[p], w.perm[k]
		}
		inv := 1 / lu[k*n+k]
		rk := lu[k*n+k+1 : k*n+n]
		for r := k + 1; r < n; r++ {
			l := lu[r*n+k] * inv
			lu[r*n+k] = l
			if l == 0 {
				continue
			}
			rr := lu[r*n+k+1 : r*n+n]
			rr = rr[:len(rk)]
			for c, v := range rk {
				rr[c] -= l * v
			}
		}
	}
	return 0, 0, scale, true
}

// solve writes into x the solution of A x = b (trans false) or Aᵀ x = b
// (trans true) from the factorisation in w. x and b may be the same slice.
func (w *luWork) solve(x, b []float64, n int, trans bool) {
	lu := w.lu[:n*n]
	y := w.tmp[:n]
	if !trans {
		// L y = P b (forward), then U x = y (backward).
		for i := range n {
			s := b[w.perm[i]]
			ri := lu[i*n : i*n+i]
			for j, l := range ri {
				s -= l * y[j]
			}
			y[i] = s
		}
		for i := n - 1; i >= 0; i-- {
			s := y[i]
			ui := lu[i*n+i+1 : i*n+n]
			yi := y[i+1 : n]
			yi = yi[:len(ui)]
			for j, u := range ui {
				s -= u * yi[j]
			}
			y[i] = s / lu[i*n+i]
		}
		copy(x, y)
		return
	}
	// Aᵀ = Uᵀ Lᵀ P: Uᵀ z = b (forward), Lᵀ w = z (backward), x = Pᵀ w.
	for i := range n {
		s := b[i]
		for j := range i {
			s -= lu[j*n+i] * y[j]
		}
		y[i] = s / lu[i*n+i]
	}
	for i := n - 1; i >= 0; i-- {
		s := y[i]
		for j := i + 1; j < n; j++ {
			s -= lu[j*n+i] * y[j]
		}
		y[i] = s
	}
	for i := range n {
		x[w.perm[i]] = y[i]
	}
}

// solveChecked solves one n×n system A x = b (Aᵀ x = b when trans is set)
// with the checks Solve and LUSolve share: a right-hand side holding NaN or
// Inf, a numerically singular A (a *SingularError of op and batch) or a
// solution that overflows is an error and x is then undefined. batch < 0
// means a lone system: the messages then name op alone and the
// SingularError has Batch 0.
func (w *luWork) solveChecked(x, a, b []float64, n int, trans bool, op string, batch int) error {
	if !finite(b) {
		return fmt.Errorf("linalg: %s: right-hand side holds NaN or Inf", where(op, batch))
	}
	if col, piv, scale, ok := w.factor(a, n); !ok {
		return &SingularError{Op: op, Batch: max(batch, 0), Column: col, Pivot: piv, Scale: scale}
	}
	w.solve(x, b, n, trans)
	if !finite(x) {
		return fmt.Errorf("linalg: %s: solution overflowed", where(op, batch))
	}
	return nil
}

// finite reports whether v holds no NaN and no Inf.
func finite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// where names a system in an error message: "op: batch element i", or op
// alone for a lone system (batch < 0).
func where(op string, batch int) string {
	if batch < 0 {
		return op
	}
	return fmt.Sprintf("%s: batch element %d", op, batch)
}
