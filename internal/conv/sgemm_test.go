package conv

import (
	"math"
	"testing"

	gblas "gonum.org/v1/gonum/blas"

	"github.com/physbias/physbias/internal/cputime"
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
					c0 := append([]float32(nil), c...)
					forKernels(func(set string) {
						copy(c, c0)
						gemm(ta, tb, m, n, k, 1, a, max(lda, 1), b, max(ldb, 1), beta, c, n)
						var d float64
						for i := range want {
							d = math.Max(d, math.Abs(float64(c[i])-want[i]))
						}
						// float32 rounding of sums of k products of order 1:
						// measured ≤ 1.2e-5 at k = 360.
						if d > 1e-6*float64(k+8) {
							t.Errorf("%d×%d×%d ta=%v tb=%v beta=%v: differs by %.2g (kernel %t, %s)", m, n, k, ta, tb, beta, d, useKernel, set)
						}
					})
				}
			}
		}
	}
}

// forKernels runs f with each kernel set this CPU has (AVX2, AVX-512), or
// once without kernels.
func forKernels(f func(set string)) {
	defer func(k kernels) { active = k }(active)
	if !haveKernel {
		f("none")
		return
	}
	for _, k := range []kernels{kernelsAVX2, kernelsAVX512} {
		if k.name == "avx512" && !haveAVX512 {
			continue
		}
		active = k
		f(k.name)
	}
}

// TestSgemmOffsets checks sgemmOff, whose rows of A and B are given by
// offset tables, against float64 loops: A's rows and B's rows scattered
// over one buffer, overlapping, in a shuffled order, with every tile shape
// (full, padded rows, padded columns) of every kernel.
func TestSgemmOffsets(t *testing.T) {
	if !haveKernel {
		t.Skip("no assembly kernels on this CPU")
	}
	r := rng.New(13)
	buf := make([]float32, 5000)
	for i := range buf {
		buf[i] = float32(r.NormFloat64())
	}
	for _, sz := range [][3]int{{40, 100, 37}, {9, 35, 50}, {8, 32, 1}, {17, 47, 20}, {3, 5, 2}, {12, 40, 30}, {14, 24, 9}} {
		m, n, k := sz[0], sz[1], sz[2]
		for _, ks := range []int{1, 3} {
			aoff := make([]int, m)
			for i := range aoff {
				aoff[i] = r.IntN(len(buf) - (k-1)*ks)
			}
			boff := make([]int, k)
			for x := range boff {
				boff[x] = r.IntN(len(buf) - n)
			}
			c := make([]float32, m*(n+3))
			for i := range c {
				c[i] = float32(r.NormFloat64())
			}
			for _, beta := range []float32{0, 1} {
				want := make([]float64, len(c))
				for i := 0; i < m; i++ {
					for j := 0; j < n+3; j++ {
						if j >= n {
							want[i*(n+3)+j] = float64(c[i*(n+3)+j]) // outside the product: untouched
							continue
						}
						s := float64(beta) * float64(c[i*(n+3)+j])
						for x := 0; x < k; x++ {
							s += float64(buf[aoff[i]+x*ks]) * float64(buf[boff[x]+j])
						}
						want[i*(n+3)+j] = s
					}
				}
				c0 := append([]float32(nil), c...)
				forKernels(func(set string) {
					copy(c, c0)
					sgemmOff(m, n, k, buf, aoff, ks, buf, boff, beta, c, n+3)
					var d float64
					for i := range want {
						d = math.Max(d, math.Abs(float64(c[i])-want[i]))
					}
					// Measured ≤ 4.9e-6 at k = 37.
					if d > 1e-6*float64(k+8) {
						t.Errorf("%d×%d×%d ks=%d beta=%v %s: differs by %.2g", m, n, k, ks, beta, set, d)
					}
				})
			}
		}
	}
}

// benchSgemm times an m×n×k float32 product on kernel set s and reports
// the rate in GFLOP/s.
func benchSgemm(b *testing.B, s kernels, m, n, k int) {
	if s.list == nil || (s.name == "avx512" && !haveAVX512) {
		b.Skip("kernel set not available on this CPU")
	}
	defer func(old kernels) { active = old }(active)
	active = s
	r := rng.New(1)
	a := make([]float32, m*k)
	bb := make([]float32, k*n)
	c := make([]float32, m*n)
	for i := range a {
		a[i] = float32(r.NormFloat64())
	}
	for i := range bb {
		bb[i] = float32(r.NormFloat64())
	}
	b.ResetTimer()
	c0 := cputime.Seconds()
	for i := 0; i < b.N; i++ {
		sgemm(m, n, k, a, k, 1, bb, n, 0, c, n)
	}
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/(cputime.Seconds()-c0)/1e9, "cpu-GFLOP/s")
}

// The shapes of the P4CNN's second layer: forward (40×624×360), input
// gradient (40×726×360) and filter gradient (360×40×624).
func BenchmarkSgemmAVX2Fwd(b *testing.B)    { benchSgemm(b, kernelsAVX2, 40, 624, 360) }
func BenchmarkSgemmAVX512Fwd(b *testing.B)  { benchSgemm(b, kernelsAVX512, 40, 624, 360) }
func BenchmarkSgemmAVX2Filt(b *testing.B)   { benchSgemm(b, kernelsAVX2, 360, 40, 624) }
func BenchmarkSgemmAVX512Filt(b *testing.B) { benchSgemm(b, kernelsAVX512, 360, 40, 624) }
