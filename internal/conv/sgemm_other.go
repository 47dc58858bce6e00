//go:build !amd64 || purego

package conv

// haveKernel and haveAVX512 are false: there are no float32 assembly
// kernels on this platform, and gorgonia's BLAS does the products.
const (
	haveKernel = false
	haveAVX512 = false
)

// The kernel sets are empty here.
var kernelsAVX2, kernelsAVX512, kernelsAVX2Strided kernels

func defaultKernels() kernels { return kernels{} }
