package lnn

import (
	"context"
	"math"
	"time"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/linalg"
	"github.com/physbias/physbias/internal/train"
)

// Model is a Lagrangian neural network, a DeLaN or the baseline (see Kind).
// It keeps its weights as plain values; Train builds a gorgonia graph for
// training, and Accel, Rollout and Energy evaluate the weights in plain Go.
// A Model is a Dynamics. Make one with New or Load: the methods of a zero
// Model return errors matching ErrZeroValue (Dim returns 0).
type Model struct {
	cfg   Config
	n     int
	sizes [][]int     // layer sizes of each network
	theta [][]float64 // parameters of each network, W0, b0, W1, b1, … row-major
	dense []*ad.Dense // plain-Go evaluators of theta, batched on the core's GEMM
	tau   float64     // time scale τ: the networks see (q, τq̇) and give τ²q̈
	tauOK bool        // τ is fixed (by Config.TimeScale or a first Train)
}

// New returns an untrained model for a system with n coordinates, its
// weights drawn from cfg.Seed (Glorot-uniform, zero biases). The networks
// are, with hidden sizes h…: LNN 2n-h…-1; DeLaN n-h…-n(n+1)/2 (Cholesky
// factor) and n-h…-1 (potential); baseline 2n-h…-n.
func New(n int, cfg Config) (*Model, error) {
	if n < 1 || n > linalg.MaxN {
		return nil, errorf(ErrInput, "%d coordinates; must be between 1 and %d (the batched solve's limit)", n, linalg.MaxN)
	}
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	m := &Model{cfg: c, n: n, tau: 1}
	if c.TimeScale > 0 {
		m.tau, m.tauOK = c.TimeScale, true
	}
	layer := func(in, out int) []int { return append(append([]int{in}, c.Hidden...), out) }
	switch c.Kind {
	case LNN:
		m.sizes = [][]int{layer(2*n, 1)}
	case DeLaN:
		m.sizes = [][]int{layer(n, n*(n+1)/2), layer(n, 1)}
	case Baseline:
		m.sizes = [][]int{layer(2*n, n)}
	}
	nets, err := m.networks(G.NewGraph())
	if err != nil {
		return nil, err
	}
	theta := make([][]float64, len(nets))
	for k, net := range nets {
		if theta[k], err = train.Values(net.Params()); err != nil {
			return nil, errorf(ErrInput, "%w", err)
		}
	}
	if err := m.setTheta(theta); err != nil {
		return nil, err
	}
	return m, nil
}

// networks adds the model's networks to g with their initial weights.
func (m *Model) networks(g *G.ExprGraph) ([]*ad.MLP, error) {
	names := []string{"L"}
	switch m.cfg.Kind {
	case DeLaN:
		names = []string{"chol", "V"}
	case Baseline:
		names = []string{"qdd"}
	}
	nets := make([]*ad.MLP, len(m.sizes))
	for k, s := range m.sizes {
		net, err := ad.NewMLP(g, names[k], s, ad.Softplus, m.cfg.Seed+uint64(k))
		if err != nil {
			return nil, errorf(ErrInput, "%w", err)
		}
		nets[k] = net
	}
	return nets, nil
}

// setTheta installs new weights and their plain-Go evaluators.
func (m *Model) setTheta(theta [][]float64) error {
	dense := make([]*ad.Dense, len(theta))
	for k, th := range theta {
		s := m.sizes[k]
		var w, b [][]float64
		off := 0
		for l := 0; l+1 < len(s); l++ {
			w = append(w, th[off:off+s[l]*s[l+1]])
			off += s[l] * s[l+1]
			b = append(b, th[off:off+s[l+1]])
			off += s[l+1]
		}
		d, err := ad.NewDense(s, ad.Softplus, w, b)
		if err != nil {
			return errorf(ErrInput, "%w", err)
		}
		dense[k] = d
	}
	m.theta, m.dense = theta, dense
	return nil
}

