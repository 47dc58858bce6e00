package ad

import (
	"math"
	"testing"
)

// TestExportedGemm: Gemm against the naive triple loop for every transpose
// pair, on a shape the packed kernel runs (with a partial strip) and a
// small one, with strides wider than the rows. Measured: 4e-15.
func TestExportedGemm(t *testing.T) {
	for _, s := range [][3]int{{37, 29, 300}, {3, 5, 7}} {
		m, n, k := s[0], s[1], s[2]
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				ar, ac := m, k
				if ta {
					ar, ac = k, m
				}
				br, bc := k, n
				if tb {
					br, bc = n, k
				}
				lda, ldb, ldc := ac+3, bc+1, n+2
				a := randVec(uint64(m+k), ar*lda, 1)
				b := randVec(uint64(n+k), br*ldb, 1)
				c := randVec(9, m*ldc, 1)
				Gemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc)
				at := func(i, x int) float64 {
					if ta {
						return a[x*lda+i]
					}
					return a[i*lda+x]
				}
				bt := func(x, j int) float64 {
					if tb {
						return b[j*ldb+x]
					}
					return b[x*ldb+j]
				}
				var worst float64
				for i := 0; i < m; i++ {
					for j := 0; j < n; j++ {
						var want float64
						for x := 0; x < k; x++ {
							want += at(i, x) * bt(x, j)
						}
						worst = math.Max(worst, math.Abs(c[i*ldc+j]-want))
					}
				}
				if worst > 1e-12 {
					t.Errorf("%d×%d×%d ta=%v tb=%v: max error %.2g", m, n, k, ta, tb, worst)
				}
			}
		}
	}
}
