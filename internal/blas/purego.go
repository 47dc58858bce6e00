//go:build !openblas

package blas

import (
	"math"

	"gonum.org/v1/gonum/blas/gonum"
)

// openblasMin: the pure-Go build has no OpenBLAS; every product that is not
// small runs on the core's kernel (or gonum's native Dgemm without it).
const openblasMin = math.MaxInt

func init() { use(gonum.Implementation{}) }
