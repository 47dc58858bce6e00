package flows

import (
	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/train"
)

// netSpec names one network of a model and gives its layer sizes (the
// built-in tanh MLP) or a user's Network on points of dim values.
type netSpec struct {
	name  string
	sizes []int
	user  Network
	dim   int
}

// buildOn adds the network to g, its initial parameters drawn from seed.
func (s netSpec) buildOn(g *G.ExprGraph, seed uint64) (*gnet, error) {
	if s.user != nil {
		return buildUser(s.user, g, s.name, seed)
	}
	m, err := ad.NewMLP(g, s.name, s.sizes, ad.Tanh, seed)
	if err != nil {
		return nil, errorf(ErrInput, "network %s: %w", s.name, err)
	}
	return &gnet{name: s.name, mlp: m, params: m.Params()}, nil
}

// params holds the weights of a model's networks in plain Go, between
// training runs: theta[i] is network i's parameters laid out as
// internal/ad's MLP.Params (W0, b0, W1, b1, …, row-major), dense[i] its
// plain-Go evaluator.
type params struct {
	specs []netSpec
	theta [][]float64
	dense []*ad.Dense // the MLPs' evaluators (nil for a user's network)
	evals []*userGrad // the user networks' gradients (nil for an MLP)
}

// set installs new weights and their evaluators; non-finite weights are an
// error matching ErrNotFinite.
func (p *params) set(theta [][]float64) error {
	dense := make([]*ad.Dense, len(theta))
	evals := make([]*userGrad, len(theta))
	for i, th := range theta {
		if err := finite("network "+p.specs[i].name+" parameters", th); err != nil {
			return err
		}
		if p.specs[i].user != nil {
			evals[i] = &userGrad{spec: p.specs[i], theta: th}
			continue
		}
		d, err := denseOf(p.specs[i].sizes, th)
		if err != nil {
			return errorf(ErrInput, "network %s: %w", p.specs[i].name, err)
		}
		dense[i] = d
	}
	for _, e := range p.evals {
		if e != nil {
			e.close()
		}
	}
	p.theta, p.dense, p.evals = theta, dense, evals
	return nil
}

// newParams draws the initial weights of the networks (Glorot-uniform,
// zero biases; network i from stream i of seed).
func newParams(specs []netSpec, seed uint64) (*params, error) {
	p := &params{specs: specs}
	g := G.NewGraph()
	var theta [][]float64
	var ns []*gnet
	for i, s := range specs {
		m, err := s.buildOn(g, rng.Stream(seed, uint64(i)).Uint64())
		if err != nil {
			return nil, err
		}
		ns = append(ns, m)
		th, err := train.Values(m.Params())
		if err != nil {
			return nil, errorf(ErrInput, "network %s: %w", s.name, err)
		}
		theta = append(theta, th)
	}
	if err := checkNames(ns); err != nil {
		return nil, err
	}
	if err := p.set(theta); err != nil {
		return nil, err
	}
	return p, nil
}

// build adds the networks to g with the current weights.
func (p *params) build(g *G.ExprGraph) ([]*gnet, error) {
	ms := make([]*gnet, len(p.specs))
	for i, s := range p.specs {
		m, err := s.buildOn(g, 0)
		if err != nil {
			return nil, err
		}
		if err := train.SetValues(m.Params(), p.theta[i]); err != nil {
			return nil, errorf(ErrCallback, "network %s: its parameters differ from those it first made: %w", s.name, err)
		}
		ms[i] = m
	}
	if err := checkNames(ms); err != nil {
		return nil, err
	}
	return ms, nil
}

// nodes returns every parameter node of ms, in order.
func nodes(ms []*gnet) []*G.Node {
	var out []*G.Node
	for _, m := range ms {
		out = append(out, m.Params()...)
	}
	return out
}

// read copies the weights of ms back into p.
func (p *params) read(ms []*gnet) error {
	theta := make([][]float64, len(ms))
	for i, m := range ms {
		th, err := train.Values(m.Params())
		if err != nil {
			return errorf(ErrInput, "network %s: %w", p.specs[i].name, err)
		}
		theta[i] = th
	}
	return p.set(theta)
}

// net returns the plain-Go evaluator of network i.
func (p *params) net(i int) *ad.Dense { return p.dense[i] }

// count returns the number of parameters.
func (p *params) count() int {
	n := 0
	for _, th := range p.theta {
		n += len(th)
	}
	return n
}

// nodes builds the networks on a new graph with the current weights and
// returns their parameter nodes, for saving.
func (p *params) nodes() ([]*G.Node, error) {
	ms, err := p.build(G.NewGraph())
	if err != nil {
		return nil, err
	}
	return nodes(ms), nil
}
