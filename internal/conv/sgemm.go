package conv

import (
	"github.com/physbias/physbias/internal/blas"
)

// useKernel: the float32 products of the pure-Go build run on the AVX2/FMA
// kernel when the CPU has it; with OpenBLAS (build tag openblas), or
// without the instructions, they go to gorgonia's BLAS (Sgemm).
var useKernel = haveKernel && blas.Name() == "purego"

// sgemm sets c = op(a)·b + beta·c for float32 (m×n, inner k ≥ 1; beta 0
// or 1), b not transposed. Element (i, x) of op(a) is a[i·rs + x·ks]
// (rs = lda, ks = 1 for a; rs = 1, ks = lda for aᵀ). Column strips of 16
// run the kernel over all row strips of 4 (the k×16 strip of b stays in
// cache). A last, narrower column strip is copied into a zero-padded
// k×16 panel and a last, shorter row strip into a zero-padded 4×k panel;
// their tiles go through a 4×16 scratch tile, so every product runs on the
// kernel.
func sgemm(m, n, k int, a []float32, rs, ks int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	add := 0
	if beta != 0 {
		add = 1
	}
	m4, n16 := m-m%4, n-n%16
	// The last rows of op(a), packed (row stride k, element stride 1).
	var ap []float32
	if m4 < m {
		buf := getBuf[float32](4 * k)
		defer bufPool.Put(buf)
		ap = *buf
		clear(ap)
		for i := m4; i < m; i++ {
			for x := 0; x < k; x++ {
				ap[(i-m4)*k+x] = a[i*rs+x*ks]
			}
		}
	}
	var tile [4 * 16]float32
	// tileOut adds or copies the scratch tile's first rows×cols values
	// into c at (i, j).
	tileOut := func(i, j, rows, cols int) {
		for r := 0; r < rows; r++ {
			dst := c[(i+r)*ldc+j : (i+r)*ldc+j+cols]
			src := tile[r*16 : r*16+cols]
			if add == 0 {
				copy(dst, src)
				continue
			}
			for q, v := range src {
				dst[q] += v
			}
		}
	}
	for j := 0; j < n16; j += 16 {
		for i := 0; i < m4; i += 4 {
			kern4x16(k, &a[i*rs], rs, ks, &b[j], ldb, &c[i*ldc+j], ldc, add)
		}
		if ap != nil {
			kern4x16(k, &ap[0], k, 1, &b[j], ldb, &tile[0], 16, 0)
			tileOut(m4, j, m-m4, 16)
		}
	}
	if n16 < n {
		cols := n - n16
		buf := getBuf[float32](16 * k)
		defer bufPool.Put(buf)
		bp := *buf
		clear(bp)
		for x := 0; x < k; x++ {
			copy(bp[x*16:x*16+cols], b[x*ldb+n16:x*ldb+n])
		}
		for i := 0; i < m4; i += 4 {
			kern4x16(k, &a[i*rs], rs, ks, &bp[0], 16, &tile[0], 16, 0)
			tileOut(i, n16, 4, cols)
		}
		if ap != nil {
			kern4x16(k, &ap[0], k, 1, &bp[0], 16, &tile[0], 16, 0)
			tileOut(m4, n16, m-m4, cols)
		}
	}
}
