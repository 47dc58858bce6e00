// Package blas chooses the BLAS that gorgonia and gonum use for matrix
// products.
//
// Pure Go (gonum's native BLAS) is the default, so every program builds and
// runs on a bare machine. Building with the tag openblas switches gorgonia,
// gorgonia's tensors and gonum's blas64 to OpenBLAS through cgo
// (gonum.org/v1/netlib); it needs a C compiler and the OpenBLAS development
// files (Debian: apt-get install libopenblas-dev):
//
//	go test -tags openblas ./...
//
// Packages that build gorgonia graphs import this package for its side
// effect; Name reports which BLAS is in use.
package blas
