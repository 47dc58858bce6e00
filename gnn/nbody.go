package gnn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/rng"
)

// Potential is the pairwise interaction of an n-body system, as in Cranmer
// et al. 2020. With Δx = x_i − x_j and r = |Δx| (softened as
// √(|Δx|² + Softening²) for the 1/r laws), the force on particle i from j
// is:
type Potential int

// The potentials.
const (
	Spring Potential = iota // U = (r − 1)²,       F_i = −2(r − 1)·Δx/r
	R1                      // U = m_i m_j log r,  F_i = −m_i m_j·Δx/r²
	R2                      // U = −m_i m_j / r,   F_i = −m_i m_j·Δx/r³
	Charge                  // U = q_i q_j / r,    F_i = +q_i q_j·Δx/r³
)

// Softening is the length added in quadrature to the distance of the 1/r,
// 1/r² and charge laws, so that close encounters stay finite. The paper
// adds 0.01 to |Δx|; adding it in quadrature keeps each law an exact power
// of the softened distance, which FitLaw's candidates are written in.
const Softening = 0.01

var potNames = [...]string{"spring", "1/r", "1/r²", "charge"}

// String returns the potential's name.
func (p Potential) String() string {
	if p < 0 || int(p) >= len(potNames) {
		return fmt.Sprintf("Potential(%d)", int(p))
	}
	return potNames[p]
}

// Force writes into f the force on a particle at offset dx = x_i − x_j
// from another, with masses mi, mj and charges qi, qj, and returns the
// distance r the law uses. f should be as long as dx; a shorter f gets
// only its first len(f) components.
func (p Potential) Force(dx []float64, mi, mj, qi, qj float64, f []float64) float64 {
	r2 := 0.0
	for _, d := range dx {
		r2 += d * d
	}
	var s float64 // F = s·Δx
	var r float64
	switch p {
	case Spring:
		r = math.Sqrt(r2)
		if r == 0 {
			s = 0
		} else {
			s = -2 * (r - 1) / r
		}
	default:
		r = math.Sqrt(r2 + Softening*Softening)
		switch p {
		case R1:
			s = -mi * mj / (r * r)
		case R2:
			s = -mi * mj / (r * r * r)
		case Charge:
			s = qi * qj / (r * r * r)
		}
	}
	for k := range min(len(dx), len(f)) {
		f[k] = s * dx[k]
	}
	return r
}

// System is an n-body system: Particles particles in Space dimensions that
// interact in pairs. Simulate makes data from it; the package's own
// systems come from Potential.System, and a user's own law is a Force
// function.
type System struct {
	// Name is a short label ("charge", "spring", ...).
	Name string
	// Space is the spatial dimension, 1 to 3.
	Space int
	// Particles is the number of particles, 2 to 1000.
	Particles int
	// Force writes into f (Space values) the force on a particle from
	// another at offset dx = x_i − x_j, with masses mi, mj and charges
	// qi, qj.
	Force func(dx []float64, mi, mj, qi, qj float64, f []float64)
	// Initial draws the state a system starts from: positions x and
	// velocities v (Particles·Space values each, particle after particle),
	// masses m (positive) and charges q (Particles values each). r is a
	// *rand.Rand of the standard library's math/rand/v2, seeded from
	// DataConfig.Seed by Simulate (import "math/rand/v2"). nil means the
	// paper's: positions and velocities N(0, 1) per coordinate, masses
	// exp(N(0, 1)), charges ±1 with equal odds.
	Initial func(r *rand.Rand, x, v, m, q []float64)
	// Paper is the data set of Cranmer et al. 2020's code for this system
	// (zero for a user's system): pass it to Simulate to make the paper's
	// data.
	Paper DataConfig
}

// Dim returns the number of node features of the system's graphs,
// 2·Space + 2: [x, v, q, m]. It is the NodeIn of a model of the system.
func (s System) Dim() int { return 2*s.Space + 2 }

