package hopfield

import (
	"math"

	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/spin"
)

// Edge is a symmetric coupling w_ij = W between units I and J (I ≠ J).
// Edges listed twice add up.
type Edge struct {
	I, J int
	W    float64
}

// Boltzmann is a Boltzmann machine (Ackley, Hinton and Sejnowski 1985):
// stochastic binary units s_i = ±1 on a weighted graph at temperature T,
// distributed as
//
//	p(s) = exp(−E(s)/T) / Z,  E(s) = −Σ_{i<j} w_ij s_i s_j − Σ_i b_i s_i.
//
// It is the same model as an Ising spin glass on that graph, and the
// classical Network is its T → 0 limit. Sampling is Gibbs sampling (the
// heat bath): unit i becomes +1 with probability 1/(1+exp(−2 f_i/T)),
// f_i = b_i + Σ_j w_ij s_j, the move the core's spin package shares with
// the Ising models. Make one with NewBoltzmann or Network.Boltzmann: on a
// zero Boltzmann the methods with an error result return one, and the
// others return zero values.
type Boltzmann struct {
	g *spin.Graph
	t float64
}

// NewBoltzmann returns the machine of n units with the given couplings,
// biases b (length n, or nil for zero) and temperature T > 0.
func NewBoltzmann(n int, edges []Edge, bias []float64, T float64) (*Boltzmann, error) {
	if n <= 0 || n > math.MaxInt32 {
		return nil, errorf(ErrInput, "Boltzmann machine needs 0 < N ≤ 2^31−1 units, got %d", n)
	}
	if !(T > 0) || math.IsInf(T, 0) {
		return nil, errorf(ErrInput, "temperature must be positive and finite, got %v", T)
	}
	if bias == nil {
		bias = make([]float64, n)
	}
	if len(bias) != n {
		return nil, errorf(ErrInput, "%d biases for %d units", len(bias), n)
	}
	if err := checkFinite("bias", bias); err != nil {
		return nil, err
	}
	se := make([]spin.Edge, len(edges))
	for k, e := range edges {
		if e.I < 0 || e.I >= n || e.J < 0 || e.J >= n {
			return nil, errorf(ErrInput, "edge %d joins units %d and %d of %d", k, e.I, e.J, n)
		}
		if e.I == e.J {
			return nil, errorf(ErrInput, "edge %d is a self-coupling of unit %d", k, e.I)
		}
		if math.IsNaN(e.W) || math.IsInf(e.W, 0) {
			return nil, errorf(ErrInput, "edge %d has weight %v", k, e.W)
		}
		se[k] = spin.Edge{I: e.I, J: e.J, W: e.W}
	}
	g, err := spin.NewGraph(n, se, bias)
	if err != nil {
		return nil, wrapKind(ErrInput, err, "")
	}
	return &Boltzmann{g: g, t: T}, nil
}

// Boltzmann returns the classical network as a Boltzmann machine at
// temperature T: couplings w_ij and biases −θ_i give the same energy, so
// that recall is the T → 0 limit of Gibbs sampling.
func (net *Network) Boltzmann(T float64) (*Boltzmann, error) {
	var edges []Edge
	for i := 0; i < net.n; i++ {
		for j := i + 1; j < net.n; j++ {
			if w := net.w[i*net.n+j]; w != 0 {
				edges = append(edges, Edge{I: i, J: j, W: w})
			}
		}
	}
	bias := make([]float64, net.n)
	for i, th := range net.theta {
		bias[i] = -th
	}
	return NewBoltzmann(net.n, edges, bias, T)
}

// N returns the number of units.
func (b *Boltzmann) N() int {
	if b.g == nil {
		return 0
	}
	return b.g.N()
}

func (b *Boltzmann) check() error {
	if b == nil || b.g == nil {
		return errZero("Boltzmann", "NewBoltzmann")
	}
	return nil
}

// T returns the temperature.
func (b *Boltzmann) T() float64 { return b.t }

// Energy returns E(s).
func (b *Boltzmann) Energy(s []int8) (float64, error) {
	if err := b.check(); err != nil {
		return 0, err
	}
	if err := b.g.CheckState(s); err != nil {
		return 0, wrapKind(ErrInput, err, "")
	}
	return b.g.Energy(s), nil
}

