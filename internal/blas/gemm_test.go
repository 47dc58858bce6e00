package blas

import (
	"math"
	"runtime"
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
	checkGemm(t, over(packedGemm), [][3]int{{4, 8, 1}, {7, 13, 5}, {256, 200, 200}, {9, 20, 300}, {33, 8, 600}, {5, 9, 257}})
}

// TestGemm: the dispatcher (small shapes, scalar outputs, BLAS fallback).
func TestGemm(t *testing.T) {
	checkGemm(t, viaGemm, [][3]int{{1, 1, 1}, {300, 1, 20}, {2, 20, 300}, {5, 3, 7}, {64, 64, 64}, {3, 1, 0}})
	checkGemm(t, over(smallGemm), [][3]int{{1, 1, 1}, {300, 1, 20}, {2, 20, 300}, {5, 3, 7}})
}

// TestGemmFallback: with the kernel switched off (as on a CPU without AVX2
// or FMA, where haveKernel is false) the dispatcher goes to the BLAS's Dgemm
// and still gives the naive product, for the shapes that would otherwise
// take the packed path.
func TestGemmFallback(t *testing.T) {
	defer func(u bool) { haveKernel = u }(haveKernel)
	haveKernel = false
	checkGemm(t, viaGemm, [][3]int{{4, 8, 1}, {7, 13, 5}, {64, 64, 64}, {33, 8, 300}, {3, 1, 0}})
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
				c0 := append([]float64(nil), c...)
				f(ta, tb, m, n, k, a, lda, b, ldb, c, ldc)
				checkPadding(t, c, c0, m, n, ldc)
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

// checkPadding: the columns n..ldc−1 of every row of c, outside the
// product, are as they were before.
func checkPadding(t *testing.T, c, c0 []float64, m, n, ldc int) {
	t.Helper()
	for i := 0; i < m; i++ {
		for j := n; j < ldc; j++ {
			if c[i*ldc+j] != c0[i*ldc+j] {
				t.Fatalf("m,n=%d,%d: padding c[%d][%d] was overwritten", m, n, i, j)
			}
		}
	}
}

type gemmFunc = func(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int)

// viaGemm calls the dispatcher Gemm, overwriting c.
func viaGemm(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	Gemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, false)
}

// over turns a kernel with an accumulate flag into one that overwrites c.
func over(f func(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, acc int)) gemmFunc {
	return func(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
		f(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, 0)
	}
}

// TestGemmOddSizes: the packed GEMM (whose 4×8 kernel is the AVX2/FMA
// assembly on amd64 unless built with -tags purego) and the dispatcher
// against a naive triple loop on every m, n in 1..17 (edge tiles of every
// width below and above the 4×8 block), several depths k, and depths around
// the panel depth kc = 256, for all four transpose combinations with padded
// leading dimensions. Tolerance: the classic bound for a dot product of
// length k computed in any order, with or without FMA, |ĉ − c| ≤ γ_k·(|A||B|)
// with γ_k = k·u/(1 − k·u), u = 2⁻⁵³ (Higham, Accuracy and Stability of
// Numerical Algorithms, §3.1), per element.
func TestGemmOddSizes(t *testing.T) {
	if kernelIsAsm && !haveKernel {
		t.Skip("no AVX2/FMA on this machine for the assembly kernel")
	}
	var dims []int
	for d := 1; d <= 17; d++ {
		dims = append(dims, d)
	}
	for name, f := range map[string]gemmFunc{"packedGemm": over(packedGemm), "gemm": viaGemm} {
		for _, m := range dims {
			for _, n := range dims {
				for _, k := range []int{1, 2, 3, 5, 8, 9, 17} {
					checkGemmBound(t, name, f, m, n, k)
				}
			}
		}
		for _, m := range []int{1, 3, 4, 5, 9, 17} {
			for _, n := range []int{1, 7, 8, 9, 17} {
				for _, k := range []int{kc - 1, kc, kc + 1, 2*kc + 3} {
					checkGemmBound(t, name, f, m, n, k)
				}
			}
		}
	}
}