// System returns the n-body system of p in space dimensions with the given
// number of particles, as in Cranmer et al. 2020's code: positions and
// velocities N(0, 1), masses exp(N(0, 1)), charges ±1, and the paper's data
// set in Paper (10,000 systems, 100 recorded states each, one every five
// integration steps of 0.01 for springs, 0.005 for 1/r and 0.001 for 1/r²
// and charges, a quarter held out for test). The paper's 10⁶ states take
// about a gigabyte; the examples use fewer.
func (p Potential) System(space, particles int) System {
	s := System{Name: p.String(), Space: space, Particles: particles}
	if p < 0 || int(p) >= len(potNames) {
		return s // no Force: Simulate says so
	}
	s.Force = func(dx []float64, mi, mj, qi, qj float64, f []float64) { p.Force(dx, mi, mj, qi, qj, f) }
	dt := map[Potential]float64{Spring: 0.01, R1: 0.005, R2: 0.001, Charge: 0.001}[p]
	s.Paper = DataConfig{Sims: 10000, Steps: 100, DT: 5 * dt, Substeps: 5, TestFraction: 0.25}
	return s
}

// DataConfig describes a data set Simulate makes. Its sizes have no
// default a user's system could share: zero Sims, Steps or DT is an error;
// start from the system's Paper config.
type DataConfig struct {
	// Sims is the number of independent systems, training and test.
	Sims int
	// Steps is the number of states recorded per system, one every DT.
	Steps int
	// DT is the time between recorded states.
	DT float64
	// Substeps is the number of leapfrog steps between recorded states;
	// 0 means 1.
	Substeps int
	// Noise is the standard deviation of Gaussian noise added to the
	// target accelerations; 0 means none.
	Noise float64
	// TestFraction is the fraction of systems held out in Dataset.Test,
	// in [0, 1); 0 means none. A positive fraction holds out at least one.
	TestFraction float64
	// Seed draws the initial states (the generator System.Initial gets)
	// and the noise.
	Seed uint64
}

// check validates c for a system whose graphs have nodes nodes.
func (c DataConfig) check(nodes int) error {
	const hint = "set it, or start from the system's Paper config"
	switch {
	case c.Sims < 1 || c.Steps < 1:
		return errorf(ErrInput, "DataConfig.Sims is %d and Steps %d; both must be positive (%s)", c.Sims, c.Steps, hint)
	case c.Sims > 1<<26/c.Steps/nodes:
		return errorf(ErrInput, "DataConfig.Sims %d × Steps %d × %d particles; at most 2²⁶ particle states", c.Sims, c.Steps, nodes)
	case !(c.DT > 0) || math.IsInf(c.DT, 0):
		return errorf(ErrInput, "DataConfig.DT is %v; want positive and finite (%s)", c.DT, hint)
	case c.Substeps < 0 || c.Substeps > 1<<20:
		return errorf(ErrInput, "DataConfig.Substeps is %d; want 0 (one) to 2²⁰", c.Substeps)
	case !(c.Noise >= 0) || math.IsInf(c.Noise, 0):
		return errorf(ErrInput, "DataConfig.Noise is %v; want non-negative and finite (0 means none)", c.Noise)
	case !(c.TestFraction >= 0 && c.TestFraction < 1):
		return errorf(ErrInput, "DataConfig.TestFraction is %v; must be in [0, 1) (0 means none)", c.TestFraction)
	}
	return nil
}

// check reports whether s is usable.
func (s System) check() error {
	switch {
	case s.Space < 1 || s.Space > 3:
		return errorf(ErrInput, "system %q has Space %d; want 1 to 3", s.Name, s.Space)
	case s.Particles < 2 || s.Particles > 1000:
		return errorf(ErrInput, "system %q has %d particles; want 2 to 1000", s.Name, s.Particles)
	case s.Force == nil:
		return errorf(ErrInput, "system %q has no Force", s.Name)
	}
	return nil
}

