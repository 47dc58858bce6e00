package pinn

import (
	"fmt"
	"math"
	"sort"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
)

// state is one training graph: built for the current point sets, rebuilt
// (with the parameter values carried over) when they change.
type state struct {
	g      *G.ExprGraph
	b      *build.B           // the one builder of g (its constants' names are unique per builder)
	net    *ad.MLP            // the fused path; nil when gen is set
	gen    *genNet            // the general network (embedding, modified MLP)
	raw    []*G.Node          // unknowns' raw parameters, in Problem order
	coef   map[string]*G.Node // the coefficients (exp of raw when Positive)
	params []*G.Node          // net params then raw
	loss   *G.Node
	names  []string
	terms  []G.Value // values of the loss terms after the last pass
	plain  []*G.Node // the unweighted terms mean(r_k²) (causal: the weighted slab mean)
	fixed  []float64 // the terms' fixed weights
	bw     []*G.Node // the terms' weights as inputs (Config.Balance only)
	cw     *G.Node   // the causal weights, (1, M) (Config.Causal only)
	slabs  G.Value   // the slab losses after the last pass (Config.Causal only)
}

// newState makes a graph holding the network and the unknowns; values, if
// not nil, are the parameter values to start from (laid out as
// train.Values returns them).
func (m *Model) newState(values []float64) (*state, error) {
	g := G.NewGraph()
	b := build.New(g, "pinn")
	s := &state{g: g, b: b, coef: map[string]*G.Node{}}
	if m.cfg.general() && !m.cfg.fusedEmbedding() {
		s.gen = newGenNet(g, m.prob.Domain.Dim(), m.cfg, m.act)
		s.params = s.gen.params()
	} else {
		net, err := ad.NewMLP(g, "pinn", m.sizes, m.act, m.cfg.Seed)
		if err != nil {
			return nil, wrap(err, "network")
		}
		s.net = net
		s.params = net.Params()
	}
	for _, u := range m.prob.Unknowns {
		v := u.Init
		if u.Positive {
			v = math.Log(v)
		}
		raw := G.NewScalar(g, G.Float64, G.WithName("pinn.coef."+u.Name), G.WithValue(v))
		c := raw
		if u.Positive {
			c = b.Exp(raw)
		}
		s.raw = append(s.raw, raw)
		s.coef[u.Name] = c
		s.params = append(s.params, raw)
	}
	if err := b.Err(); err != nil {
		return nil, err
	}
	if values != nil {
		if err := train.SetValues(s.params, values); err != nil {
			return nil, wrap(err, "parameters")
		}
	}
	return s, nil
}

// values returns the current parameter values.
func (m *Model) values() ([]float64, error) {
	v, err := train.Values(m.st.params)
	return v, wrap(err, "parameters")
}

