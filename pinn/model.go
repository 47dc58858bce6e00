package pinn

import (
	"fmt"
	"math"

	"github.com/physbias/physbias/internal/ad"
	_ "github.com/physbias/physbias/internal/blas" // BLAS chosen at build time
	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
)

// Model is a PINN: a network N(p; θ), the output transform (identity, or
// g + d·N under hard constraints), its point sets and unknown coefficients.
// Train it with Train, add collocation points with Refine, and evaluate it
// with Predict and Residual.
type Model struct {
	prob   Problem
	cfg    Config
	act    ad.Activation
	sizes  []int
	a, b   []float64 // input scaling s = a·p + b onto [−1, 1]
	colloc [][]float64
	sets   []condSet
	need   needs
	hard   *hardForm // nil under soft constraints
	st     *state
	round  uint64 // refinement rounds done (seeds the candidates)
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

// state is one training graph: built for the current point sets, rebuilt
// (with the parameter values carried over) when they change.
type state struct {
	g      *G.ExprGraph
	net    *ad.MLP
	raw    []*G.Node          // unknowns' raw parameters, in Problem order
	coef   map[string]*G.Node // the coefficients (exp of raw when Positive)
	params []*G.Node          // net params then raw
	loss   *G.Node
	names  []string
	terms  []G.Value // values of the loss terms after the last pass
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
	act, err := ad.ParseActivation(cfg.Activation)
	if err != nil {
		return nil, fmt.Errorf("pinn: %v", err)
	}
	m := &Model{prob: p, cfg: cfg, act: act}
	m.prob.Conditions = append([]Condition(nil), p.Conditions...)
	m.prob.Unknowns = append([]Unknown(nil), p.Unknowns...)
	dim := p.Domain.Dim()
	m.sizes = append(append([]int{dim}, cfg.Hidden...), 1)
	m.a, m.b = p.Domain.scaling()
	if cfg.CollocationPoints != nil {
		if err := checkPoints("collocation", cfg.CollocationPoints, dim); err != nil {
			return nil, err
		}
		m.colloc = clonePoints(cfg.CollocationPoints)
	} else if m.colloc, err = p.Domain.Sample(cfg.Collocation, cfg.Sampling, cfg.Seed^0xc011); err != nil {
		return nil, err
	}
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

func clonePoints(pts [][]float64) [][]float64 {
	out := make([][]float64, len(pts))
	for i, p := range pts {
		out[i] = append([]float64(nil), p...)
	}
	return out
}

// sampleConditions draws the points of every condition and evaluates their
// prescribed values.
func (m *Model) sampleConditions() error {
	d := m.prob.Domain
	for i, c := range m.prob.Conditions {
		n := c.Points
		if n == 0 {
			n = m.cfg.BoundaryPoints
		}
		seed := m.cfg.Seed ^ (0xb0 + uint64(i)*0x9e37)
		switch c.Kind {
		case Initial:
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
				return fmt.Errorf("pinn: condition %d (%v) has value %v at %v", s.cond, s.kind, v, q)
			}
			s.vals[j] = v
		}
	}
	return nil
}

// probe calls the residual on a small stand-in graph to learn which
// derivatives it uses and to check the shape of what it returns.
func (m *Model) probe() error {
	g := G.NewGraph()
	pts, err := m.prob.Domain.Sample(3, Uniform, 1)
	if err != nil {
		return err
	}
	f := &Fields{g: g, dom: m.prob.Domain, pts: pts, coef: map[string]*G.Node{},
		probe: &needs{second: map[[2]int]bool{}}, cache: map[string]*G.Node{}}
	for _, u := range m.prob.Unknowns {
		f.coef[u.Name] = G.NewScalar(g, G.Float64, G.WithName("probe.coef."+u.Name), G.WithValue(u.Init))
	}
	if _, err := m.callResidual(f); err != nil {
		return err
	}
	m.need = *f.probe
	return nil
}

// callResidual runs the residual and returns its (B, 1) node.
func (m *Model) callResidual(f *Fields) (r *G.Node, err error) {
	defer func() {
		if e := recover(); e != nil {
			err = fmt.Errorf("pinn: residual panicked: %v", e)
		}
	}()
	r, err = m.prob.Residual(f)
	if err == nil {
		err = f.err
	}
	if err != nil {
		if f.err == err {
			return nil, err
		}
		return nil, fmt.Errorf("pinn: residual: %w", err)
	}
	if r == nil {
		return nil, fmt.Errorf("pinn: residual returned a nil node")
	}
	if r.Graph() != f.g {
		return nil, fmt.Errorf("pinn: residual returned a node of another graph")
	}
	B := f.Len()
	s := r.Shape()
	switch {
	case len(s) == 2 && s[0] == B && s[1] == 1:
		return r, nil
	case len(s) == 1 && s[0] == B:
		rr, err := G.Reshape(r, []int{B, 1})
		if err != nil {
			return nil, fmt.Errorf("pinn: residual: reshape: %v", err)
		}
		return rr, nil
	}
	return nil, fmt.Errorf("pinn: residual returned shape %v, want (%d, 1): one value per collocation point", s, B)
}

// newState makes a graph holding the network and the unknowns; values, if
// not nil, are the parameter values to start from (laid out as
// train.Values returns them).
func (m *Model) newState(values []float64) (*state, error) {
	g := G.NewGraph()
	net, err := ad.NewMLP(g, "pinn", m.sizes, m.act, m.cfg.Seed)
	if err != nil {
		return nil, fmt.Errorf("pinn: %v", err)
	}
	s := &state{g: g, net: net, coef: map[string]*G.Node{}}
	s.params = net.Params()
	for _, u := range m.prob.Unknowns {
		v := u.Init
		if u.Positive {
			v = math.Log(v)
		}
		raw := G.NewScalar(g, G.Float64, G.WithName("pinn.coef."+u.Name), G.WithValue(v))
		c := raw
		if u.Positive {
			if c, err = G.Exp(raw); err != nil {
				return nil, fmt.Errorf("pinn: %v", err)
			}
		}
		s.raw = append(s.raw, raw)
		s.coef[u.Name] = c
		s.params = append(s.params, raw)
	}
	if values != nil {
		if err := train.SetValues(s.params, values); err != nil {
			return nil, fmt.Errorf("pinn: %v", err)
		}
	}
	return s, nil
}

// values returns the current parameter values.
func (m *Model) values() ([]float64, error) {
	v, err := train.Values(m.st.params)
	if err != nil {
		return nil, fmt.Errorf("pinn: %v", err)
	}
	return v, nil
}

// build makes the training graph for the current point sets, starting from
// values (nil: fresh weights and the unknowns' Init).
func (m *Model) build(values []float64) (*state, error) {
	s, err := m.newState(values)
	if err != nil {
		return nil, err
	}
	g := s.g
	var terms []*G.Node
	add := func(name string, w float64, r *G.Node) error {
		sq, err := G.Square(r)
		if err != nil {
			return fmt.Errorf("pinn: %s term: %v", name, err)
		}
		t, err := G.Mean(sq)
		if err != nil {
			return fmt.Errorf("pinn: %s term: %v", name, err)
		}
		if w != 1 {
			if t, err = G.Mul(G.NewConstant(w), t); err != nil {
				return fmt.Errorf("pinn: %s term: %v", name, err)
			}
		}
		s.names = append(s.names, name)
		terms = append(terms, t)
		return nil
	}
	// PDE residual.
	r, err := m.residualNode(s, m.colloc)
	if err != nil {
		return nil, err
	}
	if err := add("residual", m.cfg.ResidualWeight, r); err != nil {
		return nil, err
	}
	// Conditions.
	for _, cs := range m.sets {
		if m.hard != nil && (cs.kind == Dirichlet || cs.kind == Initial) {
			continue // met exactly by the transform
		}
		name := fmt.Sprintf("%v[%d]", cs.kind, cs.cond)
		if cs.kind == Dirichlet || cs.kind == Neumann {
			name += map[bool]string{false: ".lower", true: ".upper"}[cs.upper]
		}
		switch cs.kind {
		case Dirichlet, Initial:
			j, err := m.jetAt(s, cs.pts, false, nil)
			if err != nil {
				return nil, err
			}
			d, err := G.Sub(j.u, newColumn(g, "bc", cs.vals))
			if err != nil {
				return nil, fmt.Errorf("pinn: %s: %v", name, err)
			}
			if err := add(name, cs.weight, d); err != nil {
				return nil, err
			}
		case Neumann:
			j, err := m.jetAt(s, cs.pts, true, nil)
			if err != nil {
				return nil, err
			}
			du := j.first[cs.dim]
			if !cs.upper {
				if du, err = G.Neg(du); err != nil {
					return nil, fmt.Errorf("pinn: %s: %v", name, err)
				}
			}
			d, err := G.Sub(du, newColumn(g, "bc", cs.vals))
			if err != nil {
				return nil, fmt.Errorf("pinn: %s: %v", name, err)
			}
			if err := add(name, cs.weight, d); err != nil {
				return nil, err
			}
		case Periodic:
			lo, err := m.jetAt(s, cs.pts, true, nil)
			if err != nil {
				return nil, err
			}
			hi, err := m.jetAt(s, cs.pair, true, nil)
			if err != nil {
				return nil, err
			}
			d0, err := G.Sub(lo.u, hi.u)
			if err != nil {
				return nil, fmt.Errorf("pinn: %s: %v", name, err)
			}
			d1, err := G.Sub(lo.first[cs.dim], hi.first[cs.dim])
			if err != nil {
				return nil, fmt.Errorf("pinn: %s: %v", name, err)
			}
			if err := add(name, cs.weight, d0); err != nil {
				return nil, err
			}
			if err := add(name+"'", cs.weight, d1); err != nil {
				return nil, err
			}
		}
	}
	// Data.
	if d := m.prob.Data; d != nil {
		j, err := m.jetAt(s, d.X, false, nil)
		if err != nil {
			return nil, err
		}
		diff, err := G.Sub(j.u, newColumn(g, "data", d.U))
		if err != nil {
			return nil, fmt.Errorf("pinn: data term: %v", err)
		}
		w := d.Weight
		if w == 0 {
			w = 1
		}
		if err := add("data", w, diff); err != nil {
			return nil, err
		}
	}
	loss := terms[0]
	for _, t := range terms[1:] {
		if loss, err = G.Add(loss, t); err != nil {
			return nil, fmt.Errorf("pinn: loss: %v", err)
		}
	}
	s.loss = loss
	s.terms = make([]G.Value, len(terms))
	for k, t := range terms {
		G.Read(t, &s.terms[k])
	}
	return s, nil
}

// residualNode builds the residual at pts on s's graph.
func (m *Model) residualNode(s *state, pts [][]float64) (*G.Node, error) {
	var sec [][2]int
	for ij := range m.need.second {
		sec = append(sec, ij)
	}
	j, err := m.jetAt(s, pts, m.need.first || len(sec) > 0, sec)
	if err != nil {
		return nil, err
	}
	f := &Fields{g: s.g, dom: m.prob.Domain, pts: pts, jet: j, coef: s.coef}
	return m.callResidual(f)
}

// jetAt builds u at pts and, if first, every first derivative, and the
// second derivatives sec (pairs i ≤ j), in the domain's coordinates and
// through the hard-constraint transform.
func (m *Model) jetAt(s *state, pts [][]float64, first bool, sec [][2]int) (*jet, error) {
	g := s.g
	n := len(pts)
	dim := m.prob.Domain.Dim()
	xs := make([]float64, 0, n*dim)
	for _, p := range pts {
		for i, v := range p {
			xs = append(xs, m.a[i]*v+m.b[i])
		}
	}
	x := newMatrix(g, "x", n, dim, xs)
	j := &jet{first: map[int]*G.Node{}, sec: map[[2]int]*G.Node{}}
	var pure []int
	var mixed [][2]int
	for _, ij := range sec {
		if ij[0] == ij[1] {
			pure = append(pure, ij[0])
		} else {
			mixed = append(mixed, ij)
		}
	}
	if !first && len(sec) == 0 {
		u, err := s.net.Forward(x)
		if err != nil {
			return nil, fmt.Errorf("pinn: %v", err)
		}
		j.u = u
	} else {
		d, err := s.net.Derivatives(x, pure)
		if err != nil {
			return nil, fmt.Errorf("pinn: %v", err)
		}
		j.u = d.Value
		for i := 0; i < dim; i++ {
			if j.first[i], err = scaleNode(m.a[i], d.First[i]); err != nil {
				return nil, err
			}
		}
		for k, i := range pure {
			if j.sec[[2]int{i, i}], err = scaleNode(m.a[i]*m.a[i], d.Second[k]); err != nil {
				return nil, err
			}
		}
		for _, ij := range mixed {
			h, err := s.net.HessianBlock(x, []int{ij[0]}, []int{ij[1]})
			if err != nil {
				return nil, fmt.Errorf("pinn: %v", err)
			}
			if h, err = G.Reshape(h, []int{n, 1}); err != nil {
				return nil, fmt.Errorf("pinn: %v", err)
			}
			if j.sec[ij], err = scaleNode(m.a[ij[0]]*m.a[ij[1]], h); err != nil {
				return nil, err
			}
		}
	}
	if m.hard == nil {
		return j, nil
	}
	return m.hardJet(g, j, pts, first, sec)
}

func scaleNode(c float64, n *G.Node) (*G.Node, error) {
	if c == 1 {
		return n, nil
	}
	r, err := G.Mul(G.NewConstant(c), n)
	if err != nil {
		return nil, fmt.Errorf("pinn: %v", err)
	}
	return r, nil
}

// hardJet applies u = g + d·N to the network's jet:
//
//	u_i  = g_i + d_i N + d N_i
//	u_ij = g_ij + d_ij N + d_i N_j + d_j N_i + d N_ij.
func (m *Model) hardJet(g *G.ExprGraph, nj *jet, pts [][]float64, first bool, sec [][2]int) (*jet, error) {
	c, err := m.hard.columns(pts, first || len(sec) > 0, sec)
	if err != nil {
		return nil, err
	}
	var b nodeBuilder
	col := func(v []float64) *G.Node { return newColumn(g, "hard", v) }
	d := col(c.d)
	out := &jet{first: map[int]*G.Node{}, sec: map[[2]int]*G.Node{}}
	out.u = b.add(col(c.g), b.mul(d, nj.u))
	if first {
		for i := range nj.first {
			out.first[i] = b.add(col(c.gFirst[i]), b.add(b.mul(col(c.dFirst[i]), nj.u), b.mul(d, nj.first[i])))
		}
	}
	for _, ij := range sec {
		i, k := ij[0], ij[1]
		cross := b.add(b.mul(col(c.dFirst[i]), nj.first[k]), b.mul(col(c.dFirst[k]), nj.first[i]))
		out.sec[ij] = b.add(col(c.gSec[ij]), b.add(b.mul(col(c.dSec[ij]), nj.u), b.add(cross, b.mul(d, nj.sec[ij]))))
	}
	if b.err != nil {
		return nil, fmt.Errorf("pinn: hard-constraint transform: %v", b.err)
	}
	return out, nil
}

// nodeBuilder chains gorgonia ops, keeping the first error.
type nodeBuilder struct{ err error }

func (b *nodeBuilder) add(x, y *G.Node) *G.Node {
	if b.err != nil {
		return nil
	}
	r, err := G.Add(x, y)
	b.err = err
	return r
}

func (b *nodeBuilder) mul(x, y *G.Node) *G.Node {
	if b.err != nil {
		return nil
	}
	r, err := G.HadamardProd(x, y)
	b.err = err
	return r
}
