package ising

import "math/bits"

// wyrand is the wyrand generator (Wang Yi): one add and one 64×64→128
// multiply per draw, period 2^64. Each stripe of a lattice owns one, so
// the draws do not depend on which goroutine runs the stripe.
type wyrand struct{ s uint64 }

// newWyrand returns stream number stream of seed.
func newWyrand(seed, stream uint64) wyrand {
	return wyrand{s: splitmix(splitmix(seed) ^ splitmix(stream+0x632be59bd9b4e019))}
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// The wyrand constants: the state's increment and the mixing xor.
const (
	wyInc = 0xa0761d6478bd642f
	wyMix = 0xe7037ed1a0b428db
)

func (r *wyrand) next() uint64 {
	r.s += wyInc
	hi, lo := bits.Mul64(r.s, r.s^wyMix)
	return hi ^ lo
}

// intn returns a number in [0, n) by Lemire's multiply-high (bias below
// n/2^64, far below anything a simulation resolves).
func (r *wyrand) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// threshold returns floor(p·2^64) for p in [0, 1): u < threshold(p) has
// probability p (to within 2^−64) for a uniform 64-bit u. p ≥ 1 gives the
// largest uint64.
func threshold(p float64) uint64 {
	switch {
	case !(p > 0):
		return 0
	case p >= 1:
		return ^uint64(0)
	}
	return uint64(p * (1 << 64))
}
