//go:build openblas

package blas

// #cgo LDFLAGS: -lopenblas
import "C"

import (
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
	G "gorgonia.org/gorgonia"
)

func init() {
	name = "openblas"
	G.Use(netlib.Implementation{}) // also sets gorgonia.org/tensor's BLAS
	blas64.Use(netlib.Implementation{})
}