// Dim returns the length of a state, 2n (0 for a nil or zero Model).
func (m *Model) Dim() int {
	if m == nil {
		return 0
	}
	return 2 * m.n
}

// check returns an error for a Model not made by New or Load.
func (m *Model) check() error {
	if m == nil || m.n == 0 {
		return errorf(ErrZeroValue, "Model")
	}
	return nil
}

// Kind returns the model's kind.
func (m *Model) Kind() Kind {
	if m == nil {
		return LNN
	}
	return m.cfg.Kind
}

// TimeScale returns τ, the time unit of the networks (Config.TimeScale, or
// the value the first Train took from its data; 1 before that; 0 for a
// zero Model).
func (m *Model) TimeScale() float64 {
	if m == nil {
		return 0
	}
	return m.tau
}

// Config returns the model's configuration with its defaults filled in.
func (m *Model) Config() Config {
	if m == nil {
		return Config{}
	}
	c := m.cfg
	c.Hidden = append([]int(nil), c.Hidden...)
	return c
}

// accelGraph builds the model's q̈ at the states x (B, 2n) in physical
// units.
func (m *Model) accelGraph(b *build.B, nets []*ad.MLP, x *G.Node) *G.Node {
	return b.Mul(b.Scalar(1/(m.tau*m.tau)), m.scaledAccelGraph(b, nets, x))
}

// scaledAccelGraph builds τ²q̈ at the states x (B, 2n): the networks' own
// output at x' = (q, τq̇).
func (m *Model) scaledAccelGraph(b *build.B, nets []*ad.MLP, x *G.Node) *G.Node {
	w := 2 * m.n
	d := make([]float64, w*w)
	for i := 0; i < w; i++ {
		d[i*w+i] = 1
		if i >= m.n {
			d[i*w+i] = m.tau
		}
	}
	x = b.Mul(x, b.Constant(d, w, w))
	if !b.OK() {
		return nil
	}
	switch m.cfg.Kind {
	case LNN:
		return lnnAccel(b, nets[0], x, m.n, m.cfg.MassEps)
	case DeLaN:
		return delanAccel(b, nets[0], nets[1], x, m.n, m.cfg.MassEps)
	default:
		return b.Do("baseline network", func() (*G.Node, error) { return nets[0].Forward(x) })
	}
}

// trainable returns the parameters the loss depends on: the output bias of
// a scalar network (L or V) only shifts it by a constant and drops out of
// q̈, and gorgonia's Grad rejects a parameter the loss does not reach.
func (m *Model) trainable(nets []*ad.MLP) []*G.Node {
	var ps []*G.Node
	for _, net := range nets {
		p := net.Params()
		if net.Out() == 1 {
			p = p[:len(p)-1]
		}
		ps = append(ps, p...)
	}
	return ps
}

// lossGraph builds the training graph for a batch of B states: the input
// nodes x (B, 2n) and target (B, n), and the loss, the mean squared error
// of τ²q̈ (target must hold τ²q̈).
func (m *Model) lossGraph(g *G.ExprGraph, nets []*ad.MLP, B int) (x, target, loss *G.Node, err error) {
	b := build.New(g, "lnn")
	x = G.NewMatrix(g, G.Float64, G.WithShape(B, 2*m.n), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(B, 2*m.n), tensor.WithBacking(make([]float64, B*2*m.n)))))
	target = G.NewMatrix(g, G.Float64, G.WithShape(B, m.n), G.WithName("qdd"),
		G.WithValue(tensor.New(tensor.WithShape(B, m.n), tensor.WithBacking(make([]float64, B*m.n)))))
	loss = b.Mean(b.Square(b.Sub(m.scaledAccelGraph(b, nets, x), target)))
	return x, target, loss, b.Err()
}

