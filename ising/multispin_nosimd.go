//go:build !(goexperiment.simd && amd64)

package ising

// simdBuild reports that this binary has the SIMD kernel: it has not (build
// with GOEXPERIMENT=simd on amd64 for it).
const simdBuild = false

type simdState struct{}

func (ms *multiSpin) initSIMD(seed uint64)     {}
func (ms *multiSpin) prepareSIMD()             {}
func (ms *multiSpin) stripeSIMD(t, k int) bool { return false }

func simdOn(ms *multiSpin) bool { return false }