// Simulate makes a data set from sys: cfg.Sims systems started from
// sys.Initial, each integrated with the leapfrog (kick–drift–kick) scheme,
// cfg.Substeps steps of DT/Substeps between recorded states. Every recorded
// state is a fully connected graph (see FullyConnected) whose node features
// are [x (Space), v (Space), q, m], with the exact accelerations Σ_j F_ij/m_i
// at those positions as node targets (plus cfg.Noise). The last
// round(TestFraction·Sims) systems go to the returned Dataset's Test.
//
// A callback that panics is an error matching ErrCallback; non-positive
// masses from Initial are an error matching ErrCallback; a system whose
// state stops being finite is an error matching ErrNotFinite.
func Simulate(sys System, cfg DataConfig) (d *Dataset, err error) {
	if err := sys.check(); err != nil {
		return nil, err
	}
	c := cfg
	if err := c.check(sys.Particles); err != nil {
		return nil, err
	}
	if c.Substeps == 0 {
		c.Substeps = 1
	}
	nTest := int(math.Round(c.TestFraction * float64(c.Sims)))
	if c.TestFraction > 0 && nTest == 0 {
		nTest = 1
	}
	if nTest >= c.Sims {
		return nil, errorf(ErrInput, "DataConfig.TestFraction %v of %d systems leaves none for training", c.TestFraction, c.Sims)
	}
	init := sys.Initial
	if init == nil {
		init = paperInitial
	}
	defer fail.Recover(&err, "gnn", "System.Initial or System.Force")
	r := rng.Stream(c.Seed, 0)
	noise := rng.Stream(c.Seed, 1)
	n, dim := sys.Particles, sys.Space
	send, recv := FullyConnected(n)
	train, test := &Dataset{}, &Dataset{}
	x := make([]float64, n*dim)
	v := make([]float64, n*dim)
	a := make([]float64, n*dim)
	m := make([]float64, n)
	q := make([]float64, n)
	h := c.DT / float64(c.Substeps)
	for s := range c.Sims {
		out := train
		if s >= c.Sims-nTest {
			out = test
		}
		init(r, x, v, m, q)
		for i, mi := range m {
			if !(mi > 0) || math.IsInf(mi, 0) || math.IsNaN(q[i]) || math.IsInf(q[i], 0) {
				return nil, errorf(ErrCallback, "System.Initial drew mass %v and charge %v for particle %d; want a positive mass and finite values", mi, q[i], i)
			}
		}
		accelerations(sys.Force, x, m, q, dim, a)
		for step := range c.Steps {
			g := Graph{Nodes: make([][]float64, n), Senders: send, Receivers: recv}
			t := make([][]float64, n)
			for i := range n {
				row := make([]float64, 0, 2*dim+2)
				row = append(row, x[i*dim:(i+1)*dim]...)
				row = append(row, v[i*dim:(i+1)*dim]...)
				g.Nodes[i] = append(row, q[i], m[i])
				t[i] = append([]float64(nil), a[i*dim:(i+1)*dim]...)
				if c.Noise > 0 {
					for k := range t[i] {
						t[i][k] += c.Noise * noise.NormFloat64()
					}
				}
				if err := checkFinite(g.Nodes[i], len(out.Graphs), "node", i); err != nil {
					return nil, wrapf(ErrNotFinite, err, "system %d diverged at recorded state %d", s, step)
				}
				if err := checkFinite(t[i], len(out.Graphs), "acceleration", i); err != nil {
					return nil, wrapf(ErrNotFinite, err, "system %d diverged at recorded state %d", s, step)
				}
			}
			out.Graphs = append(out.Graphs, g)
			out.NodeTargets = append(out.NodeTargets, t)
			for range c.Substeps {
				for i := range v {
					v[i] += 0.5 * h * a[i]
					x[i] += h * v[i]
				}
				accelerations(sys.Force, x, m, q, dim, a)
				for i := range v {
					v[i] += 0.5 * h * a[i]
				}
			}
		}
	}
	if nTest > 0 {
		train.Test = test
	}
	return train, nil
}

// paperInitial draws the initial state of Cranmer et al. 2020's code.
var paperInitial = RandomInitial(1)

// RandomInitial returns a System.Initial that draws positions and
// velocities N(0, 1) per coordinate, masses exp(massSpread·N(0, 1)) and
// charges ±1 with equal odds: massSpread 1 is Cranmer et al. 2020's (and
// the default of a System with nil Initial), 0 gives equal masses.
func RandomInitial(massSpread float64) func(r *rand.Rand, x, v, m, q []float64) {
	return func(r *rand.Rand, x, v, m, q []float64) {
		for i := range x {
			x[i], v[i] = r.NormFloat64(), r.NormFloat64()
		}
		for i := range m {
			m[i] = math.Exp(massSpread * r.NormFloat64())
			q[i] = 1
			if r.IntN(2) == 0 {
				q[i] = -1
			}
		}
	}
}

// accelerations sets a to the accelerations of particles at x under the
// pairwise force.
func accelerations(force func(dx []float64, mi, mj, qi, qj float64, f []float64), x, m, q []float64, dim int, a []float64) {
	clear(a)
	n := len(m)
	dx := make([]float64, dim)
	f := make([]float64, dim)
	for i := range n {
		for j := range n {
			if i == j {
				continue
			}
			for k := range dim {
				dx[k] = x[i*dim+k] - x[j*dim+k]
			}
			force(dx, m[i], m[j], q[i], q[j], f)
			for k := range dim {
				a[i*dim+k] += f[k] / m[i]
			}
		}
	}
}
