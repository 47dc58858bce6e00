package pinn

import (
	"math"

	"github.com/physbias/physbias/internal/ad"
	_ "github.com/physbias/physbias/internal/blas" // BLAS chosen at build time
	"github.com/physbias/physbias/internal/fail"
)

// Model is a PINN: a network N(p; θ), the output transform (identity, or
// g + d·N under hard constraints), its point sets and unknown coefficients.
// Make it with New (or Load); train it with Train, add collocation points
// with Refine, evaluate it with Predict, Derivatives and Residual, and save
// it with Save. Every method of a zero Model returns an error matching
// ErrZeroValue.
type Model struct {
	prob   Problem
	cfg    Config
	act    ad.Activation
	sizes  []int
	a, b   []float64 // input scaling s = a·p + b onto [−1, 1]
	colloc [][]float64
	drawn  int // colloc[:drawn] came from Config; the rest from Refine
	sets   []condSet
	need   needs
	hard   *hardForm // nil under soft constraints
	st     *state
	round  uint64 // refinement rounds done (seeds the candidates)

	cweights  []float64  // the causal weights in use (nil: not yet computed)
	bweights  []float64  // the balancing weights in use, per loss term
	epsIndex  int        // the causal schedule's current ε
	lastSlabs []float64  // slab losses from a loaded file (before any pass)
	emb       *embedding // the periodic embedding on the fused path (nil: none)
	norms     *normGraph // the balancing's gradient graph (nil: not built)
}

// condSet is the point set of one condition (one face for Dirichlet and
// Neumann; the paired faces for Periodic).
type condSet struct {
	cond   int
	kind   Kind
	dim    int
	upper  bool
	weight float64
	pts    [][]float64 // for Periodic: the lower face
	pair   [][]float64 // for Periodic: the matching upper-face points
	vals   []float64
}

// New builds a PINN for p: it validates the problem, draws the collocation
// and condition points, probes the residual for the derivatives it needs and
// its shape, and builds the training graph.
func New(p Problem, cfg Config) (*Model, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if cfg.Fourier, err = cfg.Fourier.withDefaults(&p); err != nil {
		return nil, err
	}
	if cfg.Causal != nil && !p.Domain.HasTime() {
		return nil, errorf(ErrInput, "Config.Causal needs a time-dependent problem (the domain has no time interval)")
	}
	act, err := ad.ParseActivation(cfg.Activation)
	if err != nil {
		return nil, errorf(ErrInput, "Config.Activation: %w", fail.Trim(err, "ad"))
	}
	m := &Model{prob: p, cfg: cfg, act: act}
	m.prob.Conditions = append([]Condition(nil), p.Conditions...)
	m.prob.Unknowns = append([]Unknown(nil), p.Unknowns...)
	dim := p.Domain.Dim()
	m.sizes = append(append([]int{dim}, cfg.Hidden...), 1)
	if cfg.fusedEmbedding() {
		m.emb = newEmbedding(dim, cfg.Fourier, cfg.Seed)
		m.sizes[0] = m.emb.width()
	}
	m.a, m.b = p.Domain.scaling()
	if cfg.CollocationPoints != nil {
		if err := checkPoints("collocation", cfg.CollocationPoints, dim); err != nil {
			return nil, err
		}
		m.colloc = clonePoints(cfg.CollocationPoints)
		m.cfg.CollocationPoints = m.colloc
	} else if m.colloc, err = p.Domain.Sample(cfg.Collocation, cfg.Sampling, cfg.Seed^0xc011); err != nil {
		return nil, err
	}
	m.drawn = len(m.colloc)
	if err := m.sampleConditions(); err != nil {
		return nil, err
	}
	if cfg.Constraints == Hard {
		if m.hard, err = newHardForm(&m.prob, m.sets); err != nil {
			return nil, err
		}
	}
	if err := m.probe(); err != nil {
		return nil, err
	}
	if m.st, err = m.build(nil); err != nil {
		return nil, err
	}
	return m, nil
}

// embedded reports whether the spatial dimension d is embedded
// periodically (its Periodic condition then holds exactly).
func (m *Model) embedded(d int) bool {
	for _, e := range m.cfg.Fourier.Periodic {
		if e == d {
			return true
		}
	}
	return false
}

// check returns an error matching ErrZeroValue for a nil or zero Model.
func (m *Model) check() error {
	if m == nil || m.st == nil {
		return errorf(ErrZeroValue, "nil or zero Model (make one with New or Load)")
	}
	return nil
}

// Config returns the configuration with every default filled in. Its
// CollocationPoints is nil unless New was given points (the drawn points
// are in Collocation).
func (m *Model) Config() (Config, error) {
	if err := m.check(); err != nil {
		return Config{}, err
	}
	c := m.cfg
	c.Hidden = append([]int(nil), c.Hidden...)
	if c.CollocationPoints != nil {
		c.CollocationPoints = clonePoints(c.CollocationPoints)
	}
	return c, nil
}

// Dim returns the length of a point p = (x_1, …, x_d, t): the number of
// network inputs.
func (m *Model) Dim() int {
	if m.check() != nil {
		return 0
	}
	return m.prob.Domain.Dim()
}

func clonePoints(pts [][]float64) [][]float64 {
	out := make([][]float64, len(pts))
	for i, p := range pts {
		out[i] = append([]float64(nil), p...)
	}
	return out
}

// sampleConditions draws the points of every condition and evaluates their
// prescribed values.
func (m *Model) sampleConditions() (err error) {
	d := m.prob.Domain
	for i, c := range m.prob.Conditions {
		n := c.Points
		if n == 0 {
			n = m.cfg.BoundaryPoints
		}
		seed := m.cfg.Seed ^ (0xb0 + uint64(i)*0x9e37)
		switch c.Kind {
		case Initial, InitialRate:
			pts, err := d.SampleInitial(n, m.cfg.Sampling, seed)
			if err != nil {
				return err
			}
			s := condSet{cond: i, kind: c.Kind, weight: c.weight(), pts: pts}
			m.sets = append(m.sets, s)
		case Periodic:
			lo, err := d.SampleBoundary(n, c.Dim, false, m.cfg.Sampling, seed)
			if err != nil {
				return err
			}
			hi := clonePoints(lo)
			for _, q := range hi {
				q[c.Dim] = d.Space[c.Dim].Hi
			}
			m.sets = append(m.sets, condSet{cond: i, kind: c.Kind, dim: c.Dim, weight: c.weight(), pts: lo, pair: hi})
		default:
			for k, up := range c.sides() {
				pts, err := d.SampleBoundary(n, c.Dim, up, m.cfg.Sampling, seed+uint64(k))
				if err != nil {
					return err
				}
				m.sets = append(m.sets, condSet{cond: i, kind: c.Kind, dim: c.Dim, upper: up, weight: c.weight(), pts: pts})
			}
		}
	}
	defer fail.Recover(&err, "pinn", "Condition.Value")
	for k := range m.sets {
		s := &m.sets[k]
		if s.kind == Periodic {
			continue
		}
		c := m.prob.Conditions[s.cond]
		s.vals = make([]float64, len(s.pts))
		for j, q := range s.pts {
			v := c.value(q)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return errorf(ErrNotFinite, "condition %d (%v) has value %v at %v", s.cond, s.kind, v, q)
			}
			s.vals[j] = v
		}
	}
	return nil
}
