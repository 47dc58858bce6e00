package ad

import gblas "gonum.org/v1/gonum/blas"

// Gemm sets c = op(a)·op(b) for plain-Go products elsewhere in physbias: c
// is m×n with row stride ldc, the inner dimension is k, and op(a) is a (m×k,
// row stride lda) or, with ta, aᵀ for a stored k×m; likewise op(b) with tb.
// It is the product the batched Dense runs on: the core's blocked GEMM with
// its AVX2/FMA kernel in the default build (gonum's native Dgemm on CPUs
// without those instructions), OpenBLAS under -tags openblas. Large
// products share their row strips among GOMAXPROCS goroutines; the result
// does not depend on GOMAXPROCS. Untransposed operands are read in place,
// so they are the fast layout. Like gonum's blas, it panics on slices too
// short for the shapes: checking them is the caller's job.
func Gemm(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	t := func(x bool) gblas.Transpose {
		if x {
			return gblas.Trans
		}
		return gblas.NoTrans
	}
	gemm(t(ta), t(tb), m, n, k, a, lda, b, ldb, c, ldc)
}