// checkGemmBound runs f on one shape for all transposes and checks every
// element against the naive product within γ_k·(|A||B|), and that c's
// padding is untouched.
func checkGemmBound(t *testing.T, name string, f gemmFunc, m, n, k int) {
	t.Helper()
	const u = 0x1p-53
	gamma := float64(k) * u / (1 - float64(k)*u)
	for _, ta := range []bool{false, true} {
		for _, tb := range []bool{false, true} {
			lda, ldb, ldc := k+1, n+2, n+3
			ar, br := m, k
			if ta {
				lda, ar = m+2, k
			}
			if tb {
				ldb, br = k+1, n
			}
			seed := uint64(m*10000 + n*100 + k)
			a := randVec(seed, ar*lda, 1)
			b := randVec(seed+1, br*ldb, 1)
			c := randVec(seed+2, m*ldc, 1)
			c0 := append([]float64(nil), c...)
			f(ta, tb, m, n, k, a, lda, b, ldb, c, ldc)
			checkPadding(t, c, c0, m, n, ldc)
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					var s, abs float64
					for x := 0; x < k; x++ {
						ai, bi := i*lda+x, x*ldb+j
						if ta {
							ai = x*lda + i
						}
						if tb {
							bi = j*ldb + x
						}
						av, bv := a[ai], b[bi]
						s += av * bv
						abs += math.Abs(av * bv)
					}
					// The naive sum has its own error, also ≤ γ_k·abs.
					if d := math.Abs(c[i*ldc+j] - s); !(d <= 2*gamma*abs) {
						t.Fatalf("%s m,n,k=%d,%d,%d ta=%v tb=%v: c[%d][%d] = %v, naive %v (|diff| %.3g > 2γ_k·Σ|ab| = %.3g)",
							name, m, n, k, ta, tb, i, j, c[i*ldc+j], s, d, 2*gamma*abs)
					}
				}
			}
		}
	}
}

// TestGemmSameAnyGOMAXPROCS: above parallelMin the packed GEMM shares row
// strips out between goroutines; every strip is computed the same way
// whichever goroutine runs it, so the product is bit-identical with 1, 2
// and 3 procs (3 splits the 33 strips unevenly, 11 per worker, and a
// worker's share is not a multiple of anything in the kernel).
func TestGemmSameAnyGOMAXPROCS(t *testing.T) {
	if kernelIsAsm && !haveKernel {
		t.Skip("no AVX2/FMA on this machine for the assembly kernel")
	}
	const m, n, k = 131, 61, 300 // 2.4e6 ≥ parallelMin; k spans two panels
	if m*n*k < parallelMin {
		t.Fatalf("shape %d×%d×%d is below parallelMin %d: the test would not reach the parallel path", m, n, k, parallelMin)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, tr := range [][2]bool{{false, false}, {true, true}} {
		lda, ldb := k, n
		if tr[0] {
			lda = m
		}
		if tr[1] {
			ldb = k
		}
		a, b := randVec(11, m*k, 1), randVec(12, k*n, 1)
		var ref []float64
		for _, procs := range []int{1, 2, 3} {
			runtime.GOMAXPROCS(procs)
			c := make([]float64, m*n)
			viaGemm(tr[0], tr[1], m, n, k, a, lda, b, ldb, c, n)
			if ref == nil {
				ref = c
				continue
			}
			for i := range c {
				if math.Float64bits(c[i]) != math.Float64bits(ref[i]) {
					t.Fatalf("transposes %v: GOMAXPROCS=%d gives c[%d] = %v, GOMAXPROCS=1 gives %v", tr, procs, i, c[i], ref[i])
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
				Gemm(c.ta == gblas.Trans, c.tb == gblas.Trans, c.m, c.n, c.k, a, lda, bb, ldb, cc, c.n, false)
			}
			b.ReportMetric(float64(2*c.m*c.n*c.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}

// TestGemmAccumulate: Gemm with add = true gives c₀ + op(a)·op(b) on every
// path (loops, a short product padded to one strip, a narrow product run
// as its transpose, the packed kernel over two depth panels), all
// transposes. Measured 2e-16 relative; asserted 1e-13 as above.
func TestGemmAccumulate(t *testing.T) {
	for _, sz := range [][3]int{{5, 3, 7}, {2, 40, 300}, {300, 3, 20}, {1, 9, 600}, {37, 19, 300}} {
		m, n, k := sz[0], sz[1], sz[2]
		for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
			ta, tb := tr[0], tr[1]
			lda, ldb, ldc := k+1, n+2, n+3
			ar, br := m, k
			if ta {
				lda, ar = m+2, k
			}
			if tb {
				ldb, br = k+1, n
			}
			a, b := randVec(7, ar*lda, 1), randVec(8, br*ldb, 1)
			c := randVec(9, m*ldc, 1)
			c0 := append([]float64(nil), c...)
			Gemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, true)
			checkPadding(t, c, c0, m, n, ldc)
			var got, want []float64
			for i := range m {
				for j := range n {
					s := c0[i*ldc+j]
					for x := range k {
						ai, bi := i*lda+x, x*ldb+j
						if ta {
							ai = x*lda + i
						}
						if tb {
							bi = j*ldb + x
						}
						s += a[ai] * b[bi]
					}
					want = append(want, s)
					got = append(got, c[i*ldc+j])
				}
			}
			if e := relErr(got, want); e > 1e-13 {
				t.Errorf("m,n,k=%d,%d,%d transposes %v: rel err %.2g", m, n, k, tr, e)
			}
		}
	}
}
