package ad

import (
	"runtime"
	"sync"

	"github.com/physbias/physbias/internal/blas"
	gblas "gonum.org/v1/gonum/blas"
	G "gorgonia.org/gorgonia"
)

// The matrix products of the fused ops. With OpenBLAS (build tag openblas)
// they go to OpenBLAS through gorgonia's BLAS. In the pure-Go build they go to
// a blocked GEMM whose 4×8 register kernel is AVX2/FMA Go assembly on amd64
// (no cgo); without those instructions, or for products too small to pay
// for packing, to gonum's native Dgemm.

const (
	kernM = 4   // rows of the register tile
	kernN = 8   // columns of the register tile
	kc    = 256 // depth of one packed panel of B
)

// useKernel is set at start-up when the CPU has the kernel's instructions
// and the pure-Go BLAS is in use.
var useKernel = haveKernel && blas.Name() == "purego"

var packPool = sync.Pool{New: func() any { s := make([]float64, 0); return &s }}

func getBuf(n int) *[]float64 {
	p := packPool.Get().(*[]float64)
	if cap(*p) < n {
		*p = make([]float64, n)
	}
	*p = (*p)[:n]
	return p
}

// gemm sets c = op(a)·op(b) (m×n, inner dimension k).
func gemm(ta, tb gblas.Transpose, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
		return
	}
	if !useKernel {
		G.WhichBLAS().Dgemm(ta, tb, m, n, k, 1, a, lda, b, ldb, 0, c, ldc)
		return
	}
	if m < kernM || n < kernN || m*n*k < 1<<12 {
		smallGemm(ta == gblas.Trans, tb == gblas.Trans, m, n, k, a, lda, b, ldb, c, ldc)
		return
	}
	packedGemm(ta == gblas.Trans, tb == gblas.Trans, m, n, k, a, lda, b, ldb, c, ldc)
}

// parallelMin is the size m·n·k above which the row strips are shared out
// between goroutines.
const parallelMin = 1 << 21

// packedGemm: for each depth panel of kc, pack the column strips of op(B)
// that cannot be read in place (all of them when B is transposed, else only
// a last strip narrower than kernN); then for each strip of kernM rows of
// op(A) (read in place with its strides, packed only for a last, partial
// strip) run the kernel over all column strips, accumulating into c.
func packedGemm(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
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
	for k0 := 0; k0 < k; k0 += kc {
		kk := min(kc, k-k0)
		panels := make([]bpanel, np)
		for p := range panels {
			j0 := p * kernN
			if !tb && j0+kernN <= n {
				panels[p] = bpanel{&b[k0*ldb+j0], ldb}
				continue
			}
			packB(bp[p*kc*kernN:], tb, b, ldb, k0, kk, j0, min(kernN, n-j0))
			panels[p] = bpanel{&bp[p*kc*kernN], kernN}
		}
		add := min(k0, 1) // the first panel overwrites c
		if workers == 1 {
			gemmStrips(0, strips, m, n, kk, k0, a, rs, ks, panels, c, ldc, add)
			continue
		}
		var wg sync.WaitGroup
		per := (strips + workers - 1) / workers
		for w := 0; w < workers; w++ {
			s0, s1 := w*per, min((w+1)*per, strips)
			if s0 >= s1 {
				break
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				gemmStrips(s0, s1, m, n, kk, k0, a, rs, ks, panels, c, ldc, add)
			}()
		}
		wg.Wait()
	}
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
// (m < 4 or n < 8, e.g. a network's scalar output) or too small to pack.
func smallGemm(ta, tb bool, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	if ta { // rows of A are columns of op(A): run over the depth outside
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
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
		if n == 1 && !tb {
			s := 0.0
			for x, av := range ai {
				s += av * b[x*ldb]
			}
			ci[0] = s
			continue
		}
		clear(ci)
		for x, av := range ai {
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
}
