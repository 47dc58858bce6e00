//go:build openblas

package blas

import (
	_ "github.com/physbias/physbias/internal/blas/cgolink" // links OpenBLAS
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// openblasMin is the size m·n·k from which a product goes to OpenBLAS
// rather than the core's kernel. Measured (process CPU time, one thread,
// AMD EPYC with AVX-512): the kernel is ahead up to about 192³ (45–47
// against 35–37 GFLOPS at 192³, OpenBLAS's default kernels and its Haswell
// ones alike) and even at 256³ (2²⁴: 42–43 against 42–46); OpenBLAS wins
// from 512³ (41 against 19, where the kernel, blocked only in depth, leaves
// the L2 cache). At 1 << 23 the mlp and hnn rows' 256×200×200 products
// went to OpenBLAS and the mlp row came out 1.04× PyTorch with both capped
// at AVX2 (ISA=avx2), against 1.02 on the kernel; 1 << 24 keeps them on the
// kernel.
const openblasMin = 1 << 24

func init() {
	name = "openblas"
	use(netlib.Implementation{}) // gorgonia and its tensors, Dgemm routed by size
	blas64.Use(netlib.Implementation{})
}
