package blas

import (
	"runtime"
	"sync"
)

// The core's matrix product. Every product goes to one of three kernels by
// its size m·n·k and shape:
//   - small (m·n·k < smallMax, or n < 8 unless m ≥ 8 and a is transposed):
//     plain loops, which beat any call overhead (packing, OpenBLAS's cgo
//     call and set-up);
//   - medium: a blocked GEMM whose 4×8 register kernel is AVX2/FMA Go
//     assembly on amd64 (no cgo), on CPUs with those instructions (short
//     products padded to 4 rows, narrow ones run as their transpose);
//   - large, under -tags openblas (m·n·k ≥ openblasMin): OpenBLAS.
// Without AVX2/FMA (or under -tags purego) the medium and large products go
// to the build's BLAS (gonum's native Dgemm, or OpenBLAS).

const (
	kernM    = 4      // rows of the register tile
	kernN    = 8      // columns of the register tile
	kc       = 256    // depth of one packed panel of B
	smallMax = 1 << 9 // m·n·k below which the plain loops run
)

var packPool = sync.Pool{New: func() any { s := make([]float64, 0); return &s }}

// panelPool holds packedGemm's lists of B panels (no allocation a call).
var panelPool = sync.Pool{New: func() any { s := make([]bpanel, 0, 64); return &s }}

func getBuf(n int) *[]float64 {
	p := packPool.Get().(*[]float64)
	if cap(*p) < n {
		*p = make([]float64, n)
	}
	*p = (*p)[:n]
	return p
}

// KernelInUse reports whether the products of medium size run on the core's
// AVX2/FMA kernel (the CPU has those instructions and the build has the
// assembly).
func KernelInUse() bool { return haveKernel }

// Gemm sets c = op(a)·op(b), or adds it to c when add is true: c is m×n
// with row stride ldc, the inner dimension is k, op(a) is a (m×k, row
// stride lda) or, with ta, aᵀ for a stored k×m; likewise op(b) with tb. The
// kernel is chosen by size (see the package doc). Large products share
// their row strips among GOMAXPROCS goroutines; the result does not depend
// on GOMAXPROCS. Like gonum's blas, it panics on slices too short for the
// shapes: checking them is the caller's job.
func Gemm(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, add bool) {
	if m == 0 || n == 0 {
		return
	}
	acc := 0
	if add {
		acc = 1
	}
	if k == 0 {
		if !add {
			for i := 0; i < m; i++ {
				clear(c[i*ldc : i*ldc+n])
			}
		}
		return
	}
	size := m * n * k
	switch {
	case size < smallMax || (n < kernN && (m < kernN || !ta)):
		smallGemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc)
	case size >= openblasMin || !haveKernel:
		base.Dgemm(trans(ta), trans(tb), m, n, k, 1, a, lda, b, ldb, float64(acc), c, ldc)
	case n >= kernN:
		// Fewer than kernM rows are padded with zeros to one strip: at
		// m = 1 a quarter of the kernel's work is used, still several
		// times the plain loops' rate.
		packedGemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, acc)
	default:
		// A narrow product with a transposed (n < 8, m ≥ 8, e.g. the
		// weight gradient Hᵀ·g of a scalar output): cᵀ = op(b)ᵀ·op(a)ᵀ is
		// wide and its right factor is a read in place, so the kernel
		// runs on it and the result is transposed into c. (Without the
		// transpose, packing a would cost as much as the product: the
		// loops run those.)
		buf := getBuf(n * m)
		t := *buf
		packedGemm(!tb, !ta, n, m, k, b, ldb, a, lda, t, m, 0)
		for i := 0; i < m; i++ {
			ci := c[i*ldc : i*ldc+n]
			for j := range ci {
				if acc == 0 {
					ci[j] = t[j*m+i]
				} else {
					ci[j] += t[j*m+i]
				}
			}
		}
		packPool.Put(buf)
	}
}

// parallelMin is the size m·n·k above which the row strips are shared out
// between goroutines.
const parallelMin = 1 << 21

// packedGemm: for each depth panel of kc, pack the column strips of op(B)
// that cannot be read in place (all of them when B is transposed, else only
// a last strip narrower than kernN); then for each strip of kernM rows of
// op(A) (read in place with its strides, packed only for a last, partial
// strip) run the kernel over all column strips, accumulating into c (from
// the first panel on when acc is 1).
func packedGemm(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, acc int) {
	np := (n + kernN - 1) / kernN
	bbuf := getBuf(kc * kernN * np)
	defer packPool.Put(bbuf)
	bp := *bbuf
	// Element (i, x) of op(A) is at a[i·rs + x·ks].
	rs, ks := lda, 1
	if ta {
		rs, ks = 1, lda
	}
	strips := (m + kernM - 1) / kernM
	workers := 1
	if m*n*k >= parallelMin {
		workers = min(runtime.GOMAXPROCS(0), strips)
	}
	pbuf := panelPool.Get().(*[]bpanel)
	defer panelPool.Put(pbuf)
	if cap(*pbuf) < np {
		*pbuf = make([]bpanel, np)
	}
	panels := (*pbuf)[:np]
	for k0 := 0; k0 < k; k0 += kc {
		kk := min(kc, k-k0)
		for p := range panels {
			j0 := p * kernN
			if !tb && j0+kernN <= n {
				panels[p] = bpanel{&b[k0*ldb+j0], ldb}
				continue
			}
			packB(bp[p*kc*kernN:], tb, b, ldb, k0, kk, j0, min(kernN, n-j0))
			panels[p] = bpanel{&bp[p*kc*kernN], kernN}
		}
		add := min(k0, 1) | acc // the first panel overwrites c unless acc
		if workers == 1 {
			gemmStrips(0, strips, m, n, kk, k0, a, rs, ks, panels, c, ldc, add)
			continue
		}
		parallelStrips(workers, strips, m, n, kk, k0, a, rs, ks, panels, c, ldc, add)
	}
}

