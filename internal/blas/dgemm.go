package blas

import (
	gblas "gonum.org/v1/gonum/blas"
	G "gorgonia.org/gorgonia"
)

// routed is the BLAS that gorgonia and gorgonia.org/tensor use: the build's
// BLAS (base) with Dgemm routed through the core's product, so that every
// gorgonia Mul, MatMul and their gradients take the kernel chosen by size
// (Gemm). Products it does not cover (alpha ≠ 1, beta other than 0 or 1,
// arguments that do not fit the shapes) go to base, which also panics on
// bad arguments the way it always has.
type routed struct{ G.BLAS }

// Dgemm computes c = alpha·op(a)·op(b) + beta·c, row-major.
func (r routed) Dgemm(tA, tB gblas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	ta, tb := tA == gblas.Trans || tA == gblas.ConjTrans, tB == gblas.Trans || tB == gblas.ConjTrans
	if alpha != 1 || (beta != 0 && beta != 1) || !fits(ta, tb, m, n, k, a, lda, b, ldb, c, ldc) ||
		(tA != gblas.NoTrans && !ta) || (tB != gblas.NoTrans && !tb) {
		r.BLAS.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	Gemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, beta == 1)
}

// fits reports whether the shapes, leading dimensions and slice lengths of
// a Dgemm call are valid (the checks gonum's Dgemm makes).
func fits(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) bool {
	if m < 0 || n < 0 || k < 0 {
		return false
	}
	ar, ac := m, k // a as stored
	if ta {
		ar, ac = k, m
	}
	br, bc := k, n
	if tb {
		br, bc = n, k
	}
	ok := func(rows, cols int, x []float64, ld int) bool {
		if ld < max(1, cols) {
			return false
		}
		return rows == 0 || cols == 0 || len(x) >= (rows-1)*ld+cols
	}
	return ok(ar, ac, a, lda) && ok(br, bc, b, ldb) && ok(m, n, c, ldc)
}

func trans(t bool) gblas.Transpose {
	if t {
		return gblas.Trans
	}
	return gblas.NoTrans
}

// use makes b, with Dgemm routed through Gemm, the BLAS of gorgonia and of
// gorgonia's tensors; Gemm's large products go to b.
func use(b G.BLAS) {
	base = b
	G.Use(routed{b})
}

// base is the build's BLAS: gonum's native BLAS or OpenBLAS.
var base G.BLAS
