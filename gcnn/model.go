package gcnn

import (
	"fmt"
	"math"
	"sync"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/rng"
)

// Model is a group-equivariant CNN classifier (or, with Group Z2, an
// ordinary CNN with the same layout): lifting convolution, group
// convolutions with ReLUs and max-pools, pooling over the group and the
// plane, and softmax over the classes. Its methods are not safe for
// concurrent use.
type Model struct {
	cfg Config
	// vals are the parameters (float64): for each layer its base filters
	// then its biases. Every graph the model builds binds its parameter
	// nodes to these tensors, so training updates them in place.
	vals  []*tensor.Dense
	names []string
	// eval is the cached forward graph for prediction.
	mu   sync.Mutex
	eval *evalNet
}

// New returns a model with He-normal weights drawn from cfg.Seed and zero
// biases.
func New(cfg Config) (*Model, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	m := &Model{cfg: c}
	r := rng.New(c.Seed)
	n := c.Group.Order()
	for i, l := range c.Layers {
		in, nin, out := c.dims(i)
		var shape []int
		if i == 0 {
			shape = []int{out, in, l.Kernel, l.Kernel}
		} else {
			shape = []int{out, in, n, l.Kernel, l.Kernel}
		}
		fanIn := in * nin * l.Kernel * l.Kernel
		std := math.Sqrt(2 / float64(fanIn))
		w := make([]float64, out*in*nin*l.Kernel*l.Kernel)
		for k := range w {
			w[k] = std * r.NormFloat64()
		}
		m.vals = append(m.vals,
			tensor.New(tensor.WithShape(shape...), tensor.WithBacking(w)),
			tensor.New(tensor.WithShape(out), tensor.WithBacking(make([]float64, out))))
		m.names = append(m.names, fmt.Sprintf("w%d", i), fmt.Sprintf("b%d", i))
	}
	return m, nil
}

// Config returns the model's configuration with the defaults filled in.
func (m *Model) Config() Config {
	if m == nil {
		return Config{}
	}
	c := m.cfg
	c.Layers = append([]Layer(nil), c.Layers...)
	return c
}

// Dim returns the number of values of one input image, InChannels·Size².
func (m *Model) Dim() int {
	if m == nil {
		return 0
	}
	return m.cfg.InChannels * m.cfg.Size * m.cfg.Size
}

// NumParams returns the number of trainable parameters (base filters and
// biases; the group copies of a filter are not counted again).
func (m *Model) NumParams() int {
	if m == nil {
		return 0
	}
	n := 0
	for _, v := range m.vals {
		n += v.Shape().TotalSize()
	}
	return n
}

// ok returns an error matching ErrZeroValue for a nil or zero Model.
func (m *Model) ok(what string) error {
	if m == nil || len(m.vals) == 0 {
		return errorf(ErrZeroValue, "%s on a zero Model (make one with New or Load)", what)
	}
	return nil
}

// dtype is the dtype of the network's convolutions.
func (m *Model) dtype() tensor.Dtype {
	if m.cfg.Float64 {
		return tensor.Float64
	}
	return tensor.Float32
}

// paramNodes makes the parameter nodes of g, bound to the model's values.
func (m *Model) paramNodes(g *G.ExprGraph) []*G.Node {
	ps := make([]*G.Node, len(m.vals))
	for i, v := range m.vals {
		ps[i] = G.NewTensor(g, tensor.Float64, v.Dims(), G.WithShape(v.Shape()...), G.WithName(m.names[i]), G.WithValue(v))
	}
	return ps
}
