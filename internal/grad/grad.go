package grad

import (
	G "gorgonia.org/gorgonia"
)

// Grad returns ∂cost/∂w for each w in wrt, nodes of cost's graph with the
// shapes of the w. cost must be a scalar node (shape ()); the w may be any
// nodes of its graph (inputs, parameters or intermediate nodes; an
// intermediate w is treated as a leaf: its adjoint is the total derivative of
// cost through it). A w that cost does not depend on is an error matching
// ErrNoPath.
//
// The results are ordinary nodes: Grad can be applied to them again, to any
// order, and G.Grad (train.Run) can train a loss built on them.
func Grad(cost *G.Node, wrt ...*G.Node) ([]*G.Node, error) {
	if cost == nil {
		return nil, inputf("Grad: cost is nil")
	}
	if !cost.IsScalar() {
		return nil, inputf("Grad: cost has shape %v, want a scalar (reduce it with G.Sum or G.Mean, or use VJP)", cost.Shape())
	}
	if cost.Graph() == nil {
		return nil, inputf("Grad: cost belongs to no graph")
	}
	one, err := scalarConst(cost.Graph(), cost.Dtype(), 1)
	if err != nil {
		return nil, err
	}
	return backward([]*G.Node{cost}, []*G.Node{one}, wrt, false)
}

// VJP returns the vector-Jacobian products vᵀ·∂out/∂w for each w in wrt:
// Σᵢ vᵢ·∂outᵢ/∂w, of w's shape. v must have out's shape. A w that out does
// not depend on is an error matching ErrNoPath.
func VJP(out, v *G.Node, wrt ...*G.Node) ([]*G.Node, error) {
	if out == nil || v == nil {
		return nil, inputf("VJP: out or v is nil")
	}
	return backward([]*G.Node{out}, []*G.Node{v}, wrt, false)
}
