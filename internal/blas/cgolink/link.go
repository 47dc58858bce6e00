//go:build openblas

// Package cgolink links OpenBLAS into builds with -tags openblas (gonum's
// netlib bindings leave the library to the program). It is a package of
// its own because a package that uses cgo cannot hold Go assembly, and
// internal/blas holds the core's GEMM kernel.
package cgolink

// #cgo LDFLAGS: -lopenblas
import "C"
