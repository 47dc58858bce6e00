package conv

import (
	"fmt"
	"sync"

	"github.com/physbias/physbias/internal/blas"
)

// useKernel: the float32 products of im2col convolutions in the pure-Go
// build run on the assembly kernels when the CPU has AVX2 and FMA; with
// OpenBLAS (build tag openblas), or without the instructions, they go to
// gorgonia's BLAS (Sgemm). The direct convolutions (direct.go) run on the
// kernels under both builds.
var useKernel = haveKernel && blas.Name() == "purego"

// kernFn is an assembly micro-kernel (see sgemm_amd64.go).
type kernFn func(k int, a *float32, aoff *int, ks int, b *float32, boff *int, c *float32, ldc int, add int)

// kernel is a micro-kernel and its tile: mr rows by nr columns; unit
// means it reads A with ks = 1 only.
type kernel struct {
	mr, nr int
	fn     kernFn
	unit   bool
}

// kernels is a set of micro-kernels for one instruction set, widest
// first (then tallest).
type kernels struct {
	name string
	list []kernel
}

// strided returns the set to use for a product whose A is read with
// element stride ks: s itself for ks = 1, else one without unit-stride
// kernels (the AVX2 set without its 8×8 kernel).
func (s kernels) strided(ks int) kernels {
	if ks == 1 {
		return s
	}
	for _, k := range s.list {
		if k.unit {
			return kernelsAVX2Strided
		}
	}
	return s
}

// active is the kernel set the products use: AVX-512 where the CPU has it
// and PHYSBIAS_NOAVX512 is not set, else AVX2 (tests switch it).
var active = defaultKernels()

// KernelName returns the float32 kernel set in use: "avx512", "avx2", or
// "" without the assembly kernels.
func KernelName() string { return active.name }

// pickCols returns the widest nr of set that fits in rem columns, or the
// narrowest one (a zero-padded strip) when none does.
func (s kernels) pickCols(rem int) int {
	for _, k := range s.list {
		if k.nr <= rem {
			return k.nr
		}
	}
	return s.list[len(s.list)-1].nr
}

// pickRows returns the kernel of width nr with the most rows that fit in
// rem rows, or the one with the fewest rows (padded) when none does.
func (s kernels) pickRows(nr, rem int) kernel {
	var small kernel
	for _, k := range s.list {
		if k.nr != nr {
			continue
		}
		if k.mr <= rem {
			return k
		}
		small = k
	}
	return small
}

// sgemm sets c = op(a)·b + beta·c for float32 (m×n, inner k ≥ 1; beta 0
// or 1), b not transposed. Element (i, x) of op(a) is a[i·rs + x·ks]
// (rs = lda, ks = 1 for a; rs = 1, ks = lda for aᵀ).
func sgemm(m, n, k int, a []float32, rs, ks int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ao := getInts(m)
	defer intPool.Put(ao)
	for i := range *ao {
		(*ao)[i] = i * rs
	}
	bo := getInts(k)
	defer intPool.Put(bo)
	for x := range *bo {
		(*bo)[x] = x * ldb
	}
	sgemmOff(m, n, k, a, *ao, ks, b, *bo, beta, c, ldc)
}

// sgemmOff sets c = A·B + beta·c for float32 (m×n, inner k ≥ 1; beta 0
// or 1) where row i of A starts at a[aoff[i]] with its elements ks apart,
// and row x of B is the n values from b[boff[x]]: the offset tables let A
// and B be windows of an image (direct.go) without copying them into
// matrices. Column strips run the widest kernel that fits over all row
// tiles (the k×nr strip of B stays in cache); a last, narrower strip is
// copied into a zero-padded panel, and a last, shorter row tile reads its
// last row again; such tiles go through a scratch tile, so every product
// runs on a kernel.
func sgemmOff(m, n, k int, a []float32, aoff []int, ks int, b []float32, boff []int, beta float32, c []float32, ldc int) {
	if m < 1 || n < 1 || k < 1 {
		return
	}
	checkOff(m, n, k, a, aoff, ks, b, boff, c, ldc)
	set := active.strided(ks)
	add := 0
	if beta != 0 {
		add = 1
	}
	// The scratch tile and padded row offsets, from a pool: the kernels
	// are called through a func value, so escape analysis cannot see that
	// they keep no pointer, and stack arrays would go to the heap.
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	tile, pad := &sc.tile, &sc.pad
	var seq *[]int
	var bp *[]float32
	defer func() {
		if bp != nil {
			bufPool.Put(bp)
			intPool.Put(seq)
		}
	}()
	for j := 0; j < n; {
		nr := set.pickCols(n - j)
		cols := min(nr, n-j)
		bb, bo, bj := b, boff, j
		if cols < nr {
			if bp == nil {
				bp = getBuf[float32](k * nr)
				seq = getInts(k)
			}
			p := (*bp)[:k*nr]
			clear(p)
			s := (*seq)[:k]
			for x := 0; x < k; x++ {
				copy(p[x*nr:x*nr+cols], b[boff[x]+j:boff[x]+j+cols])
				s[x] = x * nr
			}
			bb, bo, bj = p, s, 0
		}
		full := set.pickRows(nr, m) // the tallest kernel of this width
		for i := 0; i < m; {
			if cols == nr && m-i >= full.mr {
				full.fn(k, &a[0], &aoff[i], ks, &bb[bj], &bo[0], &c[i*ldc+j], ldc, add)
				i += full.mr
				continue
			}
			kr := set.pickRows(nr, m-i)
			rows := min(kr.mr, m-i)
			if rows == kr.mr && cols == nr {
				kr.fn(k, &a[0], &aoff[i], ks, &bb[bj], &bo[0], &c[i*ldc+j], ldc, add)
				i += rows
				continue
			}
			for r := 0; r < kr.mr; r++ {
				pad[r] = aoff[i+min(r, rows-1)]
			}
			kr.fn(k, &a[0], &pad[0], ks, &bb[bj], &bo[0], &tile[0], nr, 0)
			for r := 0; r < rows; r++ {
				dst := c[(i+r)*ldc+j : (i+r)*ldc+j+cols]
				src := tile[r*nr : r*nr+cols]
				if add == 0 {
					copy(dst, src)
					continue
				}
				for q, v := range src {
					dst[q] += v
				}
			}
			i += rows
		}
		j += cols
	}
}

// checkOff panics unless every element sgemmOff reads or writes is inside
// a, b and c: the kernels do not check bounds.
func checkOff(m, n, k int, a []float32, aoff []int, ks int, b []float32, boff []int, c []float32, ldc int) {
	bad := len(aoff) < m || len(boff) < k || ks < 1 || ldc < n || (m-1)*ldc+n > len(c)
	for _, o := range aoff[:min(m, len(aoff))] {
		bad = bad || o < 0 || o+(k-1)*ks >= len(a)
	}
	for _, o := range boff[:min(k, len(boff))] {
		bad = bad || o < 0 || o+n > len(b)
	}
	if bad {
		panic(fmt.Sprintf("conv: sgemmOff %d×%d×%d out of bounds (len a %d, b %d, c %d, ldc %d, ks %d)", m, n, k, len(a), len(b), len(c), ldc, ks))
	}
}

// scratch is sgemmOff's scratch tile and padded row offsets.
type scratch struct {
	tile [8 * 32]float32
	pad  [8]int
}

// scratchPool holds scratch values.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// intPool holds offset tables.
var intPool sync.Pool

// getInts returns a table of n ints.
func getInts(n int) *[]int {
	if p, ok := intPool.Get().(*[]int); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]int, n)
	return &s
}
