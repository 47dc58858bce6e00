//go:build amd64 && !purego

package conv

import "github.com/physbias/physbias/internal/cpufeat"

// The micro-kernels (sgemm_amd64.s). Each adds the product of an mr×k
// panel of A and a k×nr panel of B to the mr×nr float32 tile at c (row
// stride ldc), or overwrites the tile when add is 0. Row r of the A panel
// starts at element aoff[r] of a, its element x a further x·ks elements on;
// row x of the B panel is the nr values from element boff[x] of b.

// kern4x16 is the AVX2/FMA 4×16 kernel.
//
//go:noescape
func kern4x16(k int, a *float32, aoff *int, ks int, b *float32, boff *int, c *float32, ldc int, add int)

// kern6x16 is the AVX2/FMA 6×16 kernel.
//
//go:noescape
func kern6x16(k int, a *float32, aoff *int, ks int, b *float32, boff *int, c *float32, ldc int, add int)

// kern6x8 is the AVX2/FMA 6×8 kernel (for the last column strip).
//
//go:noescape
func kern6x8(k int, a *float32, aoff *int, ks int, b *float32, boff *int, c *float32, ldc int, add int)

// kern8x8 is the AVX2/FMA 8×8 kernel (for the last column strip); ks must
// be 1.
//
//go:noescape
func kern8x8(k int, a *float32, aoff *int, ks int, b *float32, boff *int, c *float32, ldc int, add int)

// kern8x8z is the AVX-512F/VL 8×8 kernel on YMM registers (for the last
// column strip); ks must be 1.
//
//go:noescape
func kern8x8z(k int, a *float32, aoff *int, ks int, b *float32, boff *int, c *float32, ldc int, add int)

// kern8x32z is the AVX-512F 8×32 kernel; ks must be 1.
//
//go:noescape
func kern8x32z(k int, a *float32, aoff *int, ks int, b *float32, boff *int, c *float32, ldc int, add int)

// kern8x16z is the AVX-512F 8×16 kernel; ks must be 1.
//
//go:noescape
func kern8x16z(k int, a *float32, aoff *int, ks int, b *float32, boff *int, c *float32, ldc int, add int)

// haveKernel reports whether the CPU and OS support AVX2 and FMA.
var haveKernel = cpufeat.AVX2FMA

// haveAVX512 reports whether the CPU and OS support AVX-512F and VL (and the
// AVX2 kernels), and PHYSBIAS_NOAVX512 is not set to a non-empty value
// other than 0 when the program starts.
var haveAVX512 = cpufeat.AVX512

// The kernel sets: the AVX2 one and, where the CPU has it, the AVX-512
// one; kernelsAVX2Strided is the AVX2 set without its unit-stride kernel,
// for products whose A is read with ks ≠ 1.
var (
	kernelsAVX2 = kernels{name: "avx2", list: []kernel{
		{mr: 6, nr: 16, fn: kern6x16},
		{mr: 4, nr: 16, fn: kern4x16},
		{mr: 8, nr: 8, fn: kern8x8, unit: true},
		{mr: 6, nr: 8, fn: kern6x8},
	}}
	kernelsAVX512 = kernels{name: "avx512", list: []kernel{
		{mr: 8, nr: 32, fn: kern8x32z, unit: true},
		{mr: 8, nr: 16, fn: kern8x16z, unit: true},
		{mr: 8, nr: 8, fn: kern8x8z, unit: true},
	}}
	kernelsAVX2Strided = kernels{name: "avx2", list: []kernel{
		{mr: 6, nr: 16, fn: kern6x16},
		{mr: 4, nr: 16, fn: kern4x16},
		{mr: 6, nr: 8, fn: kern6x8},
	}}
)

// defaultKernels is the fastest kernel set the CPU supports.
func defaultKernels() kernels {
	if haveAVX512 {
		return kernelsAVX512
	}
	return kernelsAVX2
}
