//go:build openblas

package blas

import (
	_ "github.com/physbias/physbias/internal/blas/cgolink" // links OpenBLAS
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// openblasMin is the size m·n·k from which a product goes to OpenBLAS
// rather than the core's kernel.
const openblasMin = 1 << 20

func init() {
	name = "openblas"
	use(netlib.Implementation{}) // gorgonia and its tensors, Dgemm routed by size
	blas64.Use(netlib.Implementation{})
}
