package spin

import (
	"math"
	"math/rand/v2"
)

// MetropolisSweep makes N Metropolis attempts on units chosen uniformly at
// random (with replacement): flip unit i with probability
// min(1, exp(−ΔE/T)), ΔE = 2 s_i (h_i + Σ_j J_ij s_j). It returns how many
// flips were accepted. s must pass g.CheckState and T CheckTemperature.
func MetropolisSweep(g *Graph, s []int8, T float64, r *rand.Rand) int {
	_ = s[g.n-1]
	beta := 1 / T
	acc := 0
	for range g.n {
		i := r.IntN(g.n)
		dE := 2 * float64(s[i]) * g.LocalField(s, i)
		if dE <= 0 || r.Float64() < math.Exp(-beta*dE) {
			s[i] = -s[i]
			acc++
		}
	}
	return acc
}

// HeatBathSweep visits the units in order 0, 1, …, N−1 and sets each from
// its conditional distribution (Glauber dynamics): s_i = +1 with
// probability 1/(1+exp(−2 f_i/T)), f_i = h_i + Σ_j J_ij s_j. s must pass
// g.CheckState and T CheckTemperature.
func HeatBathSweep(g *Graph, s []int8, T float64, r *rand.Rand) {
	_ = s[g.n-1]
	beta := 2 / T
	for i := range g.n {
		if r.Float64() < UpProbability(beta*g.LocalField(s, i)) {
			s[i] = 1
		} else {
			s[i] = -1
		}
	}
}

// UpProbability returns 1/(1+exp(−x)), the heat-bath probability of s_i = +1
// when x = 2 f_i/T, computed without overflow for any x.
func UpProbability(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
