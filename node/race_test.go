//go:build race

package node_test

// raceOn: the race detector is on; sync.Pool (which internal/blas's packed
// GEMM takes its buffers from) then drops items at random, so allocation
// counts are not meaningful.
const raceOn = true