// parallelStrips runs gemmStrips over the row strips shared out between
// workers goroutines (a function of its own so that the serial path's
// variables are not moved to the heap for the closures).
func parallelStrips(workers, strips, m, n, kk, k0 int, a []float64, rs, ks int, panels []bpanel, c []float64, ldc int, add int) {
	var wg sync.WaitGroup
	per := (strips + workers - 1) / workers
	for w := 0; w < workers; w++ {
		s0, s1 := w*per, min((w+1)*per, strips)
		if s0 >= s1 {
			break
		}
		wg.Go(func() { gemmStrips(s0, s1, m, n, kk, k0, a, rs, ks, panels, c, ldc, add) })
	}
	wg.Wait()
}

// bpanel is a k×kernN panel of op(B): row x is the kernN values at p[x·ld].
type bpanel struct {
	p  *float64
	ld int
}

// packB packs op(B)[k0:k0+kk, j0:j0+cols] into dst as kk rows of kernN,
// zero-padded past cols.
func packB(dst []float64, tb bool, b []float64, ldb, k0, kk, j0, cols int) {
	for x := 0; x < kk; x++ {
		d := dst[x*kernN : x*kernN+kernN]
		if !tb {
			copy(d, b[(k0+x)*ldb+j0:(k0+x)*ldb+j0+cols])
		} else {
			for cc := 0; cc < cols; cc++ {
				d[cc] = b[(j0+cc)*ldb+k0+x]
			}
		}
		for cc := cols; cc < kernN; cc++ {
			d[cc] = 0
		}
	}
}

// gemmStrips writes (add = 0) or adds row strips s0..s1 of the product of
// the depth panel k0:k0+kk into c.
func gemmStrips(s0, s1, m, n, kk, k0 int, a []float64, rs, ks int, panels []bpanel, c []float64, ldc int, add int) {
	var tmp [kernM * kernN]float64
	var edge [kernM * kc]float64
	for s := s0; s < s1; s++ {
		i0 := s * kernM
		rows := min(kernM, m-i0)
		ap, ars, aks := &a[i0*rs+k0*ks], rs, ks
		if rows < kernM { // pack the partial strip, zero-padded
			for x := 0; x < kk; x++ {
				for r := 0; r < kernM; r++ {
					v := 0.0
					if r < rows {
						v = a[(i0+r)*rs+(k0+x)*ks]
					}
					edge[x*kernM+r] = v
				}
			}
			ap, ars, aks = &edge[0], 1, kernM
		}
		for p, bp := range panels {
			j0 := p * kernN
			cols := min(kernN, n-j0)
			if rows == kernM && cols == kernN {
				kern4x8(kk, ap, ars, aks, bp.p, bp.ld, &c[i0*ldc+j0], ldc, add)
				continue
			}
			kern4x8(kk, ap, ars, aks, bp.p, bp.ld, &tmp[0], kernN, 0)
			for r := 0; r < rows; r++ {
				cr := c[(i0+r)*ldc+j0 : (i0+r)*ldc+j0+cols]
				if add == 0 {
					copy(cr, tmp[r*kernN:r*kernN+cols])
					continue
				}
				for cc := range cr {
					cr[cc] += tmp[r*kernN+cc]
				}
			}
		}
	}
}

// smallGemm is the direct product for shapes the kernel does not fit
// (m < 4 or n < 8, e.g. a network's scalar output) or too small to pack;
// acc = 1 adds to c.
func smallGemm(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, acc int) {
	if ta { // rows of A are columns of op(A): run over the depth outside
		if acc == 0 {
			for i := 0; i < m; i++ {
				clear(c[i*ldc : i*ldc+n])
			}
		}
		for x := 0; x < k; x++ {
			for i, av := range a[x*lda : x*lda+m] {
				ci := c[i*ldc : i*ldc+n]
				if tb {
					for j := range ci {
						ci[j] += av * b[j*ldb+x]
					}
					continue
				}
				for j, bv := range b[x*ldb : x*ldb+n] {
					ci[j] += av * bv
				}
			}
		}
		return
	}
	for i := 0; i < m; i++ {
		ai := a[i*lda : i*lda+k]
		ci := c[i*ldc : i*ldc+n]
		if tb || (n == 1 && ldb == 1) {
			// Rows of a and of op(b)ᵀ are contiguous: dot products.
			for j := range ci {
				var bj []float64
				if tb {
					bj = b[j*ldb : j*ldb+k]
				} else {
					bj = b[:k] // n = 1, ldb = 1: the column is contiguous
				}
				if acc == 0 {
					ci[j] = dot(ai, bj)
				} else {
					ci[j] += dot(ai, bj)
				}
			}
			continue
		}
		if n == 1 {
			s := 0.0
			for x, av := range ai {
				s += av * b[x*ldb]
			}
			if acc == 0 {
				ci[0] = s
			} else {
				ci[0] += s
			}
			continue
		}
		if acc == 0 {
			clear(ci)
		}
		for x, av := range ai {
			for j, bv := range b[x*ldb : x*ldb+n] {
				ci[j] += av * bv
			}
		}
	}
}

// dot returns Σ x[i]·y[i] (len(y) ≥ len(x)) with four partial sums, which
// keeps four multiply-adds in flight.
func dot(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}
