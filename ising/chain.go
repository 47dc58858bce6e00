package ising

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/spin"
)

// Algorithm names a Markov-chain update. One sweep of any of them is about
// N spin-flip attempts; see each constant.
type Algorithm int

const (
	// Metropolis makes N attempts at sites chosen uniformly at random,
	// each accepted with probability min(1, exp(−ΔE/T)). The default.
	Metropolis Algorithm = iota
	// Checkerboard makes one Metropolis attempt at every site, all sites of
	// one checkerboard colour and then the other (lattices with even L).
	Checkerboard
	// HeatBath (Glauber) sets every site in index order from its
	// conditional distribution: s_i = +1 with probability
	// 1/(1 + exp(−2 f_i/T)), f_i the local field.
	HeatBath
	// Wolff grows and flips single clusters (Wolff 1989); with fields, a
	// cluster flip is accepted with probability min(1, exp(−ΔE_h/T)). A
	// sweep is a fixed number of clusters: during the first WolffAdapt
	// sweeps of a chain (and after SetTemperature) a sweep grows clusters
	// until their sizes add up to N, and the mean number of clusters so
	// needed in the last half of them is then fixed for good. Ending a sweep on a size-dependent
	// condition biases the states seen at its end, so discard those first
	// sweeps (Run's burn-in does when it is at least WolffAdapt).
	Wolff
	// SwendsenWang builds all clusters at once (Swendsen & Wang 1987) and
	// sets each by heat bath between its two states (a fair coin without
	// fields). One sweep is one such update.
	SwendsenWang
	// MultiSpin is checkerboard Metropolis with 64 spins of one colour per
	// machine word, spread over goroutines by stripes: 2D lattices with L a
	// multiple of 16 only. Its samples depend on the seed alone, never on
	// GOMAXPROCS.
	MultiSpin
)

// WolffAdapt is the number of sweeps over which a Wolff chain sets its
// number of clusters per sweep.
const WolffAdapt = 20

var algorithmNames = [...]string{"Metropolis", "Checkerboard", "HeatBath", "Wolff", "SwendsenWang", "MultiSpin"}

// String returns the algorithm's name.
func (a Algorithm) String() string {
	if a < 0 || int(a) >= len(algorithmNames) {
		return fmt.Sprintf("Algorithm(%d)", int(a))
	}
	return algorithmNames[a]
}

// Config sets up a Chain. The zero value is not usable: T is required.
type Config struct {
	// T is the temperature (k_B = 1); it must be finite and > 0.
	T float64
	// Algorithm is the update; the zero value is Metropolis.
	Algorithm Algorithm
	// Seed seeds every random stream of the chain.
	Seed uint64
	// Hot starts from independent random spins; the default (false) starts
	// from all spins +1.
	Hot bool
}

// Chain is a Markov chain over the states of a Model at temperature T. It
// is not safe for concurrent use (MultiSpin runs its own goroutines). Make
// one with NewChain: on a zero Chain the methods that return an error
// return one, Spins returns an empty state and the energy is NaN.
type Chain struct {
	model Model
	cfg   Config
	lat   *Lattice    // nil for a Graph
	g     *spin.Graph // for the graph samplers and the cluster updates
	s     []int8      // the state, except under MultiSpin
	ms    *multiSpin
	tb    *tables
	order []int32 // checkerboard visiting order (generic lattices)
	cl    *clusters
	lw    *latticeWolff
	wy    wyrand
	rr    *rand.Rand // for the graph kernels of internal/spin
	sweeps,
	clusterFlips int
	// Wolff: adaptive sweeps made, clusters grown in them, clusters per
	// sweep once fixed (0 while adapting).
	adaptSweeps, adaptClusters, clustersPerSweep int
}

