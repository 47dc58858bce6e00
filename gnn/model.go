package gnn

import (
	G "gorgonia.org/gorgonia"

	_ "github.com/physbias/physbias/internal/blas" // BLAS chosen at build time
	"github.com/physbias/physbias/internal/train"
)

// Model is a Graph Network block with trained or initial weights. Apply
// runs it on graphs; Train fits it to targets; Save and Load keep it.
// A Model is not safe for concurrent Train calls; Apply may run
// concurrently with other Apply calls.
type Model struct {
	cfg   Config
	theta []float64 // parameters: edge, node, global networks; W0, b0, W1, ...
}

// New returns an untrained block described by cfg, its weights drawn from
// cfg.Seed (Glorot-uniform, zero biases).
func New(cfg Config) (*Model, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	g := G.NewGraph()
	n, err := newNets(g, c)
	if err != nil {
		return nil, err
	}
	theta, err := train.Values(n.params())
	if err != nil {
		return nil, errorf(ErrInput, "%w", err)
	}
	return &Model{cfg: c, theta: theta}, nil
}

// Config returns the model's configuration with its defaults filled in.
func (m *Model) Config() Config {
	if m == nil {
		return Config{}
	}
	c := m.cfg
	c.Hidden = append([]int{}, c.Hidden...)
	return c
}

// Dim returns the number of node input features, Config.NodeIn (0 for a
// zero Model).
func (m *Model) Dim() int {
	if m == nil {
		return 0
	}
	return m.cfg.NodeIn
}

// NumParams returns the number of trainable parameters.
func (m *Model) NumParams() int {
	if m == nil {
		return 0
	}
	return len(m.theta)
}

func (m *Model) ok() error {
	if m == nil || m.theta == nil {
		return errorf(ErrZeroValue, "Model")
	}
	return nil
}

// checkGraphs checks gs against the model's sizes.
func (m *Model) checkGraphs(gs []Graph) error {
	if len(gs) == 0 {
		return errorf(ErrInput, "no graphs")
	}
	for i, g := range gs {
		if err := g.check(m.cfg, i); err != nil {
			return err
		}
	}
	return nil
}

// graph is a block built on a batch: the gorgonia graph, its networks set
// to the model's parameters, and its outputs.
type graph struct {
	g   *G.ExprGraph
	n   *nets
	b   *builder
	out outputs
}

// build builds the block on bt with the model's current parameters.
func (m *Model) build(bt *batch) (*graph, error) {
	g := G.NewGraph()
	n, err := newNets(g, m.cfg)
	if err != nil {
		return nil, err
	}
	if err := train.SetValues(n.params(), m.theta); err != nil {
		return nil, errorf(ErrInput, "%w", err)
	}
	if bt.edges > 0 {
		if err := n.splitEdge(g, m.cfg); err != nil {
			return nil, err
		}
	}
	b := newBuilder(g)
	out := b.forward(m.cfg, n, bt)
	if err := b.Err(); err != nil {
		return nil, err
	}
	return &graph{g: g, n: n, b: b, out: out}, nil
}

// Apply runs the block on gs and returns one output graph per input: the
// same senders and receivers, Nodes holding v' (NodeOut values a node),
// Edges the messages e' (EdgeOut values an edge; nil without an edge
// update) and Globals u' (GlobalOut values; nil without a global update).
// The graphs are batched into one and run together.
func (m *Model) Apply(gs []Graph) ([]Graph, error) {
	if err := m.ok(); err != nil {
		return nil, err
	}
	if err := m.checkGraphs(gs); err != nil {
		return nil, err
	}
	bt := newBatch(gs, m.cfg)
	gr, err := m.build(bt)
	if err != nil {
		return nil, err
	}
	var ev, nv, uv G.Value
	if gr.out.edge != nil {
		G.Read(gr.out.edge, &ev)
	}
	if gr.out.node != nil {
		G.Read(gr.out.node, &nv)
	}
	if gr.out.global != nil {
		G.Read(gr.out.global, &uv)
	}
	vm := G.NewTapeMachine(gr.g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, errorf(ErrInput, "running the block: %w", err)
	}
	c := m.cfg
	eData, nData, uData := data(ev), data(nv), data(uv)
	out := make([]Graph, len(gs))
	for i, g := range gs {
		o := Graph{
			Senders:   append([]int(nil), g.Senders...),
			Receivers: append([]int(nil), g.Receivers...),
			Nodes:     rows(nData, bt.nodeOff[i], bt.nodeOff[i+1], c.NodeOut),
		}
		if c.EdgeOut > 0 {
			o.Edges = rows(eData, bt.edgeOff[i], bt.edgeOff[i+1], c.EdgeOut)
		}
		if c.GlobalOut > 0 {
			o.Globals = append([]float64(nil), uData[i*c.GlobalOut:(i+1)*c.GlobalOut]...)
		}
		out[i] = o
	}
	return out, nil
}

// data returns a read value's float64s (nil for a nil value).
func data(v G.Value) []float64 {
	if v == nil {
		return nil
	}
	d, _ := v.Data().([]float64)
	return d
}

// rows copies rows [from, to) of width w out of d.
func rows(d []float64, from, to, w int) [][]float64 {
	out := make([][]float64, to-from)
	for k := range out {
		out[k] = append([]float64(nil), d[(from+k)*w:(from+k+1)*w]...)
	}
	return out
}
