//go:build !amd64 || purego

package vmath

// haveAVX2: no assembly kernels in this build.
const haveAVX2 = false