// Train fits the model's q̈ to the data set with Adam, minimising the mean
// squared error of q̈ over all coordinates, the learning rate falling from
// tc.LR to tc.FinalLR in four phases. It continues from the current
// weights, so calling it twice trains longer.
//
// Cancelling ctx stops training after the current step: Train returns the
// history so far and an error matching context.Canceled, and the model
// keeps the weights of the last completed step; tc.TimeLimit stops the same
// way without an error. The first NaN or Inf loss or gradient stops with an
// error matching ErrNotFinite, a singular learned mass matrix with one
// matching ErrSingular, both naming the step; the weights then stay those
// before it.
func (m *Model) Train(ctx context.Context, d *Dataset, tc TrainConfig) (History, error) {
	if err := m.check(); err != nil {
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
	if d.Dof != m.n {
		return History{}, errorf(ErrInput, "data set has %d coordinates, the model %d", d.Dof, m.n)
	}
	N := d.Len()
	B := tc.BatchSize
	if B == 0 {
		B = N
	}
	if B > N {
		return History{}, errorf(ErrInput, "TrainConfig.BatchSize %d exceeds the %d training states", B, N)
	}
	tau := m.tau
	if !m.tauOK {
		tau = timeScale(d)
		if err := checkTimeScale(tau); err != nil {
			return History{}, errorf(ErrInput, "the data's scales give %v; set Config.TimeScale", err)
		}
	}
	g := G.NewGraph()
	nets, err := m.networks(g)
	if err != nil {
		return History{}, err
	}
	for k, net := range nets {
		if err := train.SetValues(net.Params(), m.theta[k]); err != nil {
			return History{}, errorf(ErrInput, "%w", err)
		}
	}
	// The graph uses m.tau: fix it before building.
	m.tau, m.tauOK = tau, true
	x, target, loss, err := m.lossGraph(g, nets, B)
	if err != nil {
		return History{}, err
	}
	w := 2 * m.n
	xs := x.Value().Data().([]float64)
	ys := target.Value().Data().([]float64)
	t2 := m.tau * m.tau
	feed := func(idx []int) error {
		for r, i := range idx {
			copy(xs[r*w:(r+1)*w], d.X[i*w:(i+1)*w])
			for j := 0; j < m.n; j++ {
				ys[r*m.n+j] = t2 * d.QDD[i*m.n+j]
			}
		}
		return nil
	}
	unit := 1 / (t2 * t2) // the graph's loss is in units of (τ²q̈)²
	prob := train.Problem{Graph: g, Loss: loss, Params: m.trainable(nets), N: N, Feed: feed}
	start := time.Now()
	var hist History
	const phases = 4
	done := 0
	var runErr error
	for p := 0; p < phases; p++ {
		steps := tc.Steps*(p+1)/phases - done
		if steps == 0 {
			continue
		}
		cfg := train.Config{Steps: steps, BatchSize: B, Seed: tc.Seed + uint64(p), Context: ctx, Prefix: "lnn", StepOffset: done}
		if B == N {
			cfg.BatchSize = 0 // full batch: Feed once with 0..N-1
		}
		if tc.TimeLimit > 0 {
			left := tc.TimeLimit - time.Since(start)
			if left <= 0 {
				hist.Stop = train.StopTimeLimit
				break
			}
			cfg.TimeLimit = left
		}
		if tc.Progress != nil {
			progress, offset, last := tc.Progress, done, p == phases-1
			cfg.Progress = func(pr train.Progress) {
				if pr.Done && !last {
					return
				}
				progress(Progress{Step: offset + pr.Step, Steps: tc.Steps, Loss: pr.Loss * unit, Elapsed: time.Since(start), Done: pr.Done})
			}
			cfg.ReportEvery = max(1, tc.Steps/20)
		}
		lr := tc.LR * math.Pow(tc.FinalLR/tc.LR, float64(p)/(phases-1))
		h, err := train.Run(prob, train.Adam{LR: lr, WeightDecay: tc.WeightDecay, ClipNorm: tc.ClipNorm}, cfg)
		for _, l := range h.Loss {
			hist.Loss = append(hist.Loss, l*unit)
		}
		hist.Evals += h.Evals
		hist.Stop = h.Stop
		done += h.Steps
		if err != nil {
			if se, ok := linalg.AsSingular(err); ok {
				err = errorf(ErrSingular, "training %s, step %d: singular learned mass matrix at batch element %d (pivot %.3g, scale %.3g)",
					m.cfg.Kind, done+1, se.Batch, se.Pivot, se.Scale)
			}
			runErr = err
			break
		}
		if h.Stop == train.StopTimeLimit {
			break
		}
	}
	hist.Steps = len(hist.Loss)
	hist.Elapsed = time.Since(start)
	// The parameters hold the last completed step, also after an error.
	theta := make([][]float64, len(nets))
	for k, net := range nets {
		if theta[k], err = train.Values(net.Params()); err != nil {
			return hist, errorf(ErrInput, "%w", err)
		}
	}
	if err := m.setTheta(theta); err != nil {
		return hist, err
	}
	return hist, runErr
}

// Accel writes the model's q̈ at each state of x (row after row, 2n values
// a row) into qdd (n values a row). For the LNN and DeLaN it fails with a
// *SingularError at a state where the learned mass matrix is singular.
func (m *Model) Accel(x, qdd []float64) error {
	if err := m.check(); err != nil {
		return err
	}
	B, err := checkBatch("Model.Accel", x, qdd, m.n)
	if err != nil {
		return err
	}
	if err := m.scaledAccel(m.scaled(x), qdd, B); err != nil {
		return err
	}
	t2 := m.tau * m.tau
	for i := range qdd {
		qdd[i] /= t2
	}
	return nil
}

// scaled returns the states x' = (q, τq̇) the networks see.
func (m *Model) scaled(x []float64) []float64 {
	xs := append([]float64(nil), x...)
	for i := range xs {
		if i%(2*m.n) >= m.n {
			xs[i] *= m.tau
		}
	}
	return xs
}

// scaledAccel writes τ²q̈ at the B scaled states x into qdd. Each network
// is evaluated at all B states in one batched pass (one matrix product a
// layer); the small n×n solves then run state by state.
func (m *Model) scaledAccel(x, qdd []float64, B int) error {
	n, w := m.n, 2*m.n
	x = x[:B*w]
	switch m.cfg.Kind {
	case Baseline:
		if _, err := m.dense[0].ForwardBatch(qdd[:B*n], x); err != nil {
			return errorf(ErrInput, "%w", err)
		}
	case LNN:
		g, h, err := m.dense[0].HessianBatch(nil, nil, x)
		if err != nil {
			return errorf(ErrInput, "%w", err)
		}
		for r := 0; r < B; r++ {
			if err := eulerLagrange(n, x[r*w:(r+1)*w], g[r*w:(r+1)*w], h[r*w*w:(r+1)*w*w], m.cfg.MassEps, qdd[r*n:(r+1)*n]); err != nil {
				return unscale(err, m.tau)
			}
		}
	case DeLaN:
		q := positions(x, n, B)
		c, dc, err := m.cholesky(q, true)
		if err != nil {
			return err
		}
		gv, err := m.dense[1].InputGradBatch(nil, q)
		if err != nil {
			return errorf(ErrInput, "%w", err)
		}
		for r := 0; r < B; r++ {
			if err := delanEquations(n, x[r*w:(r+1)*w], c[r*n*n:(r+1)*n*n], dc[r*n:(r+1)*n], gv[r*n:(r+1)*n], m.cfg.MassEps, qdd[r*n:(r+1)*n]); err != nil {
				return unscale(err, m.tau)
			}
		}
	}
	return nil
}

// positions returns the q half (n values) of each of the B states of x.
func positions(x []float64, n, B int) []float64 {
	q := make([]float64, B*n)
	for r := 0; r < B; r++ {
		copy(q[r*n:(r+1)*n], x[r*2*n:r*2*n+n])
	}
	return q
}

// unscale turns the scaled state of a SingularError back into (q, q̇).
func unscale(err error, tau float64) error {
	if se, ok := err.(*SingularError); ok {
		n := len(se.State) / 2
		for i := n; i < 2*n; i++ {
			se.State[i] /= tau
		}
	}
	return err
}

// timeScale returns τ = √(rms(q)/rms(q̈)) of a data set: in time units of τ
// the accelerations have the size of the angles, and the networks see
// inputs and give outputs of order one.
func timeScale(d *Dataset) float64 {
	var sq, sa float64
	for r := 0; r < d.Len(); r++ {
		for j := 0; j < d.Dof; j++ {
			q, a := d.X[r*2*d.Dof+j], d.QDD[r*d.Dof+j]
			sq += q * q
			sa += a * a
		}
	}
	if sq == 0 || sa == 0 {
		return 1
	}
	return math.Sqrt(math.Sqrt(sq / sa))
}

// Energy writes the learned energy E = q̇·∇q̇L − L at each state of x into
// e (one value a state); the learned flow conserves it. For the LNN it
// includes the ½ε|q̇|² term of MassEps; for DeLaN it is ½q̇ᵀMq̇ + V. A
// Lagrangian is learned only up to a constant factor and an added
// constant, so E is too. The baseline learns no energy and returns an
// error.
func (m *Model) Energy(x, e []float64) error {
	if err := m.check(); err != nil {
		return err
	}
	if m.cfg.Kind == Baseline {
		return errorf(ErrInput, "the baseline model learns no energy")
	}
	if len(x) == 0 || len(x)%(2*m.n) != 0 {
		return errorf(ErrInput, "Model.Energy: got %d state values, not whole states of %d values", len(x), 2*m.n)
	}
	B := len(x) / (2 * m.n)
	if len(e) != B {
		return errorf(ErrInput, "Model.Energy: energy has room for %d values, want %d", len(e), B)
	}
	if err := finite("Model.Energy state", x); err != nil {
		return err
	}
	x = m.scaled(x)
	n, w := m.n, 2*m.n
	switch m.cfg.Kind {
	case LNN:
		l, err := m.dense[0].ForwardBatch(nil, x)
		if err != nil {
			return errorf(ErrInput, "%w", err)
		}
		g, err := m.dense[0].InputGradBatch(nil, x)
		if err != nil {
			return errorf(ErrInput, "%w", err)
		}
		for r := 0; r < B; r++ {
			en := -l[r]
			for i := 0; i < n; i++ {
				qd := x[r*w+n+i]
				en += qd*g[r*w+n+i] + 0.5*m.cfg.MassEps*qd*qd
			}
			e[r] = en
		}
	case DeLaN:
		q := positions(x, n, B)
		c, _, err := m.cholesky(q, false)
		if err != nil {
			return err
		}
		v, err := m.dense[1].ForwardBatch(nil, q)
		if err != nil {
			return errorf(ErrInput, "%w", err)
		}
		for r := 0; r < B; r++ {
			qd, cr := x[r*w+n:(r+1)*w], c[r*n*n:(r+1)*n*n]
			en := v[r]
			for j := 0; j < n; j++ {
				wj := 0.0
				for i := 0; i < n; i++ {
					wj += cr[i*n+j] * qd[i]
				}
				en += 0.5*wj*wj + 0.5*m.cfg.MassEps*qd[j]*qd[j]
			}
			e[r] = en
		}
	}
	return nil
}

// Loss returns the mean squared error of the model's q̈ against d's, over
// all coordinates (the training loss on the whole set).
func (m *Model) Loss(d *Dataset) (float64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	if err := d.check(); err != nil {
		return 0, err
	}
	if d.Dof != m.n {
		return 0, errorf(ErrInput, "data set has %d coordinates, the model %d", d.Dof, m.n)
	}
	pred := make([]float64, len(d.QDD))
	if err := m.Accel(d.X, pred); err != nil {
		return 0, err
	}
	var s float64
	for i, p := range pred {
		e := p - d.QDD[i]
		s += e * e
	}
	return s / float64(len(pred)), nil
}
