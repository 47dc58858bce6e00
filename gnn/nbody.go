package gnn

import (
	"fmt"
	"math"

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

// NBodyConfig describes a simulated n-body data set. Its zero value means
// the defaults in the fields' comments.
type NBodyConfig struct {
	// Potential is the pairwise law; the zero value is Spring.
	Potential Potential
	// Dim is the spatial dimension, 2 or 3; 0 means 2.
	Dim int
	// Particles per system; 0 means 4 (the paper's).
	Particles int
	// Sims is the number of independent systems; 0 means 100.
	Sims int
	// Steps is the number of states recorded per system, one every DT;
	// 0 means 100.
	Steps int
	// DT is the time between recorded states (one leapfrog step); 0 means
	// 0.01 for springs and 0.001 for the other laws.
	DT float64
	// Noise is the standard deviation of Gaussian noise added to the
	// target accelerations; 0 means none.
	Noise float64
	// MassSpread is the standard deviation σ of the log-masses: masses
	// are exp(σ·N(0, 1)); 0 means every mass is 1.
	MassSpread float64
	// Seed draws the initial states, masses and charges.
	Seed uint64
}

func (c NBodyConfig) withDefaults() (NBodyConfig, error) {
	if c.Potential < 0 || int(c.Potential) >= len(potNames) {
		return c, errorf(ErrInput, "unknown NBodyConfig.Potential %d", int(c.Potential))
	}
	if c.Dim == 0 {
		c.Dim = 2
	}
	if c.Particles == 0 {
		c.Particles = 4
	}
	if c.Sims == 0 {
		c.Sims = 100
	}
	if c.Steps == 0 {
		c.Steps = 100
	}
	if c.DT == 0 {
		c.DT = 0.001
		if c.Potential == Spring {
			c.DT = 0.01
		}
	}
	switch {
	case c.Dim != 2 && c.Dim != 3:
		return c, errorf(ErrInput, "NBodyConfig.Dim is %d; want 2 or 3", c.Dim)
	case c.Particles < 2 || c.Particles > 1000:
		return c, errorf(ErrInput, "NBodyConfig.Particles is %d; want 2 to 1000", c.Particles)
	case c.Sims < 1 || c.Steps < 1 || c.Sims > 1<<24/c.Steps:
		return c, errorf(ErrInput, "NBodyConfig.Sims %d × Steps %d; want positive, at most 2²⁴ states", c.Sims, c.Steps)
	case !(c.DT > 0) || math.IsInf(c.DT, 0):
		return c, errorf(ErrInput, "NBodyConfig.DT is %v; want positive and finite", c.DT)
	case !(c.MassSpread >= 0) || c.MassSpread > 5:
		return c, errorf(ErrInput, "NBodyConfig.MassSpread is %v; want 0 to 5", c.MassSpread)
	case !(c.Noise >= 0) || math.IsInf(c.Noise, 0):
		return c, errorf(ErrInput, "NBodyConfig.Noise is %v; want non-negative and finite", c.Noise)
	}
	return c, nil
}

// NBody is a simulated n-body data set: each recorded state is a fully
// connected graph (see FullyConnected) whose node features are
// [x (Dim), v (Dim), q, m], with the particles' accelerations as node
// targets.
type NBody struct {
	// Config is the configuration with defaults filled in.
	Config NBodyConfig
	// Data holds the graphs and their target accelerations, Sims·Steps of
	// them, system by system.
	Data *Dataset
}

// NodeIn returns the number of node features, 2·Dim + 2.
func (nb *NBody) NodeIn() int { return 2*nb.Config.Dim + 2 }

// SimulateNBody simulates cfg.Sims systems of cfg.Particles particles with
// the leapfrog (kick–drift–kick) integrator. Positions and velocities start
// N(0, 1) per coordinate, masses exp(σ·N(0, 1)) with σ = cfg.MassSpread
// and charges ±1, drawn from cfg.Seed.
func SimulateNBody(cfg NBodyConfig) (*NBody, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	r := rng.New(c.Seed)
	n, dim := c.Particles, c.Dim
	send, recv := FullyConnected(n)
	d := &Dataset{}
	x := make([]float64, n*dim)
	v := make([]float64, n*dim)
	a := make([]float64, n*dim)
	m := make([]float64, n)
	q := make([]float64, n)
	for s := range c.Sims {
		for i := range x {
			x[i], v[i] = r.NormFloat64(), r.NormFloat64()
		}
		for i := range m {
			m[i] = math.Exp(c.MassSpread * r.NormFloat64())
			q[i] = 1
			if r.IntN(2) == 0 {
				q[i] = -1
			}
		}
		c.Potential.accelerations(x, m, q, dim, a)
		for range c.Steps {
			g := Graph{Nodes: make([][]float64, n), Senders: send, Receivers: recv}
			t := make([][]float64, n)
			for i := range n {
				row := make([]float64, 0, 2*dim+2)
				row = append(row, x[i*dim:(i+1)*dim]...)
				row = append(row, v[i*dim:(i+1)*dim]...)
				g.Nodes[i] = append(row, q[i], m[i])
				t[i] = append([]float64(nil), a[i*dim:(i+1)*dim]...)
				for k := range t[i] {
					if c.Noise > 0 {
						t[i][k] += c.Noise * r.NormFloat64()
					}
				}
			}
			for i := range n {
				if err := checkFinite(g.Nodes[i], len(d.Graphs), "node", i); err != nil {
					return nil, wrapf(ErrNotFinite, err, "system %d diverged", s)
				}
			}
			d.Graphs = append(d.Graphs, g)
			d.NodeTargets = append(d.NodeTargets, t)
			// One leapfrog step.
			for i := range v {
				v[i] += 0.5 * c.DT * a[i]
				x[i] += c.DT * v[i]
			}
			c.Potential.accelerations(x, m, q, dim, a)
			for i := range v {
				v[i] += 0.5 * c.DT * a[i]
			}
		}
	}
	return &NBody{Config: c, Data: d}, nil
}

// accelerations sets a to the accelerations of particles at x.
func (p Potential) accelerations(x, m, q []float64, dim int, a []float64) {
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
			p.Force(dx, m[i], m[j], q[i], q[j], f)
			for k := range dim {
				a[i*dim+k] += f[k] / m[i]
			}
		}
	}
}