// build makes the training graph for the current point sets, starting from
// values (nil: fresh weights and the unknowns' Init). The loss is
// Σ_k w_k·mean(r_k²) over the residual, the penalised conditions and the
// data.
func (m *Model) build(values []float64) (*state, error) {
	s, err := m.newState(values)
	if err != nil {
		return nil, err
	}
	b := s.b
	var loss *G.Node
	var terms []*G.Node
	addTerm := func(name string, w float64, plain *G.Node) {
		var t *G.Node
		if m.cfg.Balance != nil {
			k := len(s.names)
			if k < len(m.bweights) {
				w = m.bweights[k]
			} else {
				m.bweights = append(m.bweights, w)
			}
			n := G.NewScalar(s.g, G.Float64, G.WithName(fmt.Sprintf("pinn.weight.%d", k)), G.WithValue(w))
			s.bw = append(s.bw, n)
			t = b.Mul(n, plain)
		} else {
			t = b.Scale(w, plain)
		}
		s.plain = append(s.plain, plain)
		s.fixed = append(s.fixed, w)
		s.names = append(s.names, name)
		terms = append(terms, t)
		if loss == nil {
			loss = t
		} else {
			loss = b.Add(loss, t)
		}
	}
	add := func(name string, w float64, r *G.Node) { addTerm(name, w, b.Mean(b.Square(r))) }
	r, err := m.residualNode(s, m.colloc, "collocation")
	if err != nil {
		return nil, err
	}
	if m.cfg.Causal != nil {
		cr, err := m.causalResidual(b, s, r)
		if err != nil {
			return nil, err
		}
		addTerm("residual", m.cfg.ResidualWeight, cr)
	} else {
		add("residual", m.cfg.ResidualWeight, r)
	}
	for _, cs := range m.sets {
		if m.hard != nil && (cs.kind == Dirichlet || cs.kind == Initial) {
			continue // met exactly by the transform
		}
		if cs.kind == Periodic && m.embedded(cs.dim) {
			continue // met exactly by the periodic embedding
		}
		name := fmt.Sprintf("%v[%d]", cs.kind, cs.cond)
		if cs.kind == Dirichlet || cs.kind == Neumann {
			name += map[bool]string{false: ".lower", true: ".upper"}[cs.upper]
		}
		switch cs.kind {
		case Dirichlet, Initial:
			j, err := m.jetAt(b, s, cs.pts, false, nil)
			if err != nil {
				return nil, err
			}
			add(name, cs.weight, b.Sub(j.u, b.Constant(cs.vals, len(cs.vals), 1)))
		case Neumann:
			j, err := m.jetAt(b, s, cs.pts, true, nil)
			if err != nil {
				return nil, err
			}
			du := j.first[cs.dim]
			if !cs.upper {
				du = b.Neg(du)
			}
			add(name, cs.weight, b.Sub(du, b.Constant(cs.vals, len(cs.vals), 1)))
		case InitialRate:
			j, err := m.jetAt(b, s, cs.pts, true, nil)
			if err != nil {
				return nil, err
			}
			add(name, cs.weight, b.Sub(j.first[m.prob.Domain.TimeIndex()], b.Constant(cs.vals, len(cs.vals), 1)))
		case Periodic:
			lo, err := m.jetAt(b, s, cs.pts, true, nil)
			if err != nil {
				return nil, err
			}
			hi, err := m.jetAt(b, s, cs.pair, true, nil)
			if err != nil {
				return nil, err
			}
			add(name, cs.weight, b.Sub(lo.u, hi.u))
			add(name+"'", cs.weight, b.Sub(lo.first[cs.dim], hi.first[cs.dim]))
		}
	}
	if d := m.prob.Data; d != nil {
		j, err := m.jetAt(b, s, d.X, false, nil)
		if err != nil {
			return nil, err
		}
		w := d.Weight
		if w == 0 {
			w = 1
		}
		add("data", w, b.Sub(j.u, b.Constant(append([]float64(nil), d.U...), len(d.U), 1)))
	}
	if err := b.Err(); err != nil {
		return nil, err
	}
	s.loss = loss
	s.terms = make([]G.Value, len(terms))
	for k, t := range terms {
		G.Read(t, &s.terms[k])
	}
	return s, nil
}

// residualNode builds the residual at pts on s's graph; where names the
// point set for messages.
func (m *Model) residualNode(s *state, pts [][]float64, where string) (*G.Node, error) {
	// In a fixed order: the order of the tangents changes the graph, and
	// with it the rounding (map order would make training differ from run
	// to run).
	var sec [][2]int
	for ij := range m.need.second {
		sec = append(sec, ij)
	}
	sort.Slice(sec, func(a, b int) bool {
		if sec[a][0] != sec[b][0] {
			return sec[a][0] < sec[b][0]
		}
		return sec[a][1] < sec[b][1]
	})
	b := s.b
	j, err := m.jetAt(b, s, pts, m.need.first || len(sec) > 0, sec)
	if err != nil {
		return nil, err
	}
	f := &Fields{b: b, dom: m.prob.Domain, pts: pts, jet: j, coef: s.coef}
	return m.callResidual(f, where)
}

// jet holds u and its derivatives at a point set, as (B, 1) nodes.
type jet struct {
	u     *G.Node
	first map[int]*G.Node
	sec   map[[2]int]*G.Node
}

