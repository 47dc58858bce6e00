package hnn

import (
	"context"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/ad"
	_ "github.com/physbias/physbias/internal/blas" // BLAS chosen at build time
	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/train"
)

// Model is a Hamiltonian neural network, or with Config.Baseline the
// paper's baseline. The HNN's network maps a state x = (q, p) to a scalar
// H_θ(x) and its field is Hamilton's equations,
// dx/dt = (∂H_θ/∂p, −∂H_θ/∂q); the baseline's network maps x to dx/dt.
// A Model is a Field, so Rollout integrates it. Make one with New or Load;
// every method of a zero Model returns an error matching ErrZeroValue.
type Model struct {
	cfg   Config
	dim   int
	sizes []int
	theta []float64 // parameters, W0, b0, W1, b1, … row-major
	net   *net      // plain-Go evaluator of theta
}

// New returns an untrained model for a phase space of dimension dim (2n,
// even) with the weights drawn from cfg.Seed (Glorot-uniform, zero
// biases).
func New(dim int, cfg Config) (*Model, error) {
	if dim <= 0 || dim%2 != 0 || dim > 1<<14 {
		return nil, errorf(ErrInput, "phase-space dimension %d; must be even, positive and at most 16384 (q and p)", dim)
	}
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	out := 1
	if c.Baseline {
		out = dim
	}
	sizes := append(append([]int{dim}, c.Hidden...), out)
	_, mlp, err := newGraph(sizes, c.Seed)
	if err != nil {
		return nil, err
	}
	theta, err := train.Values(mlp.Params())
	if err != nil {
		return nil, errorf(ErrInput, "%w", err)
	}
	m := &Model{cfg: c, dim: dim, sizes: sizes, theta: theta}
	if m.net, err = newNet(sizes, theta); err != nil {
		return nil, err
	}
	return m, nil
}

// newGraph builds the network of the given sizes on a fresh graph, with
// named parameters drawn from seed.
func newGraph(sizes []int, seed uint64) (*G.ExprGraph, *ad.MLP, error) {
	g := G.NewGraph()
	mlp, err := ad.NewMLP(g, "net", sizes, ad.Tanh, seed)
	if err != nil {
		return nil, nil, errorf(ErrInput, "%w", err)
	}
	return g, mlp, nil
}

// ok reports a zero or nil Model.
func (m *Model) ok() error {
	if m == nil || m.net == nil {
		return errorf(ErrZeroValue, "Model")
	}
	return nil
}

// Dim returns the phase-space dimension 2n (0 for a zero Model).
func (m *Model) Dim() int {
	if m == nil {
		return 0
	}
	return m.dim
}

// Baseline reports whether m is the baseline (a direct dx/dt network).
func (m *Model) Baseline() bool { return m != nil && m.cfg.Baseline }

// Config returns the model's configuration with its defaults filled in.
func (m *Model) Config() Config {
	if m == nil {
		return Config{}
	}
	c := m.cfg
	c.Hidden = append([]int(nil), c.Hidden...)
	return c
}

// Train fits the model's dx/dt to the training pairs of d with Adam,
// minimising the mean squared error over all coordinates (the paper's
// L2 loss). It continues from the current weights, so calling it twice
// trains longer (Adam's moments restart).
//
// Cancelling ctx stops training after the current step: Train returns the
// history so far and an error matching context.Canceled, and the model
// keeps the weights of the last completed step; tc.TimeLimit stops the
// same way without an error. The first NaN or Inf loss or gradient stops
// with an error matching ErrNotFinite that names the step; the weights then
// stay those before it.
func (m *Model) Train(ctx context.Context, d *Dataset, tc TrainConfig) (History, error) {
	if err := m.ok(); err != nil {
		return History{}, err
	}
	if ctx == nil {
		return History{}, errorf(ErrInput, "Train: nil context (use context.Background())")
	}
	tc, err := tc.withDefaults()
	if err != nil {
		return History{}, err
	}
	if err := d.check(); err != nil {
		return History{}, err
	}
	if d.Dim != m.dim {
		return History{}, errorf(ErrInput, "data set has phase-space dimension %d, the model %d", d.Dim, m.dim)
	}
	N := d.Len()
	B := N
	if tc.BatchSize > 0 {
		if tc.BatchSize > N {
			return History{}, errorf(ErrInput, "TrainConfig.BatchSize %d exceeds the %d training pairs", tc.BatchSize, N)
		}
		B = tc.BatchSize
	}
	g, mlp, err := newGraph(m.sizes, m.cfg.Seed)
	if err != nil {
		return History{}, err
	}
	if err := train.SetValues(mlp.Params(), m.theta); err != nil {
		return History{}, errorf(ErrInput, "%w", err)
	}
	xb := tensor.New(tensor.WithShape(B, m.dim), tensor.WithBacking(make([]float64, B*m.dim)))
	yb := tensor.New(tensor.WithShape(B, m.dim), tensor.WithBacking(make([]float64, B*m.dim)))
	x := G.NewMatrix(g, G.Float64, G.WithShape(B, m.dim), G.WithName("x"), G.WithValue(xb))
	y := G.NewMatrix(g, G.Float64, G.WithShape(B, m.dim), G.WithName("dxdt"), G.WithValue(yb))
	b := build.New(g, "hnn")
	loss := b.Mean(b.Square(b.Sub(m.field(b, mlp, x), y)))
	if err := b.Err(); err != nil {
		return History{}, err
	}
	xs, ys := xb.Data().([]float64), yb.Data().([]float64)
	feed := func(idx []int) error {
		for r, i := range idx {
			copy(xs[r*m.dim:(r+1)*m.dim], d.X[i*m.dim:(i+1)*m.dim])
			copy(ys[r*m.dim:(r+1)*m.dim], d.DX[i*m.dim:(i+1)*m.dim])
		}
		return nil
	}
	cfg := train.Config{Steps: tc.Steps, BatchSize: tc.BatchSize, Seed: tc.Seed, Progress: tc.Progress,
		Context: ctx, TimeLimit: tc.TimeLimit, Prefix: "hnn"}
	params := mlp.Params()
	if !m.cfg.Baseline {
		// The output bias shifts H by a constant and leaves its gradient,
		// the HNN's field, unchanged: it has no gradient to train on.
		params = params[:len(params)-1]
	}
	h, runErr := train.Run(train.Problem{Graph: g, Loss: loss, Params: params, N: N, Feed: feed},
		train.Adam{LR: tc.LR, WeightDecay: tc.WeightDecay}, cfg)
	// The parameters hold the last completed step, also after an error.
	theta, err := train.Values(mlp.Params())
	if err != nil {
		return h, errorf(ErrInput, "%w", err)
	}
	nt, err := newNet(m.sizes, theta)
	if err != nil {
		return h, err
	}
	m.theta, m.net = theta, nt
	return h, runErr
}

