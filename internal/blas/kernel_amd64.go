//go:build amd64 && !purego

package blas

// kern4x8 adds the product of a 4×k panel of A and a k×8 panel of B to the
// 4×8 tile at c (row stride ldc). Element (r, x) of the A panel is at
// a[r·rs + x·ks]; row x of the B panel is the 8 values at b[x·ldb]. With
// add = 0 the tile is overwritten instead. It needs AVX2 and FMA.
//
//go:noescape
func kern4x8(k int, a *float64, rs, ks int, b *float64, ldb int, c *float64, ldc int, add int)

// kernelIsAsm: kern4x8 is assembly and must not run without haveKernel.
const kernelIsAsm = true

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// haveKernel reports whether the CPU and OS support AVX2 and FMA.
var haveKernel = func() bool {
	max, _, _, _ := cpuid(0, 0)
	if max < 7 {
		return false
	}
	_, _, c1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if c1&fma == 0 || c1&osxsave == 0 || c1&avx == 0 {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 { // OS saves XMM and YMM state
		return false
	}
	_, b7, _, _ := cpuid(7, 0)
	return b7&(1<<5) != 0 // AVX2
}()
