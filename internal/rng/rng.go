package rng

import "math/rand/v2"

// New returns a generator for seed. Two generators with the same seed give
// the same sequence.
func New(seed uint64) *rand.Rand { return Stream(seed, 0) }

// Stream returns the generator of the independent stream number stream of
// seed, for work split across goroutines: stream k of a seed is the same
// whichever goroutine draws from it.
func Stream(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream^0x9e3779b97f4a7c15))
}