// jetAt builds u at pts and, if first, every first derivative, and the
// second derivatives sec (pairs i ≤ j), in the domain's coordinates and
// through the hard-constraint transform.
func (m *Model) jetAt(b *build.B, s *state, pts [][]float64, first bool, sec [][2]int) (*jet, error) {
	n := len(pts)
	dim := m.prob.Domain.Dim()
	xs := make([]float64, 0, n*dim)
	for _, p := range pts {
		for i, v := range p {
			xs = append(xs, m.a[i]*v+m.b[i])
		}
	}
	x := b.Constant(xs, n, dim)
	if err := b.Err(); err != nil {
		return nil, err
	}
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
	if m.emb != nil {
		ej, err := m.embeddedJet(b, s, pts, first || len(sec) > 0, pure, mixed)
		if err != nil {
			return nil, err
		}
		j.u = ej.u
		for i := 0; i < dim && (first || len(sec) > 0); i++ {
			j.first[i] = b.Scale(m.a[i], ej.first[i])
		}
		for _, ij := range sec {
			j.sec[ij] = b.Scale(m.a[ij[0]]*m.a[ij[1]], ej.sec[ij])
		}
	} else if s.gen != nil {
		u, d1, d2, err := s.gen.derivatives(b, x, first || len(sec) > 0, pure, mixed)
		if err != nil {
			return nil, err
		}
		j.u = u
		for i := 0; i < dim; i++ { // in order: a map's order would vary the graph
			if d, ok := d1[i]; ok {
				j.first[i] = b.Scale(m.a[i], d)
			}
		}
		for _, ij := range sec {
			j.sec[ij] = b.Scale(m.a[ij[0]]*m.a[ij[1]], d2[ij])
		}
	} else if !first && len(sec) == 0 {
		u, err := s.net.Forward(x)
		if err != nil {
			return nil, wrap(err, "network")
		}
		j.u = u
	} else {
		d, err := s.net.Derivatives(x, pure)
		if err != nil {
			return nil, wrap(err, "network derivatives")
		}
		j.u = d.Value
		for i := 0; i < dim; i++ {
			j.first[i] = b.Scale(m.a[i], d.First[i])
		}
		for k, i := range pure {
			j.sec[[2]int{i, i}] = b.Scale(m.a[i]*m.a[i], d.Second[k])
		}
		for _, ij := range mixed {
			h, err := s.net.HessianBlock(x, []int{ij[0]}, []int{ij[1]})
			if err != nil {
				return nil, wrap(err, "network Hessian")
			}
			j.sec[ij] = b.Scale(m.a[ij[0]]*m.a[ij[1]], b.Reshape(h, n, 1))
		}
	}
	if err := b.Err(); err != nil {
		return nil, err
	}
	if m.hard == nil {
		return j, nil
	}
	return m.hardJet(b, j, pts, first, sec)
}

// hardJet applies u = g + d·N to the network's jet:
//
//	u_i  = g_i + d_i N + d N_i
//	u_ij = g_ij + d_ij N + d_i N_j + d_j N_i + d N_ij.
func (m *Model) hardJet(b *build.B, nj *jet, pts [][]float64, first bool, sec [][2]int) (*jet, error) {
	c, err := m.hard.columns(pts, first || len(sec) > 0, sec)
	if err != nil {
		return nil, err
	}
	col := func(v []float64) *G.Node { return b.Constant(v, len(v), 1) }
	mul := b.HadamardProd
	d := col(c.d)
	out := &jet{first: map[int]*G.Node{}, sec: map[[2]int]*G.Node{}}
	out.u = b.Add(col(c.g), mul(d, nj.u))
	if first {
		for i := 0; i < len(nj.first); i++ { // in order (a map's order would vary)
			out.first[i] = b.Add(col(c.gFirst[i]), b.Add(mul(col(c.dFirst[i]), nj.u), mul(d, nj.first[i])))
		}
	}
	for _, ij := range sec {
		i, k := ij[0], ij[1]
		cross := b.Add(mul(col(c.dFirst[i]), nj.first[k]), mul(col(c.dFirst[k]), nj.first[i]))
		out.sec[ij] = b.Add(col(c.gSec[ij]), b.Add(mul(col(c.dSec[ij]), nj.u), b.Add(cross, mul(d, nj.sec[ij]))))
	}
	if err := b.Err(); err != nil {
		return nil, wrap(err, "hard-constraint transform")
	}
	return out, nil
}