// NewChain returns a chain for model m. It returns an error for a nil or
// zero model, a bad temperature, an unknown algorithm, Checkerboard on a graph
// or an odd L, and MultiSpin on anything but a 2D lattice with L a
// multiple of 16.
func NewChain(m Model, cfg Config) (*Chain, error) {
	if m == nil {
		return nil, fail.Errorf(fail.ErrInput, "ising", "nil model")
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	if err := checkTemperature(cfg.T); err != nil {
		return nil, err
	}
	if cfg.Algorithm < 0 || cfg.Algorithm > MultiSpin {
		return nil, fail.Errorf(fail.ErrInput, "ising", "unknown algorithm %d", int(cfg.Algorithm))
	}
	c := &Chain{model: m, cfg: cfg, wy: newWyrand(cfg.Seed, 0), rr: rng.Stream(cfg.Seed, 1)}
	if l, ok := m.(*Lattice); ok {
		c.lat = l
	}
	switch cfg.Algorithm {
	case Checkerboard:
		if c.lat == nil {
			return nil, fail.Errorf(fail.ErrInput, "ising", "Checkerboard needs a Lattice, not a Graph")
		}
		if c.lat.l%2 != 0 {
			return nil, fail.Errorf(fail.ErrInput, "ising", "Checkerboard needs an even L, got %d", c.lat.l)
		}
	case MultiSpin:
		if c.lat == nil {
			return nil, fail.Errorf(fail.ErrInput, "ising", "MultiSpin needs a 2D Lattice, not a Graph")
		}
		ms, err := newMultiSpin(c.lat, cfg.T, cfg.Seed)
		if err != nil {
			return nil, err
		}
		c.ms = ms
	}
	n := m.N()
	s := make([]int8, n)
	start := newWyrand(cfg.Seed, 1<<40)
	for i := range s {
		s[i] = 1
		if cfg.Hot && start.next()>>63 == 1 {
			s[i] = -1
		}
	}
	if err := c.SetSpins(s); err != nil {
		return nil, err
	}
	if err := c.SetTemperature(cfg.T); err != nil {
		return nil, err
	}
	return c, nil
}

// SetTemperature changes T for the following sweeps (annealing, or a scan
// in T that starts each point from the last state).
func (c *Chain) SetTemperature(T float64) error {
	if err := c.check(); err != nil {
		return err
	}
	if err := checkTemperature(T); err != nil {
		return err
	}
	c.cfg.T = T
	if c.lat != nil {
		c.tb = newTables(c.lat.d, c.lat.j, c.lat.h, T)
	}
	if c.ms != nil {
		c.ms.setTemperature(T)
	}
	c.cl, c.lw = nil, nil
	c.adaptSweeps, c.adaptClusters, c.clustersPerSweep = 0, 0, 0
	return nil
}

// check returns an error for a Chain not made by NewChain.
func (c *Chain) check() error {
	if c == nil || c.model == nil {
		return fail.Errorf(fail.ErrZeroValue, "ising", "nil or zero Chain (make one with NewChain)")
	}
	return nil
}

// T returns the temperature.
func (c *Chain) T() float64 { return c.cfg.T }

// Model returns the model the chain samples.
func (c *Chain) Model() Model { return c.model }

// Algorithm returns the update the chain uses.
func (c *Chain) Algorithm() Algorithm { return c.cfg.Algorithm }

// SetSpins replaces the state with a copy of s (length N, entries ±1).
func (c *Chain) SetSpins(s []int8) error {
	if err := c.check(); err != nil {
		return err
	}
	if err := checkState(s, c.model.N()); err != nil {
		return err
	}
	if c.ms != nil {
		c.ms.pack(s)
		return nil
	}
	c.s = append(c.s[:0], s...)
	return nil
}

// Spins copies the state into dst and returns it (lattice site order: see
// Lattice). A nil dst or one of another length is replaced by a new slice.
func (c *Chain) Spins(dst []int8) []int8 {
	if c.check() != nil {
		return dst[:0]
	}
	if len(dst) != c.model.N() {
		dst = make([]int8, c.model.N())
	}
	if c.ms != nil {
		c.ms.unpack(dst)
		return dst
	}
	copy(dst, c.s)
	return dst
}

// Energy returns the total energy of the state.
func (c *Chain) Energy() float64 {
	e, _ := c.EnergyMagnetization()
	return e
}

// EnergyMagnetization returns the total energy E and magnetization
// M = Σ_i s_i of the state (NaN for a zero Chain).
func (c *Chain) EnergyMagnetization() (E, M float64) {
	if c.check() != nil {
		return math.NaN(), math.NaN()
	}
	if c.ms != nil {
		return c.ms.energyMag()
	}
	mag := 0
	for _, v := range c.s {
		mag += int(v)
	}
	if c.lat != nil {
		return c.lat.energy(c.s), float64(mag)
	}
	g, _ := c.model.spinGraph()
	return g.Energy(c.s), float64(mag)
}

// Sweeps returns the number of sweeps made so far.
func (c *Chain) Sweeps() int { return c.sweeps }

// Clusters returns the number of Wolff clusters grown so far.
func (c *Chain) Clusters() int { return c.clusterFlips }

// Sweep makes n sweeps.
func (c *Chain) Sweep(n int) error {
	if err := c.check(); err != nil {
		return err
	}
	if n < 0 {
		return fail.Errorf(fail.ErrInput, "ising", "negative number of sweeps %d", n)
	}
	for range n {
		if err := c.sweep(); err != nil {
			return err
		}
	}
	return nil
}

func (c *Chain) sweep() error {
	T := c.cfg.T
	c.sweeps++
	switch c.cfg.Algorithm {
	case MultiSpin:
		c.ms.sweep()
		return nil
	case Wolff, SwendsenWang:
		if c.cfg.Algorithm == Wolff && c.lat != nil && c.lw == nil {
			c.lw = newLatticeWolff(c.lat, T)
		}
		if c.cl == nil && c.lw == nil {
			g, err := c.model.spinGraph()
			if err != nil {
				return err
			}
			c.cl = newClusters(g, T)
		}
		if c.cfg.Algorithm == SwendsenWang {
			c.cl.swendsenWang(c.s, &c.wy)
			return nil
		}
		grow := func() int {
			if c.lw != nil {
				return c.lw.step(c.s, T, &c.wy)
			}
			return c.cl.wolff(c.s, &c.wy)
		}
		if c.clustersPerSweep > 0 {
			for range c.clustersPerSweep {
				grow()
			}
			c.clusterFlips += c.clustersPerSweep
			return nil
		}
		grown := 0
		for done := 0; done < len(c.s); {
			done += grow()
			grown++
		}
		c.clusterFlips += grown
		// Count only the second half of the adaptive sweeps: the first
		// ones may start far from equilibrium (a hot start at T_c has
		// tiny clusters).
		if c.adaptSweeps++; c.adaptSweeps > WolffAdapt/2 {
			c.adaptClusters += grown
		}
		if c.adaptSweeps == WolffAdapt {
			c.clustersPerSweep = max(1, int(math.Round(float64(c.adaptClusters)/float64(WolffAdapt-WolffAdapt/2))))
		}
		return nil
	}
	if c.lat == nil {
		g, _ := c.model.spinGraph()
		if c.cfg.Algorithm == HeatBath {
			spin.HeatBathSweep(g, c.s, T, c.rr)
		} else {
			spin.MetropolisSweep(g, c.s, T, c.rr)
		}
		return nil
	}
	switch c.cfg.Algorithm {
	case Metropolis:
		metropolisRandom(c.lat, c.s, c.tb, &c.wy)
	case HeatBath:
		heatBathOrdered(c.lat, c.s, nil, c.tb, &c.wy)
	case Checkerboard:
		if c.lat.d == 2 {
			checkerboard2D(c.lat.l, c.s, c.tb, &c.wy)
			return nil
		}
		if c.order == nil {
			for col := range 2 {
				for i := range c.lat.n {
					if c.lat.colour(i) == col {
						c.order = append(c.order, int32(i))
					}
				}
			}
		}
		metropolisOrdered(c.lat, c.s, c.order, c.tb, &c.wy)
	}
	return nil
}