// field builds the model's dx/dt on the graph: for the HNN the symplectic
// gradient ∇H·S with S the (Dim×Dim) matrix that sends (∂H/∂q, ∂H/∂p) to
// (∂H/∂p, −∂H/∂q); for the baseline the network's output.
func (m *Model) field(b *build.B, mlp *ad.MLP, x *G.Node) *G.Node {
	if m.cfg.Baseline {
		return b.Do("network", func() (*G.Node, error) { return mlp.Forward(x) })
	}
	grad := b.Do("∇H", func() (*G.Node, error) { return mlp.InputGrad(x) })
	n := m.dim / 2
	s := make([]float64, m.dim*m.dim)
	for i := 0; i < n; i++ {
		s[(n+i)*m.dim+i] = 1 // dq_i/dt = ∂H/∂p_i
		s[i*m.dim+n+i] = -1  // dp_i/dt = −∂H/∂q_i
	}
	return b.Mul(grad, b.Constant(s, m.dim, m.dim))
}

// checkStates checks that x holds whole, finite states and out room for
// outWidth values a state, and returns the number of states.
func (m *Model) checkStates(what string, x []float64, out []float64, outWidth int) (int, error) {
	if err := m.ok(); err != nil {
		return 0, err
	}
	if len(x) == 0 || len(x)%m.dim != 0 {
		return 0, errorf(ErrInput, "%s got %d values, not whole states of dimension %d", what, len(x), m.dim)
	}
	B := len(x) / m.dim
	if len(out) != B*outWidth {
		return 0, errorf(ErrInput, "%s: the output has %d values for %d states; want %d", what, len(out), B, B*outWidth)
	}
	if err := finite(what+" state", x); err != nil {
		return 0, err
	}
	return B, nil
}

// Deriv writes the model's dx/dt at each state of x (row after row) into
// dxdt.
func (m *Model) Deriv(x, dxdt []float64) error {
	B, err := m.checkStates("Deriv", x, dxdt, m.Dim())
	if err != nil {
		return err
	}
	if m.cfg.Baseline {
		_, out := m.net.forward(x, B)
		copy(dxdt, out)
		return nil
	}
	g := make([]float64, len(x))
	m.net.inputGrad(x, B, g)
	n := m.dim / 2
	for r := 0; r < len(x); r += m.dim {
		for i := 0; i < n; i++ {
			dxdt[r+i] = g[r+n+i]
			dxdt[r+n+i] = -g[r+i]
		}
	}
	return nil
}

// Energy writes the learned H_θ at each state of x into h (one value a
// state). The learned H is defined up to an additive constant. The
// baseline has no energy and returns an error matching ErrInput.
func (m *Model) Energy(x, h []float64) error {
	if err := m.ok(); err != nil {
		return err
	}
	if m.cfg.Baseline {
		return errorf(ErrInput, "the baseline model learns no energy")
	}
	B, err := m.checkStates("Energy", x, h, 1)
	if err != nil {
		return err
	}
	_, out := m.net.forward(x, B)
	copy(h, out)
	return nil
}

// Loss returns the mean squared error of the model's dx/dt against dxdt
// at the states x, over all coordinates (the paper's L2 loss).
func (m *Model) Loss(x, dxdt []float64) (float64, error) {
	if err := m.ok(); err != nil {
		return 0, err
	}
	if len(dxdt) != len(x) {
		return 0, errorf(ErrInput, "Loss got %d state values and %d derivative values", len(x), len(dxdt))
	}
	if err := finite("dx/dt", dxdt); err != nil {
		return 0, err
	}
	return derivMSE(m, x, dxdt)
}
