package hopfield

import (
	"math"

	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/spin"
)

// FitConfig sets Boltzmann learning. The zero value means learning rate
// 0.1, 500 steps and exact model statistics.
type FitConfig struct {
	// LR is the learning rate; zero means 0.1.
	LR float64
	// Steps is the number of gradient steps; zero means 500.
	Steps int
	// Gibbs, when positive, estimates the model statistics from a
	// persistent Gibbs chain (Tieleman 2008) run for this many sweeps per
	// step, and returns the parameters averaged over the second half of
	// the steps (Polyak–Ruppert averaging, which removes most of the
	// chain's noise); zero means exact statistics by enumeration (N ≤ 24)
	// and the last parameters.
	Gibbs int
	// Seed draws the persistent chain (with Gibbs > 0).
	Seed uint64
}

// Fit learns the couplings (on the machine's own edges) and biases that
// maximise the likelihood of the ±1 data with the Boltzmann learning rule
// (Ackley, Hinton and Sejnowski 1985),
//
//	Δw_ij = (LR/T) (⟨s_i s_j⟩_data − ⟨s_i s_j⟩_model),
//	Δb_i  = (LR/T) (⟨s_i⟩_data − ⟨s_i⟩_model),
//
// starting from b's parameters, and returns the trained machine (b is not
// changed). For a fully visible machine the log-likelihood is concave, and
// at its maximum the model's moments equal the data's.
func (b *Boltzmann) Fit(data [][]int8, cfg FitConfig) (*Boltzmann, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	n := b.g.N()
	if _, err := checkPatterns(data); err != nil {
		return nil, err
	}
	if len(data[0]) != n {
		return nil, errorf(ErrInput, "data have %d units, machine has %d", len(data[0]), n)
	}
	lr, steps := cfg.LR, cfg.Steps
	if lr == 0 {
		lr = 0.1
	}
	if steps == 0 {
		steps = 500
	}
	if !(lr > 0) || math.IsInf(lr, 0) || steps < 0 || cfg.Gibbs < 0 {
		return nil, errorf(ErrInput, "Fit needs LR > 0, Steps ≥ 0 and Gibbs ≥ 0, got %v, %d, %d", cfg.LR, cfg.Steps, cfg.Gibbs)
	}
	if cfg.Gibbs == 0 && n > maxEnumerate {
		return nil, errorf(ErrInput, "exact statistics need N ≤ %d units, got %d; set FitConfig.Gibbs", maxEnumerate, n)
	}
	edges := b.g.Edges()
	bias := make([]float64, n)
	for i := range bias {
		bias[i] = b.g.Field(i)
	}
	// Data statistics.
	dPair := make([]float64, len(edges))
	dOne := make([]float64, n)
	for _, s := range data {
		for k, e := range edges {
			dPair[k] += float64(s[e.I] * s[e.J])
		}
		for i, v := range s {
			dOne[i] += float64(v)
		}
	}
	inv := 1 / float64(len(data))
	for k := range dPair {
		dPair[k] *= inv
	}
	for i := range dOne {
		dOne[i] *= inv
	}
	mPair := make([]float64, len(edges))
	mOne := make([]float64, n)
	r := rng.New(cfg.Seed)
	chain := make([]int8, n)
	for i := range chain {
		chain[i] = int8(2*r.IntN(2) - 1)
	}
	cur := b
	avgW := make([]float64, len(edges))
	avgB := make([]float64, n)
	avgN := 0
	for step := 0; step < steps; step++ {
		clear(mPair)
		clear(mOne)
		if cfg.Gibbs == 0 {
			p, err := spin.Boltzmann(cur.g, cur.t)
			if err != nil {
				return nil, wrapKind(ErrInput, err, "")
			}
			s := make([]int8, n)
			for idx, pk := range p {
				spin.StateOf(idx, s)
				addMoments(mPair, mOne, edges, s, pk)
			}
		} else {
			w := 1 / float64(cfg.Gibbs)
			for range cfg.Gibbs {
				spin.HeatBathSweep(cur.g, chain, cur.t, r)
				addMoments(mPair, mOne, edges, chain, w)
			}
		}
		a := lr / b.t
		for k := range edges {
			edges[k].W += a * (dPair[k] - mPair[k])
		}
		for i := range bias {
			bias[i] += a * (dOne[i] - mOne[i])
		}
		if err := checkFinite("fitted biases", bias); err != nil {
			return nil, errorf(ErrInput, "Fit step %d diverged (lower LR): %v", step+1, err)
		}
		next, err := cur.withParams(edges, bias)
		if err != nil {
			return nil, err
		}
		cur = next
		if cfg.Gibbs > 0 && 2*step >= steps {
			for k, e := range edges {
				avgW[k] += e.W
			}
			for i, v := range bias {
				avgB[i] += v
			}
			avgN++
		}
	}
	if avgN == 0 {
		return cur, nil
	}
	for k := range edges {
		edges[k].W = avgW[k] / float64(avgN)
	}
	for i := range bias {
		bias[i] = avgB[i] / float64(avgN)
	}
	return cur.withParams(edges, bias)
}

func addMoments(pair, one []float64, edges []spin.Edge, s []int8, w float64) {
	for k, e := range edges {
		pair[k] += w * float64(s[e.I]*s[e.J])
	}
	for i, v := range s {
		one[i] += w * float64(v)
	}
}

// withParams returns a machine at the same temperature with new couplings
// and biases.
func (b *Boltzmann) withParams(edges []spin.Edge, bias []float64) (*Boltzmann, error) {
	hs := make([]Edge, len(edges))
	for k, e := range edges {
		hs[k] = Edge{I: e.I, J: e.J, W: e.W}
	}
	return NewBoltzmann(b.g.N(), hs, bias, b.t)
}

// Edges returns the couplings, each once with I < J.
func (b *Boltzmann) Edges() []Edge {
	if b.g == nil {
		return nil
	}
	se := b.g.Edges()
	out := make([]Edge, len(se))
	for k, e := range se {
		out[k] = Edge{I: e.I, J: e.J, W: e.W}
	}
	return out
}

// Bias returns a copy of the biases.
func (b *Boltzmann) Bias() []float64 {
	if b.g == nil {
		return nil
	}
	out := make([]float64, b.g.N())
	for i := range out {
		out[i] = b.g.Field(i)
	}
	return out
}

// LogLikelihood returns the mean log-probability of the ±1 data under the
// machine, by exact enumeration (N ≤ 24).
func (b *Boltzmann) LogLikelihood(data [][]int8) (float64, error) {
	if err := b.check(); err != nil {
		return 0, err
	}
	if _, err := checkPatterns(data); err != nil {
		return 0, err
	}
	if len(data[0]) != b.g.N() {
		return 0, errorf(ErrInput, "data have %d units, machine has %d", len(data[0]), b.g.N())
	}
	p, err := b.Exact()
	if err != nil {
		return 0, err
	}
	var ll float64
	for _, s := range data {
		ll += math.Log(p[spin.StateIndex(s)])
	}
	return ll / float64(len(data)), nil
}
