package hnn

import (
	"fmt"
	"time"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/ad"
	_ "github.com/physbias/physbias/internal/blas" // BLAS chosen at build time
	"github.com/physbias/physbias/internal/train"
)

// Model is a Hamiltonian neural network, or with Config.Baseline the
// paper's baseline. The HNN's network maps a state x = (q, p) to a scalar
// H_θ(x) and its field is Hamilton's equations,
// dx/dt = (∂H_θ/∂p, −∂H_θ/∂q); the baseline's network maps x to dx/dt.
// A Model is a Field, so Rollout integrates it.
type Model struct {
	cfg   Config
	dim   int
	sizes []int
	theta []float64 // parameters, W0, b0, W1, b1, … row-major
	net   *net      // plain-Go evaluator of theta
}

// History is the record of a training run.
type History struct {
	// Loss is the training loss (mean squared error of dx/dt over the
	// batch, before the step's update) at every step.
	Loss []float64
	// Elapsed is the wall time of the run.
	Elapsed time.Duration
}

// New returns an untrained model for a phase space of dimension dim (2n,
// even) with the weights drawn from cfg.Seed (Glorot-uniform, zero
// biases).
func New(dim int, cfg Config) (*Model, error) {
	if dim <= 0 || dim%2 != 0 {
		return nil, fmt.Errorf("hnn: phase-space dimension %d; must be even and positive (q and p)", dim)
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
	g := G.NewGraph()
	mlp, err := ad.NewMLP(g, "net", sizes, ad.Tanh, c.Seed)
	if err != nil {
		return nil, fmt.Errorf("hnn: %v", err)
	}
	theta, err := train.Values(mlp.Params())
	if err != nil {
		return nil, fmt.Errorf("hnn: %v", err)
	}
	m := &Model{cfg: c, dim: dim, sizes: sizes, theta: theta}
	if m.net, err = newNet(sizes, theta); err != nil {
		return nil, err
	}
	return m, nil
}

// Dimension returns the phase-space dimension.
func (m *Model) Dimension() int { return m.dim }

// Baseline reports whether m is the baseline (a direct dx/dt network).
func (m *Model) Baseline() bool { return m.cfg.Baseline }

// Config returns the model's configuration with its defaults filled in.
func (m *Model) Config() Config {
	c := m.cfg
	c.Hidden = append([]int(nil), c.Hidden...)
	return c
}

// Train fits the model's dx/dt to the training pairs of d with Adam,
// minimising the mean squared error over all coordinates (the paper's
// L2 loss). It continues from the current weights, so calling it twice
// trains longer. It stops with an error at the first NaN or Inf loss; the
// weights then stay those before the failing step.
func (m *Model) Train(d *Dataset) (History, error) {
	if err := d.check(); err != nil {
		return History{}, err
	}
	if d.Dim != m.dim {
		return History{}, fmt.Errorf("hnn: data set has phase-space dimension %d, the model %d", d.Dim, m.dim)
	}
	N := d.Len()
	B := N
	if m.cfg.BatchSize > 0 {
		if m.cfg.BatchSize > N {
			return History{}, fmt.Errorf("hnn: batch size %d exceeds the %d training pairs", m.cfg.BatchSize, N)
		}
		B = m.cfg.BatchSize
	}
	g := G.NewGraph()
	mlp, err := ad.NewMLP(g, "net", m.sizes, ad.Tanh, m.cfg.Seed)
	if err != nil {
		return History{}, fmt.Errorf("hnn: %v", err)
	}
	if err := train.SetValues(mlp.Params(), m.theta); err != nil {
		return History{}, fmt.Errorf("hnn: %v", err)
	}
	xb := tensor.New(tensor.WithShape(B, m.dim), tensor.WithBacking(make([]float64, B*m.dim)))
	yb := tensor.New(tensor.WithShape(B, m.dim), tensor.WithBacking(make([]float64, B*m.dim)))
	x := G.NewMatrix(g, G.Float64, G.WithShape(B, m.dim), G.WithName("x"), G.WithValue(xb))
	y := G.NewMatrix(g, G.Float64, G.WithShape(B, m.dim), G.WithName("dxdt"), G.WithValue(yb))
	pred, err := m.field(g, mlp, x)
	if err != nil {
		return History{}, err
	}
	diff, err := G.Sub(pred, y)
	if err != nil {
		return History{}, fmt.Errorf("hnn: loss: %v", err)
	}
	sq, err := G.Square(diff)
	if err != nil {
		return History{}, fmt.Errorf("hnn: loss: %v", err)
	}
	loss, err := G.Mean(sq)
	if err != nil {
		return History{}, fmt.Errorf("hnn: loss: %v", err)
	}
	xs, ys := xb.Data().([]float64), yb.Data().([]float64)
	feed := func(idx []int) error {
		for r, i := range idx {
			copy(xs[r*m.dim:(r+1)*m.dim], d.X[i*m.dim:(i+1)*m.dim])
			copy(ys[r*m.dim:(r+1)*m.dim], d.DX[i*m.dim:(i+1)*m.dim])
		}
		return nil
	}
	tc := train.Config{Steps: m.cfg.Steps, BatchSize: m.cfg.BatchSize, Seed: m.cfg.Seed}
	if m.cfg.Progress != nil {
		progress := m.cfg.Progress
		tc.Progress = func(p train.Progress) { progress(p.Step, p.Steps, p.Loss) }
	}
	params := mlp.Params()
	if !m.cfg.Baseline {
		// The output bias shifts H by a constant and leaves its gradient,
		// the HNN's field, unchanged: it has no gradient to train on.
		params = params[:len(params)-1]
	}
	h, err := train.Run(train.Problem{Graph: g, Loss: loss, Params: params, N: N, Feed: feed},
		train.Adam{LR: m.cfg.LR, WeightDecay: m.cfg.WeightDecay}, tc)
	hist := History{Loss: h.Loss, Elapsed: h.Elapsed}
	if err != nil {
		return hist, fmt.Errorf("hnn: training: %v", err)
	}
	theta, err := train.Values(mlp.Params())
	if err != nil {
		return hist, fmt.Errorf("hnn: %v", err)
	}
	nt, err := newNet(m.sizes, theta)
	if err != nil {
		return hist, err
	}
	m.theta, m.net = theta, nt
	return hist, nil
}

// field builds the model's dx/dt on the graph: for the HNN the symplectic
// gradient ∇H·S with S the (Dim×Dim) matrix that sends (∂H/∂q, ∂H/∂p) to
// (∂H/∂p, −∂H/∂q); for the baseline the network's output.
func (m *Model) field(g *G.ExprGraph, mlp *ad.MLP, x *G.Node) (*G.Node, error) {
	if m.cfg.Baseline {
		out, err := mlp.Forward(x)
		if err != nil {
			return nil, fmt.Errorf("hnn: %v", err)
		}
		return out, nil
	}
	grad, err := mlp.InputGrad(x)
	if err != nil {
		return nil, fmt.Errorf("hnn: %v", err)
	}
	n := m.dim / 2
	s := make([]float64, m.dim*m.dim)
	for i := 0; i < n; i++ {
		s[(n+i)*m.dim+i] = 1 // dq_i/dt = ∂H/∂p_i
		s[i*m.dim+n+i] = -1  // dp_i/dt = −∂H/∂q_i
	}
	S := G.NewConstant(tensor.New(tensor.WithShape(m.dim, m.dim), tensor.WithBacking(s)), G.WithName("S"))
	out, err := G.Mul(grad, S)
	if err != nil {
		return nil, fmt.Errorf("hnn: symplectic gradient: %v", err)
	}
	return out, nil
}

// checkStates checks that x holds whole, finite states and returns their
// number.
func (m *Model) checkStates(what string, x []float64, out []float64, outWidth int) (int, error) {
	if len(x) == 0 || len(x)%m.dim != 0 {
		return 0, fmt.Errorf("hnn: %s got %d values, not whole states of dimension %d", what, len(x), m.dim)
	}
	B := len(x) / m.dim
	if len(out) != B*outWidth {
		return 0, fmt.Errorf("hnn: %s: output has %d values for %d states; want %d", what, len(out), B, B*outWidth)
	}
	if err := finite(what+" state", x); err != nil {
		return 0, err
	}
	return B, nil
}

// Deriv writes the model's dx/dt at each state of x (row after row) into
// dxdt.
func (m *Model) Deriv(x, dxdt []float64) error {
	B, err := m.checkStates("Deriv", x, dxdt, m.dim)
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
// baseline has no energy and returns an error.
func (m *Model) Energy(x, h []float64) error {
	if m.cfg.Baseline {
		return fmt.Errorf("hnn: the baseline model learns no energy")
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
	if len(dxdt) != len(x) {
		return 0, fmt.Errorf("hnn: Loss got %d state values and %d derivative values", len(x), len(dxdt))
	}
	if err := finite("dx/dt", dxdt); err != nil {
		return 0, err
	}
	pred := make([]float64, len(x))
	if err := m.Deriv(x, pred); err != nil {
		return 0, err
	}
	var s float64
	for i, p := range pred {
		e := p - dxdt[i]
		s += e * e
	}
	return s / float64(len(x)), nil
}
