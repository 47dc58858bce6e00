//go:build openblas

package blas

import (
	_ "github.com/physbias/physbias/internal/blas/cgolink" // links OpenBLAS
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// openblasMin is the size m·n·k from which a product goes to OpenBLAS
// rather than the core's kernel. Measured (process CPU time, one
// thread, AMD EPYC with AVX-512, loaded machine): the kernel is ahead up to
// about 192³ (45 against 40 GFLOPS at 128³), OpenBLAS from about 256³ (38
// against 35; 41 against 19 at 512³, where the kernel, blocked only in
// depth, leaves the L2 cache).
const openblasMin = 1 << 23

func init() {
	name = "openblas"
	use(netlib.Implementation{}) // gorgonia and its tensors, Dgemm routed by size
	blas64.Use(netlib.Implementation{})
}
