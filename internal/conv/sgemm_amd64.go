//go:build amd64 && !purego

package conv

// kern4x16 adds the product of a 4×k panel of A and a k×16 panel of B to
// the 4×16 float32 tile at c (row stride ldc), or overwrites the tile when
// add is 0. Element (r, x) of the A panel is at a[r·rs + x·ks]; row x of the
// B panel is the 16 values at b[x·ldb]. It needs AVX2 and FMA.
//
//go:noescape
func kern4x16(k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, add int)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// haveKernel reports whether the CPU and OS support AVX2 and FMA.
var haveKernel = func() bool {
	mx, _, _, _ := cpuid(0, 0)
	if mx < 7 {
		return false
	}
	_, _, c1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if c1&fma == 0 || c1&osxsave == 0 || c1&avx == 0 {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 { // the OS saves XMM and YMM state
		return false
	}
	_, b7, _, _ := cpuid(7, 0)
	return b7&(1<<5) != 0 // AVX2
}()
