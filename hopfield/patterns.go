package hopfield

import (
	"math"

	"github.com/physbias/physbias/internal/rng"
)

// maxValues bounds the number of values RandomPatterns and MarkedSets
// make (p·n, or n·size·dim).
const maxValues = 1 << 30

// RandomPatterns returns p independent patterns of n unbiased random ±1
// units drawn from seed. It returns an error unless p, n > 0 and
// p·n ≤ 2^30.
func RandomPatterns(p, n int, seed uint64) ([][]int8, error) {
	if p <= 0 || n <= 0 || p > maxValues/n {
		return nil, errorf(ErrInput, "RandomPatterns needs p, n > 0 and p·n ≤ 2^30, got p = %d, n = %d", p, n)
	}
	r := rng.New(seed)
	out := make([][]int8, p)
	for k := range out {
		s := make([]int8, n)
		for i := range s {
			if r.Uint64()&1 == 1 {
				s[i] = 1
			} else {
				s[i] = -1
			}
		}
		out[k] = s
	}
	return out, nil
}

// Corrupt returns a copy of s with exactly round(frac·N) units, chosen at
// random from seed, flipped. frac must lie in [0, 1].
func Corrupt(s []int8, frac float64, seed uint64) ([]int8, error) {
	if len(s) == 0 {
		return nil, errorf(ErrInput, "Corrupt of an empty state")
	}
	if !(frac >= 0 && frac <= 1) {
		return nil, errorf(ErrInput, "Corrupt fraction %v outside [0, 1]", frac)
	}
	k := int(math.Round(frac * float64(len(s))))
	out := append([]int8(nil), s...)
	r := rng.New(seed)
	for _, i := range r.Perm(len(s))[:k] {
		out[i] = -out[i]
	}
	return out, nil
}

// Spins converts ±1 units to float64 values (for the modern network).
func Spins(s []int8) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = float64(v)
	}
	return out
}

// Signs returns sign(x) as ±1 units, with sign(0) = +1.
func Signs(x []float64) []int8 {
	out := make([]int8, len(x))
	for i, v := range x {
		if v < 0 {
			out[i] = -1
		} else {
			out[i] = 1
		}
	}
	return out
}
