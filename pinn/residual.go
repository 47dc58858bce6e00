package pinn

import (
	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/fail"
	G "gorgonia.org/gorgonia"
)

// probe calls the residual on a stand-in graph with one placeholder per
// collocation point (never run), to learn which derivatives it uses and to
// check the shape of what it returns in terms of the user's own points.
func (m *Model) probe() error {
	g := G.NewGraph()
	b := build.New(g, "pinn")
	f := &Fields{b: b, dom: m.prob.Domain, pts: m.colloc, coef: map[string]*G.Node{},
		probe: &needs{second: map[[2]int]bool{}}, cache: map[string]*G.Node{}}
	for _, u := range m.prob.Unknowns {
		f.coef[u.Name] = G.NewScalar(g, G.Float64, G.WithName("probe.coef."+u.Name), G.WithValue(u.Init))
	}
	if _, err := m.callResidual(f, "collocation"); err != nil {
		return err
	}
	m.need = *f.probe
	return nil
}

// callResidual runs the user's residual on f and returns its (B, 1) node.
// A panic, an error, a nil node or a node of the wrong shape is an error
// matching ErrCallback; where names the point set ("collocation",
// "Residual") for the message.
func (m *Model) callResidual(f *Fields, where string) (r *G.Node, err error) {
	defer fail.Recover(&err, "pinn", "Problem.Residual")
	r, err = m.prob.Residual(f)
	if ferr := f.b.Err(); ferr != nil {
		return nil, ferr // an accessor or helper failed first
	}
	if err != nil {
		return nil, errorf(ErrCallback, "Problem.Residual: %w", err)
	}
	if r == nil {
		return nil, errorf(ErrCallback, "Problem.Residual returned a nil node")
	}
	if r.Graph() != f.b.Graph() {
		return nil, errorf(ErrCallback, "Problem.Residual returned a node of another graph")
	}
	n := f.Len()
	s := r.Shape()
	switch {
	case len(s) == 2 && s[0] == n && s[1] == 1:
		return r, nil
	case len(s) == 1 && s[0] == n:
		rr := f.b.Reshape(r, n, 1)
		return rr, f.b.Err()
	}
	return nil, errorf(ErrCallback, "Problem.Residual returned shape %v for %d %s points; want (%d, 1) or (%d): one value per point", s, n, where, n, n)
}
