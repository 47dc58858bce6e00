package conv

import (
	"fmt"
	"runtime"
	"sync"

	gblas "gonum.org/v1/gonum/blas"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// geom is the geometry of one convolution: batch B, input (C, H, W), filters
// (O, C, KH, KW), stride S, padding P and output (O, HO, WO).
type geom struct {
	B, C, H, W, O, KH, KW, S, P, HO, WO int
}

// newGeom checks x (B, C, H, W) against w (O, C, KH, KW) and returns the
// geometry.
func newGeom(fn string, x, w tensor.Shape, stride, pad int) (geom, error) {
	if len(x) != 4 {
		return geom{}, fmt.Errorf("conv: %s: input has shape %v, want (batch, channels, height, width)", fn, x)
	}
	if len(w) != 4 {
		return geom{}, fmt.Errorf("conv: %s: filters have shape %v, want (out, in, height, width)", fn, w)
	}
	for _, s := range [2]tensor.Shape{x, w} {
		for _, n := range s {
			if n < 1 {
				return geom{}, fmt.Errorf("conv: %s: shape %v has an empty axis", fn, s)
			}
		}
	}
	if stride < 1 {
		return geom{}, fmt.Errorf("conv: %s: stride %d, want ≥ 1", fn, stride)
	}
	if pad < 0 {
		return geom{}, fmt.Errorf("conv: %s: padding %d, want ≥ 0", fn, pad)
	}
	g := geom{B: x[0], C: x[1], H: x[2], W: x[3], O: w[0], KH: w[2], KW: w[3], S: stride, P: pad}
	if w[1] != g.C {
		return geom{}, fmt.Errorf("conv: %s: input has %d channels, the filters take %d", fn, g.C, w[1])
	}
	if g.KH > g.H+2*pad || g.KW > g.W+2*pad {
		return geom{}, fmt.Errorf("conv: %s: %d×%d kernel is larger than the %d×%d input padded by %d", fn, g.KH, g.KW, g.H, g.W, pad)
	}
	g.HO = (g.H+2*pad-g.KH)/stride + 1
	g.WO = (g.W+2*pad-g.KW)/stride + 1
	return g, nil
}

func (g geom) xShape() tensor.Shape { return tensor.Shape{g.B, g.C, g.H, g.W} }
func (g geom) wShape() tensor.Shape { return tensor.Shape{g.O, g.C, g.KH, g.KW} }
func (g geom) yShape() tensor.Shape { return tensor.Shape{g.B, g.O, g.HO, g.WO} }

// rows is the number of rows of the column matrix, C·KH·KW; cols its number
// of columns, HO·WO.
func (g geom) rows() int { return g.C * g.KH * g.KW }
func (g geom) cols() int { return g.HO * g.WO }

// im2col writes the (C·KH·KW, HO·WO) columns of one sample x (C, H, W) into col.
func im2col[T float](g geom, x, col []T) {
	n := g.cols()
	r := 0
	for c := 0; c < g.C; c++ {
		xc := x[c*g.H*g.W : (c+1)*g.H*g.W]
		for a := 0; a < g.KH; a++ {
			for b := 0; b < g.KW; b++ {
				row := col[r*n : (r+1)*n]
				r++
				for i := 0; i < g.HO; i++ {
					dst := row[i*g.WO : (i+1)*g.WO]
					ii := i*g.S - g.P + a
					if ii < 0 || ii >= g.H {
						clear(dst)
						continue
					}
					src := xc[ii*g.W : (ii+1)*g.W]
					if g.S == 1 {
						// j + b − P in [0, W): j in [P−b, W+P−b).
						lo, hi := max(0, g.P-b), min(g.WO, g.W+g.P-b)
						if lo >= hi {
							clear(dst)
							continue
						}
						clear(dst[:lo])
						copy(dst[lo:hi], src[lo+b-g.P:hi+b-g.P])
						clear(dst[hi:])
						continue
					}
					for j := range dst {
						jj := j*g.S - g.P + b
						if jj < 0 || jj >= g.W {
							dst[j] = 0
						} else {
							dst[j] = src[jj]
						}
					}
				}
			}
		}
	}
}

// col2im adds the columns col (C·KH·KW, HO·WO) back into one sample x (C, H, W).
func col2im[T float](g geom, col, x []T) {
	n := g.cols()
	r := 0
	for c := 0; c < g.C; c++ {
		xc := x[c*g.H*g.W : (c+1)*g.H*g.W]
		for a := 0; a < g.KH; a++ {
			for b := 0; b < g.KW; b++ {
				row := col[r*n : (r+1)*n]
				r++
				for i := 0; i < g.HO; i++ {
					ii := i*g.S - g.P + a
					if ii < 0 || ii >= g.H {
						continue
					}
					src := row[i*g.WO : (i+1)*g.WO]
					dst := xc[ii*g.W : (ii+1)*g.W]
					if g.S == 1 {
						lo, hi := max(0, g.P-b), min(g.WO, g.W+g.P-b)
						if lo < hi {
							d := dst[lo+b-g.P : hi+b-g.P]
							for j, v := range src[lo:hi] {
								d[j] += v
							}
						}
						continue
					}
					for j, v := range src {
						jj := j*g.S - g.P + b
						if jj >= 0 && jj < g.W {
							dst[jj] += v
						}
					}
				}
			}
		}
	}
}

// gemm sets c = alpha·op(a)·op(b) + beta·c (m×n, inner k) with gorgonia's BLAS.
func gemm[T float](ta, tb gblas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if k == 0 { // c = beta·c; BLAS implementations differ on empty inputs
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			if beta == 0 {
				clear(row) // overwritten, as BLAS does, even where c is NaN
				continue
			}
			for j := range row {
				row[j] *= beta
			}
		}
		return
	}
	switch a := any(a).(type) {
	case []float64:
		G.WhichBLAS().Dgemm(ta, tb, m, n, k, float64(alpha), a, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	case []float32:
		if useKernel && alpha == 1 && (beta == 0 || beta == 1) {
			kernelGemm(ta, tb, m, n, k, a, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
			return
		}
		G.WhichBLAS().Sgemm(ta, tb, m, n, k, float32(alpha), a, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	}
}

// kernelGemm runs a float32 product (k ≥ 1) on the kernel: aᵀ is read in place
// with swapped strides; a transposed b is copied into its k×n layout
// first.
func kernelGemm(ta, tb gblas.Transpose, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	rs, ks := lda, 1
	if ta == gblas.Trans {
		rs, ks = 1, lda
	}
	if tb == gblas.Trans {
		buf := getBuf[float32](k * n)
		defer bufPool.Put(buf)
		bt := *buf
		for j := 0; j < n; j++ {
			row := b[j*ldb : j*ldb+k]
			for x, v := range row {
				bt[x*n+j] = v
			}
		}
		b, ldb = bt, n
	}
	sgemm(m, n, k, a, rs, ks, b, ldb, beta, c, ldc)
}

// chunks is the number of fixed pieces a batch is split into; pieces run on
// up to GOMAXPROCS goroutines, so the split (and each piece's sums) never
// depends on the machine.
const chunks = 8

// forChunks calls f(lo, hi) for the fixed chunks of [0, n), in parallel.
func forChunks(n int, f func(k, lo, hi int)) {
	k := min(chunks, n)
	workers := min(k, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := 0; i < k; i++ {
			f(i, i*n/k, (i+1)*n/k)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, k)
	for i := 0; i < k; i++ {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i, i*n/k, (i+1)*n/k)
			}
		}()
	}
	wg.Wait()
}

// bufPool holds column buffers.
var bufPool sync.Pool

// getBuf returns a buffer of n values of type T.
func getBuf[T float](n int) *[]T {
	if p, ok := bufPool.Get().(*[]T); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]T, n)
	return &s
}
