//go:build !amd64 || purego

package conv

// haveKernel is false: there is no float32 assembly kernel on this
// platform, and gorgonia's BLAS does the products.
const haveKernel = false

func kern4x16(k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, add int) {
	panic("conv: kern4x16 without the assembly kernel")
}