// SampleConfig sets a Gibbs sampling run. The zero value is a random start,
// 100 burn-in sweeps, 1,000 samples one sweep apart, seed 0.
type SampleConfig struct {
	// Start is the initial state; nil draws one at random.
	Start []int8
	// Burn is the number of sweeps discarded first; zero means 100 and a
	// negative value means none.
	Burn int
	// Samples is the number of states visited; zero means 1,000.
	Samples int
	// Thin is the number of sweeps between samples; zero means 1.
	Thin int
	// Seed draws the random start and the heat-bath decisions.
	Seed uint64
}

// Sample runs Gibbs sampling (heat-bath sweeps over the units in order) and
// calls visit with the state after every Thin sweeps, Samples times. visit
// must not keep s. A non-nil error from visit stops the run and is
// returned; a nil visit is an error.
func (b *Boltzmann) Sample(cfg SampleConfig, visit func(s []int8) error) error {
	if err := b.check(); err != nil {
		return err
	}
	if visit == nil {
		return errorf(ErrInput, "Sample needs a visit function, got nil")
	}
	n := b.g.N()
	burn, samples, thin := cfg.Burn, cfg.Samples, cfg.Thin
	switch {
	case burn == 0:
		burn = 100
	case burn < 0:
		burn = 0
	}
	if samples < 0 || thin < 0 {
		return errorf(ErrInput, "Samples %d and Thin %d must not be negative", samples, thin)
	}
	if samples == 0 {
		samples = 1000
	}
	if thin == 0 {
		thin = 1
	}
	r := rng.New(cfg.Seed)
	s := make([]int8, n)
	if cfg.Start != nil {
		if err := b.g.CheckState(cfg.Start); err != nil {
			return wrapKind(ErrInput, err, "start state")
		}
		copy(s, cfg.Start)
	} else {
		for i := range s {
			s[i] = int8(2*r.IntN(2) - 1)
		}
	}
	for range burn {
		spin.HeatBathSweep(b.g, s, b.t, r)
	}
	for range samples {
		for range thin {
			spin.HeatBathSweep(b.g, s, b.t, r)
		}
		if err := visit(s); err != nil {
			return err
		}
	}
	return nil
}

// maxEnumerate bounds N for Exact and Histogram (2^N states).
const maxEnumerate = 24

// StateIndex returns the number of state s in the order of Exact and
// Histogram: bit i is set where s_i = +1.
func StateIndex(s []int8) int { return spin.StateIndex(s) }

// Exact returns the distribution p(s) over all 2^N states by enumeration
// (N ≤ 24), state k having s_i = +1 where bit i of k is set.
func (b *Boltzmann) Exact() ([]float64, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	if b.g.N() > maxEnumerate {
		return nil, errorf(ErrInput, "exact enumeration needs N ≤ %d units, got %d", maxEnumerate, b.g.N())
	}
	p, err := spin.Boltzmann(b.g, b.t)
	if err != nil {
		return nil, wrapKind(ErrInput, err, "")
	}
	return p, nil
}

// Histogram samples with cfg and returns the fraction of samples in each of
// the 2^N states (N ≤ 24), in the order of Exact.
func (b *Boltzmann) Histogram(cfg SampleConfig) ([]float64, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	if b.g.N() > maxEnumerate {
		return nil, errorf(ErrInput, "a histogram over states needs N ≤ %d units, got %d", maxEnumerate, b.g.N())
	}
	h := make([]float64, 1<<b.g.N())
	total := 0
	err := b.Sample(cfg, func(s []int8) error {
		h[spin.StateIndex(s)]++
		total++
		return nil
	})
	if err != nil {
		return nil, err
	}
	for k := range h {
		h[k] /= float64(total)
	}
	return h, nil
}

// TotalVariation returns ½ Σ |p_k − q_k|, the total-variation distance of
// two distributions over the same states.
func TotalVariation(p, q []float64) (float64, error) {
	if len(p) != len(q) || len(p) == 0 {
		return 0, errorf(ErrInput, "total variation of distributions over %d and %d states", len(p), len(q))
	}
	var d float64
	for k := range p {
		d += math.Abs(p[k] - q[k])
	}
	return d / 2, nil
}
