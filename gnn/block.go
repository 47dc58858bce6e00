package gnn

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/segment"
	"github.com/physbias/physbias/internal/train"
)

// nets holds the three update networks of a block on one gorgonia graph;
// a network the Config does not ask for is nil.
type nets struct {
	edge, node, global *ad.MLP
	// edgeTail, when not nil, is the edge network after its first layer,
	// which then runs at the nodes (edgeFirstLayer) on edge's W0 and b0;
	// edge's other parameters are not in the graph.
	edgeTail *ad.MLP
}

// splitEdge moves the edge network's layers after the first into
// n.edgeTail (their values copied) and drops the edge network's own
// copies of them from g, so that forward runs the first layer at the
// nodes. It does nothing without an edge network or hidden layers.
func (n *nets) splitEdge(g *G.ExprGraph, c Config) error {
	if n.edge == nil || len(c.Hidden) == 0 {
		return nil
	}
	p := n.edge.Params()
	vals, err := train.Values(p[2:])
	if err != nil {
		return errorf(ErrInput, "%w", err)
	}
	sizes := append(append([]int{}, c.Hidden...), c.EdgeOut)
	tail, err := ad.NewMLP(g, "edge.tail", sizes, actAD[c.Activation], 0)
	if err != nil {
		return errorf(ErrInput, "edge network: %w", err)
	}
	if err := train.SetValues(tail.Params(), vals); err != nil {
		return errorf(ErrInput, "%w", err)
	}
	for _, q := range p[2:] {
		g.RemoveNode(q)
	}
	n.edgeTail = tail
	return nil
}

// edgeParams returns the parameters of the edge network as they sit in
// the graph, in the order W0, b0, W1, b1, ...
func (n *nets) edgeParams() []*G.Node {
	if n.edge == nil {
		return nil
	}
	if n.edgeTail == nil {
		return n.edge.Params()
	}
	return append(n.edge.Params()[:2:2], n.edgeTail.Params()...)
}

// seedStep separates the seeds of the three networks.
const seedStep = 0x9E3779B97F4A7C15

