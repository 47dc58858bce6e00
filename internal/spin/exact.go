package spin

import (
	"errors"
	"math"
)

// errTooBig is returned by Boltzmann for graphs too large to enumerate.
var errTooBig = errors.New("spin: exact enumeration needs N ≤ 24 units")

// Boltzmann returns the exact distribution p(s) = exp(−E(s)/T)/Z over all
// 2^N states, by enumeration. State number k has s_i = +1 where bit i of k
// is set and −1 elsewhere (see StateIndex and StateOf). N must be at most
// 24 and T must pass CheckTemperature.
func Boltzmann(g *Graph, T float64) ([]float64, error) {
	if err := g.check(); err != nil {
		return nil, err
	}
	if err := CheckTemperature(T); err != nil {
		return nil, err
	}
	if g.n > 24 {
		return nil, errTooBig
	}
	p := make([]float64, 1<<g.n)
	s := make([]int8, g.n)
	lo := math.Inf(1)
	for k := range p {
		StateOf(k, s)
		p[k] = g.Energy(s) / T
		lo = math.Min(lo, p[k])
	}
	var z float64
	for k, e := range p {
		p[k] = math.Exp(lo - e)
		z += p[k]
	}
	for k := range p {
		p[k] /= z
	}
	return p, nil
}

// StateIndex returns the number of state s in the order of Boltzmann: bit
// i is set where s_i = +1. The index is meaningful for at most 63 units (bits
// 0 to 62 of a non-negative int; Boltzmann enumerates at most 24): unit 63
// sets the sign bit and later units are dropped.
func StateIndex(s []int8) int {
	k := 0
	for i, v := range s {
		if v > 0 {
			k |= 1 << i
		}
	}
	return k
}

// StateOf writes state number k ≥ 0 (in the order of Boltzmann) into s;
// units from number 63 on are set to −1.
func StateOf(k int, s []int8) {
	for i := range s {
		s[i] = int8(2*((k>>i)&1) - 1)
	}
}
