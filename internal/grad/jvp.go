package grad

import (
	"fmt"
	"sync/atomic"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var dummies atomic.Uint64

// JVP returns the directional derivative ∂out/∂x·t, of out's shape, for a
// tangent t of x's shape, by forward tangents: each node on the way gets
// its tangent from its inputs' by a forward rule of its op. A graph with an
// op that has no forward rule here (a custom op) falls back to the
// double-VJP trick: with a placeholder u of out's shape, g(u) = uᵀ·∂out/∂x
// is linear in u, and the VJP of g with respect to u along t is ∂out/∂x·t
// (the machine then also evaluates g at u = 0 on every run: one extra
// reverse pass). If out does not depend on x the error matches ErrNoPath.
func JVP(out, x, t *G.Node) (*G.Node, error) {
	if out == nil || x == nil || t == nil {
		return nil, inputf("JVP: a node is nil")
	}
	if out.Graph() == nil {
		return nil, inputf("JVP: out belongs to no graph")
	}
	if !sameShape(t.Shape(), x.Shape()) {
		return nil, inputf("JVP: t has shape %v, x %v", t.Shape(), x.Shape())
	}
	if r, ok, err := forwardJVP(out, x, t); err != nil || ok {
		return r, err
	}
	u, err := placeholder(out)
	if err != nil {
		return nil, err
	}
	gu, err := backward([]*G.Node{out}, []*G.Node{u}, []*G.Node{x}, false)
	if err != nil {
		return nil, err
	}
	// ∂out/∂x·t is zero where g does not depend on u
	r, err := backward([]*G.Node{gu[0]}, []*G.Node{t}, []*G.Node{u}, true)
	if err != nil {
		return nil, err
	}
	return r[0], nil
}

// placeholder returns a new zero constant of n's shape and type, unique to
// this call (constants are merged by name), to differentiate with respect to.
func placeholder(n *G.Node) (*G.Node, error) {
	name := fmt.Sprintf("grad.u%d", dummies.Add(1))
	if n.IsScalar() {
		switch n.Dtype() {
		case tensor.Float64:
			return n.Graph().AddNode(G.NewConstant(0.0, G.In(n.Graph()), G.WithName(name))), nil
		case tensor.Float32:
			return n.Graph().AddNode(G.NewConstant(float32(0), G.In(n.Graph()), G.WithName(name))), nil
		}
		return nil, inputf("JVP: out has type %v, want float64 or float32", n.Dtype())
	}
	if !isFloat(n) {
		return nil, inputf("JVP: out has type %v, want float64 or float32", n.Dtype())
	}
	s := n.Shape()
	return n.Graph().AddNode(G.NewConstant(tensor.New(tensor.WithShape(s...), tensor.Of(n.Dtype())), G.In(n.Graph()), G.WithName(name))), nil
}