// newNets adds the update networks of c to g, their weights drawn from
// c.Seed.
func newNets(g *G.ExprGraph, c Config) (*nets, error) {
	n := &nets{}
	mk := func(name string, in, out int, k uint64) (*ad.MLP, error) {
		sizes := append(append([]int{in}, c.Hidden...), out)
		m, err := ad.NewMLP(g, name, sizes, actAD[c.Activation], c.Seed+k*seedStep)
		if err != nil {
			return nil, errorf(ErrInput, "%s network: %w", name, err)
		}
		return m, nil
	}
	var err error
	if c.EdgeOut > 0 {
		if n.edge, err = mk("edge", c.EdgeIn+2*c.NodeIn+c.GlobalIn, c.EdgeOut, 0); err != nil {
			return nil, err
		}
	}
	if n.node, err = mk("node", c.NodeIn+c.EdgeOut+c.GlobalIn, c.NodeOut, 1); err != nil {
		return nil, err
	}
	if c.GlobalOut > 0 {
		if n.global, err = mk("global", c.EdgeOut+c.NodeOut+c.GlobalIn, c.GlobalOut, 2); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// params returns the parameters of the networks in the order edge, node,
// global.
func (n *nets) params() []*G.Node {
	p := n.edgeParams()
	for _, m := range []*ad.MLP{n.node, n.global} {
		if m != nil {
			p = append(p, m.Params()...)
		}
	}
	return p
}

// builder adds a block's nodes to a graph: internal/build's builder, which
// keeps the first error, and the block's inputs.
type builder struct {
	*build.B
	names int
}

func newBuilder(g *G.ExprGraph) *builder { return &builder{B: build.New(g, "gnn")} }

// input adds a float64 input matrix of shape (r, c) backed by data (not
// copied: changing data changes the next run's input).
func (b *builder) input(name string, data []float64, r, c int) *G.Node {
	if !b.OK() {
		return nil
	}
	b.names++
	t := tensor.New(tensor.WithShape(r, c), tensor.WithBacking(data))
	return G.NewMatrix(b.Graph(), tensor.Float64, G.WithShape(r, c), G.WithName(fmt.Sprintf("%s.%d", name, b.names)), G.WithValue(t))
}

// zeros adds an input matrix of zeros, standing for the reduction of an
// empty set.
func (b *builder) zeros(r, c int) *G.Node { return b.input("zeros", make([]float64, r*c), r, c) }

// aggregate reduces the rows of x into n segments with c's aggregator.
func (b *builder) aggregate(c Config, x *G.Node, seg []int, n int) *G.Node {
	return b.Do("aggregation", func() (*G.Node, error) {
		switch c.Aggregation {
		case Mean:
			return segment.Mean(x, seg, n)
		case Max:
			return segment.Max(x, seg, n)
		default:
			return segment.Sum(x, seg, n)
		}
	})
}

// forward returns the nodes of the block's outputs on a batch: the
// messages e' (nil without edges or an edge update), the node outputs v'
// (nil without nodes) and the global outputs u' (nil without a global
// update).
type outputs struct {
	edge, node, global *G.Node
}

// forward builds the block of c with networks n on the batch bt, whose
// feature slices back the graph's inputs.
func (b *builder) forward(c Config, n *nets, bt *batch) outputs {
	var o outputs
	var v, e, u *G.Node
	if bt.nodes > 0 {
		v = b.input("nodes", bt.nodeX, bt.nodes, c.NodeIn)
	}
	if bt.edges > 0 && c.EdgeIn > 0 {
		e = b.input("edges", bt.edgeX, bt.edges, c.EdgeIn)
	}
	if c.GlobalIn > 0 {
		u = b.input("globals", bt.globX, bt.graphs, c.GlobalIn)
	}
	// Edge update.
	if c.EdgeOut > 0 && bt.edges > 0 {
		if n.edgeTail != nil {
			o.edge = b.edgeNet(c, n, bt, v, e, u)
		}
		var parts []segment.Part
		if e != nil {
			parts = append(parts, segment.Part{X: e})
		}
		parts = append(parts, segment.Part{X: v, Idx: bt.receivers}, segment.Part{X: v, Idx: bt.senders})
		if u != nil {
			parts = append(parts, segment.Part{X: u, Idx: bt.edgeGraph})
		}
		if o.edge == nil {
			in := b.Do("edge input", func() (*G.Node, error) { return segment.GatherConcat(parts...) })
			o.edge = b.Do("edge network", func() (*G.Node, error) { return n.edge.Forward(in) })
		}
	}
	// Node update.
	if bt.nodes > 0 {
		parts := []segment.Part{{X: v}}
		if c.EdgeOut > 0 {
			var agg *G.Node
			if o.edge != nil {
				agg = b.aggregate(c, o.edge, bt.receivers, bt.nodes)
			} else {
				agg = b.zeros(bt.nodes, c.EdgeOut)
			}
			parts = append(parts, segment.Part{X: agg})
		}
		if u != nil {
			parts = append(parts, segment.Part{X: u, Idx: bt.nodeGraph})
		}
		in := b.Do("node input", func() (*G.Node, error) { return segment.GatherConcat(parts...) })
		o.node = b.Do("node network", func() (*G.Node, error) { return n.node.Forward(in) })
	}
	// Global update.
	if c.GlobalOut > 0 {
		var parts []segment.Part
		if c.EdgeOut > 0 {
			agg := b.zeros(bt.graphs, c.EdgeOut)
			if o.edge != nil {
				agg = b.aggregate(c, o.edge, bt.edgeGraph, bt.graphs)
			}
			parts = append(parts, segment.Part{X: agg})
		}
		agg := b.zeros(bt.graphs, c.NodeOut)
		if o.node != nil {
			agg = b.aggregate(c, o.node, bt.nodeGraph, bt.graphs)
		}
		parts = append(parts, segment.Part{X: agg})
		if u != nil {
			parts = append(parts, segment.Part{X: u})
		}
		in := b.Do("global input", func() (*G.Node, error) { return segment.GatherConcat(parts...) })
		o.global = b.Do("global network", func() (*G.Node, error) { return n.global.Forward(in) })
	}
	return o
}

// edgeNet builds the edge network with its first layer at the nodes
// (edgeFirstLayer on the parts [e, v_receiver, v_sender, u], the order of
// W0's rows) and the rest, n.edgeTail, on its output.
func (b *builder) edgeNet(c Config, n *nets, bt *batch, v, e, u *G.Node) *G.Node {
	var xs []*G.Node
	var parts []edgePart
	add := func(x *G.Node, f int, idx []int) {
		in := len(xs)
		for i, y := range xs {
			if y == x {
				in = i
			}
		}
		if in == len(xs) {
			xs = append(xs, x)
		}
		off := 0
		if k := len(parts); k > 0 {
			off = parts[k-1].off + parts[k-1].f
		}
		parts = append(parts, edgePart{in: in, off: off, f: f, idx: idx})
	}
	if e != nil {
		add(e, c.EdgeIn, nil)
	}
	add(v, c.NodeIn, bt.receivers)
	add(v, c.NodeIn, bt.senders)
	if u != nil {
		add(u, c.GlobalIn, bt.edgeGraph)
	}
	p := n.edge.Params()
	h := b.Do("edge first layer", func() (*G.Node, error) {
		return edgeFirstLayer(xs, parts, p[0], p[1], bt.edges, actAD[c.Activation])
	})
	return b.Do("edge network", func() (*G.Node, error) { return n.edgeTail.Forward(h) })
}
