package linalg

import "fmt"

// LUSolve solves A·x = b in plain Go, outside any graph, for one n×n
// row-major matrix a (1 ≤ n ≤ MaxN), writing x into x (which may be b; a
// is left unchanged). It is the factorisation the Solve Op runs on each
// batch element, LU with partial pivoting, with the same rule for a
// singular matrix: a pivot with |u_kk| ≤ 1e-12·max|A|, or a NaN or Inf in
// a, returns a *SingularError with Op "LUSolve" and Batch 0. A right-hand
// side that is not finite, or a solution that overflows, is an error too;
// x is then undefined. It allocates nothing.
func LUSolve(x, a, b []float64, n int) error {
	if n < 1 || n > MaxN {
		return fmt.Errorf("linalg: LUSolve: size %d; must be between 1 and %d", n, MaxN)
	}
	if len(a) != n*n || len(b) != n || len(x) != n {
		return fmt.Errorf("linalg: LUSolve: lengths %d, %d, %d of A, b, x; want %d, %d, %d", len(a), len(b), len(x), n*n, n, n)
	}
	var w luWork
	return w.solveChecked(x, a, b, n, false, "LUSolve", -1)
}
