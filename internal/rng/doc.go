// Package rng gives physbias its seeded random streams: the same seed gives
// the same numbers on every machine and under any GOMAXPROCS.
//
// # Rules
//
// All randomness in physbias takes a seed and draws from a generator made
// here, never from the global math/rand functions or from a clock. New(seed)
// is stream 0 of the seed. Work split across goroutines gives each piece its
// own Stream(seed, k), numbered by the piece and not by the goroutine that
// happens to run it, so results do not depend on scheduling.
//
// The generators are math/rand/v2's PCG (O'Neill 2014), whose output for a
// given state is fixed by the Go standard library; a *rand.Rand is not safe
// for concurrent use.
package rng
