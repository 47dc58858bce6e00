package ad

import (
	"github.com/physbias/physbias/internal/blas"
	gblas "gonum.org/v1/gonum/blas"
)

// The matrix products of the fused ops go to the core's product in
// internal/blas (blas.Gemm), which picks the kernel by size: plain loops
// for small products, the blocked GEMM with its AVX2/FMA assembly kernel
// for medium ones, and, under -tags openblas, OpenBLAS for large ones.

const (
	kernM = 4 // rows of blas's register tile
	kernN = 8 // columns of blas's register tile
)

// useKernel reports whether medium products run on the AVX2/FMA kernel
// (Dense pads a few rows up to kernM for it).
var useKernel = blas.KernelInUse()

// gemm sets c = op(a)·op(b) (m×n, inner dimension k).
func gemm(ta, tb gblas.Transpose, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	blas.Gemm(ta == gblas.Trans, tb == gblas.Trans, m, n, k, a, lda, b, ldb, c, ldc, false)
}
