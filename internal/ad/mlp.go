package ad

import (
	"errors"
	"fmt"
	"math"

	_ "github.com/physbias/physbias/internal/blas" // BLAS chosen at build time
	"github.com/physbias/physbias/internal/rng"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MLP is a dense network on a gorgonia graph: z_l = a_{l−1}W_l + b_l, with
// a_l = Act(z_l) on hidden layers and a linear last layer. W_l has shape
// (sizes[l], sizes[l+1]) and b_l shape (1, sizes[l+1]).
type MLP struct {
	g     *G.ExprGraph
	name  string
	sizes []int
	act   Activation
	w, b  []*G.Node

	// revCache holds the forward-over-reverse passes built per input node,
	// so that InputGrad, Hessian and HessianBlock on one x share them.
	revCache map[*G.Node][]*revEntry
}

// maxLayerWeights bounds the weights of one layer (2³¹ float64s, 16 GiB):
// larger sizes are a mistake, and their product could overflow int.
const maxLayerWeights = 1 << 31

// NewMLP adds a network with layer sizes [in, h1, ..., out] to g. Weights are
// Glorot-uniform, U(±√(6/(fan_in+fan_out))), drawn from seed; biases are
// zero. Parameters are named name+".W0", name+".b0", name+".W1", ... A layer
// may hold at most 2³¹ weights.
func NewMLP(g *G.ExprGraph, name string, sizes []int, act Activation, seed uint64) (*MLP, error) {
	if g == nil {
		return nil, fmt.Errorf("ad: NewMLP %q: nil graph", name)
	}
	if len(sizes) < 2 {
		return nil, fmt.Errorf("ad: NewMLP %q: need at least 2 layer sizes (in, out), got %v", name, sizes)
	}
	for i, s := range sizes {
		if s < 1 {
			return nil, fmt.Errorf("ad: NewMLP %q: layer size %d is %d, must be ≥ 1", name, i, s)
		}
	}
	for l := 0; l+1 < len(sizes); l++ {
		if sizes[l] > maxLayerWeights/sizes[l+1] {
			return nil, fmt.Errorf("ad: NewMLP %q: layer %d has %d×%d weights, more than the %d supported", name, l, sizes[l], sizes[l+1], maxLayerWeights)
		}
	}
	if !act.valid() {
		return nil, fmt.Errorf("ad: NewMLP %q: unknown activation %d", name, int(act))
	}
	m := &MLP{g: g, name: name, sizes: append([]int(nil), sizes...), act: act}
	r := rng.New(seed)
	for l := 0; l+1 < len(sizes); l++ {
		fi, fo := sizes[l], sizes[l+1]
		lim := math.Sqrt(6 / float64(fi+fo))
		wd := make([]float64, fi*fo)
		for i := range wd {
			wd[i] = lim * (2*r.Float64() - 1)
		}
		w := G.NewMatrix(g, G.Float64, G.WithShape(fi, fo), G.WithName(fmt.Sprintf("%s.W%d", name, l)),
			G.WithValue(tensor.New(tensor.WithShape(fi, fo), tensor.WithBacking(wd))))
		b := G.NewMatrix(g, G.Float64, G.WithShape(1, fo), G.WithName(fmt.Sprintf("%s.b%d", name, l)),
			G.WithValue(tensor.New(tensor.WithShape(1, fo), tensor.WithBacking(make([]float64, fo)))))
		m.w = append(m.w, w)
		m.b = append(m.b, b)
	}
	return m, nil
}

// Params returns the trainable nodes in the order W0, b0, W1, b1, ...
func (m *MLP) Params() []*G.Node {
	if m == nil {
		return nil
	}
	ps := make([]*G.Node, 0, 2*len(m.w))
	for l := range m.w {
		ps = append(ps, m.w[l], m.b[l])
	}
	return ps
}

// In returns the input width (0 for an MLP not made by NewMLP).
func (m *MLP) In() int {
	if m == nil || len(m.sizes) == 0 {
		return 0
	}
	return m.sizes[0]
}

// Out returns the output width (0 for an MLP not made by NewMLP).
func (m *MLP) Out() int {
	if m == nil || len(m.sizes) == 0 {
		return 0
	}
	return m.sizes[len(m.sizes)-1]
}

// ready returns an error for a nil or zero-value MLP (not made by NewMLP).
func (m *MLP) ready() error {
	if m == nil || m.g == nil || len(m.sizes) < 2 {
		return errors.New("ad: MLP is nil or empty: make it with NewMLP")
	}
	return nil
}

// Sizes returns a copy of the layer sizes [in, h1, ..., out].
func (m *MLP) Sizes() []int { return append([]int(nil), m.sizes...) }

// Activation returns the hidden-layer activation.
func (m *MLP) Activation() Activation { return m.act }

func (m *MLP) layers() int { return len(m.w) }

// checkBatch checks that x is a (B, width) matrix on m's graph and returns B.
func (m *MLP) checkBatch(x *G.Node, what string, width int) (int, error) {
	if err := m.ready(); err != nil {
		return 0, err
	}
	if x == nil {
		return 0, fmt.Errorf("ad: %s: %s is nil", m.name, what)
	}
	if x.Graph() != nil && x.Graph() != m.g {
		return 0, fmt.Errorf("ad: %s: %s is on another graph", m.name, what)
	}
	s := x.Shape()
	if len(s) != 2 {
		return 0, fmt.Errorf("ad: %s: %s must be a (batch, %d) matrix, got shape %v", m.name, what, width, s)
	}
	if s[1] != width {
		return 0, fmt.Errorf("ad: %s: %s has %d columns, want %d", m.name, what, s[1], width)
	}
	if s[0] < 1 {
		return 0, fmt.Errorf("ad: %s: %s has an empty batch", m.name, what)
	}
	if x.Dtype() != tensor.Float64 {
		return 0, fmt.Errorf("ad: %s: %s has dtype %v, want float64", m.name, what, x.Dtype())
	}
	return s[0], nil
}

func (m *MLP) needScalar(what string) error {
	if err := m.ready(); err != nil {
		return err
	}
	if m.Out() != 1 {
		return fmt.Errorf("ad: %s: %s needs a scalar output, network has Out()=%d", m.name, what, m.Out())
	}
	return nil
}

// Forward returns f(x), (B, Out()), for x of shape (B, In()).
func (m *MLP) Forward(x *G.Node) (*G.Node, error) {
	B, err := m.checkBatch(x, "Forward input x", m.In())
	if err != nil {
		return nil, err
	}
	return m.jetPass(x, nil, B, nil, nil)
}
