package conv

import (
	"math"
	"testing"

	gblas "gonum.org/v1/gonum/blas"

	"github.com/physbias/physbias/internal/rng"
)

// TestKernelGemm checks the float32 products (the kernel where the CPU has
// it, else gorgonia's BLAS) against float64 loops, for every transpose
// case the convolution uses, beta 0 and 1, and sizes with leftover rows
// and columns.
func TestKernelGemm(t *testing.T) {
	r := rng.New(12)
	for _, sz := range [][3]int{{4, 16, 1}, {40, 576, 360}, {7, 35, 9}, {3, 5, 2}, {13, 100, 64}, {1, 1, 1}, {8, 33, 0}} {
		m, n, k := sz[0], sz[1], sz[2]
		for _, ta := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
			for _, tb := range []gblas.Transpose{gblas.NoTrans, gblas.Trans} {
				for _, beta := range []float32{0, 1} {
					a := make([]float32, m*k)
					b := make([]float32, k*n)
					c := make([]float32, m*n)
					for i := range a {
						a[i] = float32(r.NormFloat64())
					}
					for i := range b {
						b[i] = float32(r.NormFloat64())
					}
					for i := range c {
						c[i] = float32(r.NormFloat64())
					}
					want := make([]float64, m*n)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							s := float64(beta) * float64(c[i*n+j])
							for x := 0; x < k; x++ {
								av := a[i*k+x]
								if ta == gblas.Trans {
									av = a[x*m+i]
								}
								bv := b[x*n+j]
								if tb == gblas.Trans {
									bv = b[j*k+x]
								}
								s += float64(av) * float64(bv)
							}
							want[i*n+j] = s
						}
					}
					lda, ldb := k, n
					if ta == gblas.Trans {
						lda = m
					}
					if tb == gblas.Trans {
						ldb = k
					}
					gemm(ta, tb, m, n, k, 1, a, max(lda, 1), b, max(ldb, 1), beta, c, n)
					var d float64
					for i := range want {
						d = math.Max(d, math.Abs(float64(c[i])-want[i]))
					}
					// float32 rounding of sums of k products of order 1:
					// measured ≤ 1.2e-5 at k = 360.
					if d > 1e-6*float64(k+8) {
						t.Errorf("%d×%d×%d ta=%v tb=%v beta=%v: differs by %.2g (kernel %t)", m, n, k, ta, tb, beta, d, useKernel)
					}
				}
			}
		}
	}
}
