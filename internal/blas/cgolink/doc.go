//go:build !openblas

// Package cgolink links OpenBLAS into builds with -tags openblas; without
// the tag it is empty.
package cgolink
