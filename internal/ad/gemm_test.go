package ad

import (
	"testing"

	gblas "gonum.org/v1/gonum/blas"
)

// TestPackedGemm: the packed GEMM against a direct triple loop, for every
// transpose combination, edge tiles (m, n not multiples of 4 and 8), a depth
// beyond one panel (k > 256) and padded leading dimensions. The sums are the
// same products in another order: 1e-13 relative.
func TestPackedGemm(t *testing.T) {
	if kernelIsAsm && !haveKernel {
		t.Skip("no AVX2/FMA on this machine for the assembly kernel")
	}
	checkGemm(t, packedGemm, [][3]int{{4, 8, 1}, {7, 13, 5}, {256, 200, 200}, {9, 20, 300}, {33, 8, 600}, {5, 9, 257}})
}

// TestGemm: the dispatcher (small shapes, scalar outputs, BLAS fallback).
func TestGemm(t *testing.T) {
	viaGemm := func(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
		tr := func(x bool) gblas.Transpose {
			if x {
				return gblas.Trans
			}
			return gblas.NoTrans
		}
		gemm(tr(ta), tr(tb), m, n, k, a, lda, b, ldb, c, ldc)
	}
	checkGemm(t, viaGemm, [][3]int{{1, 1, 1}, {300, 1, 20}, {2, 20, 300}, {5, 3, 7}, {64, 64, 64}, {3, 1, 0}})
	checkGemm(t, smallGemm, [][3]int{{1, 1, 1}, {300, 1, 20}, {2, 20, 300}, {5, 3, 7}})
}

func checkGemm(t *testing.T, f func(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int), sizes [][3]int) {
	t.Helper()
	for _, sz := range sizes {
		m, n, k := sz[0], sz[1], sz[2]
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				lda, ldb, ldc := k+2, n+1, n+3
				if ta {
					lda = m + 1
				}
				if tb {
					ldb = k + 3
				}
				ar, br := m, k
				if ta {
					ar = k
				}
				if tb {
					br = n
				}
				a := randVec(1, ar*lda, 1)
				b := randVec(2, br*ldb, 1)
				c := randVec(3, m*ldc, 1) // garbage that must be overwritten
				f(ta, tb, m, n, k, a, lda, b, ldb, c, ldc)
				var got, want []float64
				for i := 0; i < m; i++ {
					for j := 0; j < n; j++ {
						s := 0.0
						for x := 0; x < k; x++ {
							var av, bv float64
							if ta {
								av = a[x*lda+i]
							} else {
								av = a[i*lda+x]
							}
							if tb {
								bv = b[j*ldb+x]
							} else {
								bv = b[x*ldb+j]
							}
							s += av * bv
						}
						want = append(want, s)
						got = append(got, c[i*ldc+j])
					}
				}
				if e := relErr(got, want); e > 1e-13 {
					t.Errorf("m,n,k=%d,%d,%d ta=%v tb=%v: rel err %.2g", m, n, k, ta, tb, e)
				}
			}
		}
	}
}

func BenchmarkGemm(b *testing.B) {
	for _, c := range []struct {
		name    string
		ta, tb  gblas.Transpose
		m, n, k int
	}{
		{"NN256x200x200", gblas.NoTrans, gblas.NoTrans, 256, 200, 200},
		{"NT256x200x200", gblas.NoTrans, gblas.Trans, 256, 200, 200},
		{"TN200x200x256", gblas.Trans, gblas.NoTrans, 200, 200, 256},
		{"NN8192x20x20", gblas.NoTrans, gblas.NoTrans, 8192, 20, 20},
		{"NT8192x20x20", gblas.NoTrans, gblas.Trans, 8192, 20, 20},
		{"TN20x20x8192", gblas.Trans, gblas.NoTrans, 20, 20, 8192},
	} {
		b.Run(c.name, func(b *testing.B) {
			lda, ldb := c.k, c.n
			if c.ta == gblas.Trans {
				lda = c.m
			}
			if c.tb == gblas.Trans {
				ldb = c.k
			}
			a := randVec(1, c.m*c.k, 1)
			bb := randVec(2, c.k*c.n, 1)
			cc := make([]float64, c.m*c.n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				gemm(c.ta, c.tb, c.m, c.n, c.k, a, lda, bb, ldb, cc, c.n)
			}
			b.ReportMetric(float64(2*c.m*c.n*c.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}
