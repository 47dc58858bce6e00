package ad

import (
	"testing"

	gblas "gonum.org/v1/gonum/blas"
)

// TestGemm: the fused ops' gemm (internal/blas's Gemm) against a direct
// triple loop for all transposes, at sizes that take each of its kernels
// (plain loops, the packed kernel, the build's BLAS). Sums in another order:
// 1e-13 relative. internal/blas tests the kernels in depth.
func TestGemm(t *testing.T) {
	for _, sz := range [][3]int{{1, 1, 1}, {300, 1, 20}, {5, 3, 7}, {64, 64, 64}, {130, 70, 300}} {
		m, n, k := sz[0], sz[1], sz[2]
		for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
			a, b := randVec(1, m*k, 1), randVec(2, k*n, 1)
			lda, ldb := k, n
			if tr[0] {
				lda = m
			}
			if tr[1] {
				ldb = k
			}
			at := func(i, x int) float64 {
				if tr[0] {
					return a[x*lda+i]
				}
				return a[i*lda+x]
			}
			bt := func(x, j int) float64 {
				if tr[1] {
					return b[j*ldb+x]
				}
				return b[x*ldb+j]
			}
			c := randVec(3, m*n, 1) // overwritten
			tA, tB := gblas.NoTrans, gblas.NoTrans
			if tr[0] {
				tA = gblas.Trans
			}
			if tr[1] {
				tB = gblas.Trans
			}
			gemm(tA, tB, m, n, k, a, lda, b, ldb, c, n)
			want := make([]float64, m*n)
			for i := range m {
				for j := range n {
					for x := range k {
						want[i*n+j] += at(i, x) * bt(x, j)
					}
				}
			}
			if e := relErr(c, want); e > 1e-13 {
				t.Errorf("m,n,k=%d,%d,%d transposes %v: rel err %.2g", m, n, k, tr, e)
			}
		}
	}
}
