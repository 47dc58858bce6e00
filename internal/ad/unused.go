package ad

import (
	G "gorgonia.org/gorgonia"
)

// Gradients nobody reads. gorgonia's Backpropagate asks an op's SymDiff for
// the gradient of every input, and adds each to the graph, even when the
// input depends on no parameter: the gradient of the data x of a first
// layer (a constant, or a variable outside G.Grad's list) is a product of
// the size of a layer's weights that no other node reads, and the tape
// machine runs every node of the graph. An op built by SymDiff therefore
// checks, when it runs, whether its output has a reader: a node that takes
// it as an input, or a node whose gradient it is (the parameters of
// G.Grad, whose gradients BindDualValues and Grad return). Without one it
// leaves its output buffer as it is (zeros) and costs nothing.

// gradUse is the check of one gradient op's node, cached until the graph
// changes.
type gradUse struct {
	node *G.Node // the op's node, set by applyGrad
	seen bool    // used is valid for the graph state (n, last)
	n    int     // number of nodes in the graph when used was decided
	last int64   // ID of its last-added node then
	used bool
}

// needed reports whether the node's output has a reader. The answer is
// recomputed whenever a node was added to or removed from the graph since
// the last call (a new node is the only way to give the output a new
// reader; IDs grow with every node added, so the pair (count, last ID)
// changes with any addition or removal).
func (u *gradUse) needed() bool {
	if u == nil || u.node == nil {
		return true
	}
	g := u.node.Graph()
	if g == nil {
		return true
	}
	all := g.AllNodes()
	if len(all) == 0 {
		return true
	}
	n, last := len(all), all[len(all)-1].ID()
	if u.seen && n == u.n && last == u.last {
		return u.used
	}
	readers := g.To(u.node.ID())
	u.used = len(u.node.DerivOf()) > 0 || (readers != nil && readers.Len() > 0)
	u.seen, u.n, u.last = true, n, last
	return u.used
}

// applyGrad adds op o, a gradient built by SymDiff, to the graph: as
// apply, and the op skips its work on runs where no node reads its output.
func applyGrad(o fop, in ...*G.Node) (*G.Node, error) {
	o.use = &gradUse{}
	n, err := apply(o, in...)
	if err != nil {
		return nil, err
	}
	o.use.node = n
	return n, nil
}
