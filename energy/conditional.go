package energy

import (
	"context"
	"io"
	"math"
	"time"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ConditionalConfig describes an energy E(y, x; θ) of an answer y ∈ ℝ^Y
// given an input x ∈ ℝ^X: an MLP on the concatenation [x, y] with one
// linear output.
type ConditionalConfig struct {
	// X and Y are the lengths of the input and of an answer; required.
	X, Y int
	// Hidden is the width of each hidden layer; nil means {64, 64}.
	Hidden []int
	// Activation of the hidden layers ("softplus", "tanh", "sigmoid",
	// "sin", "identity"); "" means "softplus".
	Activation string
	// Seed seeds the initial weights.
	Seed uint64
}

// Conditional is an energy E(y, x; θ) on a gorgonia graph, trained with a
// contrastive Loss over a finite set of candidate answers (the most
// offending incorrect answer is found among them at every step); inference
// is y* = argmin_y E(y, x).
type Conditional struct {
	cfg  ConditionalConfig
	net  *MLPEnergy     // the built-in MLP on [x, y]; nil with a user's Network
	user *NetworkEnergy // a user's Network on [x, y] (NewConditionalNetwork); nil otherwise
}

// NewConditionalNetwork returns an energy E(y, x) given by a user's
// Network on the concatenation [x, y] (rows of X + Y values), not only the
// built-in MLP: net.Build gets x of shape (B, X+Y), input first. It trains,
// predicts and saves like NewConditional's (LoadConditionalNetwork reads
// it back with the same Network).
func NewConditionalNetwork(X, Y int, net Network) (*Conditional, error) {
	if X < 1 || Y < 1 || X > 1<<20 || Y > 1<<20 {
		return nil, errorf(ErrInput, "NewConditionalNetwork: X = %d and Y = %d; both must be between 1 and 2^20", X, Y)
	}
	u, err := NewNetwork(X+Y, net)
	if err != nil {
		return nil, err
	}
	return &Conditional{cfg: ConditionalConfig{X: X, Y: Y}, user: u}, nil
}

// theta returns the current parameters of the energy.
func (c *Conditional) theta() []float64 {
	if c.user != nil {
		return c.user.theta
	}
	return c.net.theta
}

// NewConditional returns an energy E(y, x) with weights drawn from
// cfg.Seed.
func NewConditional(cfg ConditionalConfig) (*Conditional, error) {
	if cfg.X < 1 || cfg.Y < 1 {
		return nil, errorf(ErrInput, "ConditionalConfig: X = %d and Y = %d; both must be ≥ 1", cfg.X, cfg.Y)
	}
	net, err := NewMLP(MLPConfig{Dim: cfg.X + cfg.Y, Hidden: cfg.Hidden, Activation: cfg.Activation, Seed: cfg.Seed})
	if err != nil {
		return nil, err
	}
	c := net.Config()
	cfg.Hidden, cfg.Activation = c.Hidden, c.Activation
	return &Conditional{cfg: cfg, net: net}, nil
}

func (c *Conditional) ready() error {
	if c == nil || (c.net.ready() != nil && c.user.ready() != nil) {
		return errorf(ErrZeroValue, "nil or zero Conditional")
	}
	return nil
}

// Config returns the ConditionalConfig with defaults filled in.
func (c *Conditional) Config() ConditionalConfig {
	if c.ready() != nil {
		return ConditionalConfig{}
	}
	cfg := c.cfg
	cfg.Hidden = append([]int(nil), cfg.Hidden...)
	return cfg
}

// Dim returns the length X of an input (0 for a zero Conditional).
func (c *Conditional) Dim() int {
	if c.ready() != nil {
		return 0
	}
	return c.cfg.X
}

// checkProblem checks inputs, answers and labels and returns x and the
// answers flattened.
func (c *Conditional) checkProblem(x [][]float64, labels []int, answers [][]float64) (fx, fa []float64, err error) {
	if fx, err = checkRows("inputs", x, c.cfg.X); err != nil {
		return nil, nil, err
	}
	if fa, err = checkRows("answers", answers, c.cfg.Y); err != nil {
		return nil, nil, err
	}
	if len(answers) < 2 {
		return nil, nil, errorf(ErrInput, "answers: %d candidate answers; contrastive losses need at least 2", len(answers))
	}
	if labels != nil {
		if len(labels) != len(x) {
			return nil, nil, errorf(ErrInput, "%d labels for %d inputs", len(labels), len(x))
		}
		for i, l := range labels {
			if l < 0 || l >= len(answers) {
				return nil, nil, errorf(ErrInput, "label %d is %d, outside [0, %d) (the answers)", i, l, len(answers))
			}
		}
	}
	return fx, fa, nil
}

// energies returns E(answer k, x_i) for every input (row i) and answer
// (column k), with the parameters theta.
func (c *Conditional) energies(fx, fa []float64, n, K int, theta []float64) []float64 {
	X, Y := c.cfg.X, c.cfg.Y
	in := make([]float64, n*K*(X+Y))
	for i := range n {
		for k := range K {
			row := in[(i*K+k)*(X+Y):]
			copy(row[:X], fx[i*X:(i+1)*X])
			copy(row[X:X+Y], fa[k*Y:(k+1)*Y])
		}
	}
	e := make([]float64, n*K)
	if c.user != nil {
		if err := c.user.eval(in, theta, e, nil); err != nil {
			for i := range e {
				e[i] = math.NaN()
			}
		}
		return e
	}
	newBatchNet(c.net.sizes, c.net.act, theta, n*K).eval(in, e, nil)
	return e
}

// Energies returns E(answers[k], x_i) for every input i (rows) and answer k
// (columns).
func (c *Conditional) Energies(x, answers [][]float64) ([][]float64, error) {
	if err := c.ready(); err != nil {
		return nil, err
	}
	fx, fa, err := c.checkProblem(x, nil, answers)
	if err != nil {
		return nil, err
	}
	e := c.energies(fx, fa, len(x), len(answers), c.theta())
	if !finite(e) {
		return nil, errorf(ErrNotFinite, "Energies: the energy of an answer is NaN or Inf (or the Network failed)")
	}
	return rows(e, len(x), len(answers)), nil
}

// Predict returns, for each input, the index of the answer of lowest
// energy.
func (c *Conditional) Predict(x, answers [][]float64) ([]int, error) {
	e, err := c.Energies(x, answers)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(e))
	for i, row := range e {
		for k, v := range row {
			if v < row[out[i]] {
				out[i] = k
			}
		}
	}
	return out, nil
}

// offending returns, for each input, the most offending answer: the
// incorrect answer of lowest energy, or for Perceptron the answer of
// lowest energy.
func offending(e []float64, labels []int, idx []int, K int, kind LossKind) []int {
	out := make([]int, len(idx))
	for r, i := range idx {
		best := -1
		for k := range K {
			if k == labels[i] && kind != Perceptron {
				continue
			}
			if best < 0 || e[r*K+k] < e[r*K+best] {
				best = k
			}
		}
		out[r] = best
	}
	return out
}

// Loss returns the mean of loss over the inputs, computed in plain Go from
// the current parameters (the loss Train's History reports, for a batch of
// all inputs).
func (c *Conditional) Loss(x [][]float64, labels []int, answers [][]float64, loss Loss) (float64, error) {
	if err := c.ready(); err != nil {
		return 0, err
	}
	loss, err := loss.withDefaults()
	if err != nil {
		return 0, err
	}
	fx, fa, err := c.checkProblem(x, labels, answers)
	if err != nil {
		return 0, err
	}
	K := len(answers)
	e := c.energies(fx, fa, len(x), K, c.theta())
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	neg := offending(e, labels, idx, K, loss.Kind)
	var s float64
	for i := range x {
		v, _, _ := loss.Value(e[i*K+labels[i]], e[i*K+neg[i]])
		s += v
	}
	return s / float64(len(x)), nil
}

// ConditionalTrainConfig sets how a Conditional trains. Its zero value
// means the defaults in each field's comment (with the energy loss: set
// Loss).
type ConditionalTrainConfig struct {
	// Loss is the contrastive loss.
	Loss Loss
	// Steps is the number of Adam steps; 0 means 1000.
	Steps int
	// LR is Adam's learning rate; 0 means 1e-3.
	LR float64
	// BatchSize is the number of inputs per step; 0 means 64, or all
	// inputs if there are fewer.
	BatchSize int
	// Seed seeds the minibatches.
	Seed uint64
	// Progress, if not nil, is called about 20 times and at the end.
	Progress func(Progress)
	// TimeLimit stops training after this wall time without an error;
	// 0 means none.
	TimeLimit time.Duration
}

// Train fits E(y, x) to inputs x with correct answers answers[labels[i]]:
// each step finds, with the current parameters, the most offending
// incorrect answer of every input of the batch among answers, and takes an
// Adam step on the mean of tc.Loss over the batch. Cancelling ctx stops
// with an error matching context.Canceled.
func (c *Conditional) Train(ctx context.Context, x [][]float64, labels []int, answers [][]float64, tc ConditionalTrainConfig) (History, error) {
	var h History
	if err := c.ready(); err != nil {
		return h, err
	}
	if ctx == nil {
		return h, errorf(ErrInput, "Train: nil context (use context.Background())")
	}
	loss, err := tc.Loss.withDefaults()
	if err != nil {
		return h, err
	}
	fx, fa, err := c.checkProblem(x, labels, answers)
	if err != nil {
		return h, err
	}
	n, K, X, Y := len(x), len(answers), c.cfg.X, c.cfg.Y
	switch {
	case tc.Steps < 0:
		return h, errorf(ErrInput, "ConditionalTrainConfig.Steps is %d; must be ≥ 1 (0 means 1000)", tc.Steps)
	case tc.BatchSize < 0 || tc.BatchSize > n:
		return h, errorf(ErrInput, "ConditionalTrainConfig.BatchSize is %d; must be between 1 and %d inputs (0 means 64)", tc.BatchSize, n)
	case tc.LR < 0 || math.IsNaN(tc.LR) || math.IsInf(tc.LR, 0):
		return h, errorf(ErrInput, "ConditionalTrainConfig.LR is %v; must be finite and > 0", tc.LR)
	}
	if tc.Steps == 0 {
		tc.Steps = 1000
	}
	if tc.BatchSize == 0 {
		tc.BatchSize = min(64, n)
	}
	B, D := tc.BatchSize, X+Y
	if c.user != nil {
		return c.trainNetwork(ctx, fx, fa, labels, loss, tc)
	}
	m := c.net
	g := G.NewGraph()
	net, err := ad.NewMLP(g, "energy", m.sizes, m.act, m.cfg.Seed)
	if err != nil {
		return h, errorf(ErrInput, "Train: %w", err)
	}
	params := net.Params()
	if err := train.SetValues(params, m.theta); err != nil {
		return h, errorf(ErrInput, "Train: %w", err)
	}
	posT := tensor.New(tensor.WithShape(B, D), tensor.WithBacking(make([]float64, B*D)))
	negT := tensor.New(tensor.WithShape(B, D), tensor.WithBacking(make([]float64, B*D)))
	xp := G.NewMatrix(g, tensor.Float64, G.WithShape(B, D), G.WithName("energy.pos"), G.WithValue(posT))
	xn := G.NewMatrix(g, tensor.Float64, G.WithShape(B, D), G.WithName("energy.neg"), G.WithValue(negT))
	ep, err := net.Forward(xp)
	if err != nil {
		return h, errorf(ErrInput, "Train: %w", err)
	}
	en, err := net.Forward(xn)
	if err != nil {
		return h, errorf(ErrInput, "Train: %w", err)
	}
	lossNode := lossGraph(build.New(g, "energy"), loss, ep, en)
	if lossNode == nil {
		return h, errorf(ErrInput, "Train: building the loss failed")
	}
	pos, neg := posT.Float64s(), negT.Float64s()
	bx := make([]float64, B*X)
	feed := func(idx []int) error {
		theta, err := train.Values(params)
		if err != nil {
			return err
		}
		for r, i := range idx {
			copy(bx[r*X:(r+1)*X], fx[i*X:(i+1)*X])
		}
		e := c.energies(bx, fa, B, K, theta)
		off := offending(e, labels, idx, K, loss.Kind)
		for r, i := range idx {
			copy(pos[r*D:r*D+X], fx[i*X:(i+1)*X])
			copy(pos[r*D+X:(r+1)*D], fa[labels[i]*Y:(labels[i]+1)*Y])
			copy(neg[r*D:r*D+X], fx[i*X:(i+1)*X])
			copy(neg[r*D+X:(r+1)*D], fa[off[r]*Y:(off[r]+1)*Y])
		}
		if err := G.Let(xp, posT); err != nil {
			return err
		}
		return G.Let(xn, negT)
	}
	h, err = train.Run(train.Problem{Graph: g, Loss: lossNode, Params: params, N: n, Feed: feed},
		&train.Adam{LR: tc.LR},
		train.Config{Steps: tc.Steps, BatchSize: B, Seed: tc.Seed, Progress: tc.Progress,
			Context: ctx, TimeLimit: tc.TimeLimit, Prefix: "energy"})
	if perr := m.pull(net); perr != nil && err == nil {
		err = perr
	}
	return h, err
}

// trainNetwork is Train for a user's Network: one graph holds E at the 2B
// rows [x, y⁺] and [x, y⁻], and two constant selection matrices give E⁺
// and E⁻ (products, not slices of the batch).
func (c *Conditional) trainNetwork(ctx context.Context, fx, fa []float64, labels []int, loss Loss, tc ConditionalTrainConfig) (History, error) {
	var h History
	X, Y, K := c.cfg.X, c.cfg.Y, len(fa)/c.cfg.Y
	n, B, D := len(labels), tc.BatchSize, X+Y
	u := c.user
	g := G.NewGraph()
	xT := tensor.New(tensor.WithShape(2*B, D), tensor.WithBacking(make([]float64, 2*B*D)))
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(2*B, D), G.WithName("energy.posneg"), G.WithValue(xT))
	e, params, err := u.build(g, x)
	if err != nil {
		return h, err
	}
	b := build.New(g, "energy")
	sel := func(off int) *G.Node {
		m := make([]float64, B*2*B)
		for r := range B {
			m[r*2*B+off+r] = 1
		}
		return b.Constant(m, B, 2*B)
	}
	ep, en := b.Mul(sel(0), e), b.Mul(sel(B), e)
	if err := b.Err(); err != nil {
		return h, err
	}
	lossNode := lossGraph(b, loss, ep, en)
	if lossNode == nil {
		return h, errorf(ErrInput, "Train: building the loss failed: %v", b.Err())
	}
	xs := xT.Float64s()
	bx := make([]float64, B*X)
	feed := func(idx []int) error {
		theta, err := train.Values(params)
		if err != nil {
			return err
		}
		for r, i := range idx {
			copy(bx[r*X:(r+1)*X], fx[i*X:(i+1)*X])
		}
		e := c.energies(bx, fa, B, K, theta)
		if !finite(e) {
			return errorf(ErrNotFinite, "Train: the energy of a candidate answer is NaN or Inf (or the Network failed)")
		}
		off := offending(e, labels, idx, K, loss.Kind)
		for r, i := range idx {
			pos, neg := xs[r*D:(r+1)*D], xs[(B+r)*D:(B+r+1)*D]
			copy(pos[:X], fx[i*X:(i+1)*X])
			copy(pos[X:], fa[labels[i]*Y:(labels[i]+1)*Y])
			copy(neg[:X], fx[i*X:(i+1)*X])
			copy(neg[X:], fa[off[r]*Y:(off[r]+1)*Y])
		}
		return G.Let(x, xT)
	}
	h, err = train.Run(train.Problem{Graph: g, Loss: lossNode, Params: params, N: n, Feed: feed},
		&train.Adam{LR: tc.LR},
		train.Config{Steps: tc.Steps, BatchSize: B, Seed: tc.Seed, Progress: tc.Progress,
			Context: ctx, TimeLimit: tc.TimeLimit, Prefix: "energy"})
	theta, verr := train.Values(params)
	switch {
	case verr != nil && err == nil:
		err = errorf(ErrInput, "Train: %w", verr)
	case verr == nil && finite(theta):
		u.theta = theta
	}
	return h, err
}

// lossGraph returns the mean over the batch of loss(E⁺, E⁻) as a graph
// node, or nil after recording an error in b. relu(z) is (z + |z|)/2.
func lossGraph(b *build.B, l Loss, ep, en *G.Node) *G.Node {
	relu := func(z *G.Node) *G.Node { return b.Scale(0.5, b.Add(z, b.Abs(z))) }
	var per *G.Node
	switch l.Kind {
	case EnergyLoss:
		per = ep
	case Perceptron:
		per = b.Sub(ep, en)
	case Hinge:
		per = relu(b.Shift(b.Sub(ep, en), l.Margin))
	case LogLoss:
		per = b.Softplus(b.Sub(ep, en))
	case SquareSquare:
		per = b.Add(b.Square(ep), b.Square(relu(b.Shift(b.Neg(en), l.Margin))))
	case SquareExp:
		per = b.Add(b.Square(ep), b.Scale(l.Gamma, b.Exp(b.Neg(en))))
	}
	out := b.Mean(per)
	if b.Err() != nil {
		return nil
	}
	return out
}

const (
	kindConditional        = "energy.Conditional"
	kindConditionalNetwork = "energy.Conditional(Network) v1"
)

// conditionalNetworkFile is what a saved Conditional of a user's Network
// holds besides the parameters.
type conditionalNetworkFile struct {
	X, Y   int
	Params []ParamSpec
}

// Save writes the Conditional (its ConditionalConfig and parameters, bit
// for bit) to w; one of a user's Network (NewConditionalNetwork) holds the
// parameters' names and shapes instead of a config and loads with
// LoadConditionalNetwork.
func (c *Conditional) Save(w io.Writer) error {
	if err := c.ready(); err != nil {
		return err
	}
	if c.user != nil {
		return save(w, kindConditionalNetwork, conditionalNetworkFile{X: c.cfg.X, Y: c.cfg.Y, Params: c.user.specs}, c.user.paramsNamed())
	}
	return save(w, kindConditional, c.cfg, c.net.params())
}

// LoadConditionalNetwork reads a Conditional of a user's Network written by
// Save, with net (the Network it was made with). A truncated, corrupted or
// foreign file is an error matching ErrCorrupt; a net whose parameters
// differ in name or shape from the file's is an error matching ErrInput.
func LoadConditionalNetwork(r io.Reader, net Network) (*Conditional, error) {
	var cfg conditionalNetworkFile
	body, err := header(r, kindConditionalNetwork, &cfg)
	if err != nil {
		return nil, err
	}
	if cfg.X < 1 || cfg.Y < 1 || cfg.X > 1<<20 || cfg.Y > 1<<20 {
		return nil, errorf(ErrCorrupt, "LoadConditionalNetwork: X = %d, Y = %d in the file", cfg.X, cfg.Y)
	}
	u, err := loadNetworkBody(body, networkFile{Dim: cfg.X + cfg.Y, Params: cfg.Params}, net, "LoadConditionalNetwork")
	if err != nil {
		return nil, err
	}
	return &Conditional{cfg: ConditionalConfig{X: cfg.X, Y: cfg.Y}, user: u}, nil
}

// SaveFile saves the Conditional to path, through a temporary file.
func (c *Conditional) SaveFile(path string) error {
	if err := c.ready(); err != nil {
		return err
	}
	return saveFile(path, c.Save)
}

// LoadConditional reads a Conditional written by Save. A truncated,
// corrupted or foreign file is an error matching ErrCorrupt.
func LoadConditional(r io.Reader) (*Conditional, error) {
	var cfg ConditionalConfig
	body, err := header(r, kindConditional, &cfg)
	if err != nil {
		return nil, err
	}
	if cfg.X < 0 || cfg.Y < 0 || cfg.X > 1<<30 || cfg.Y > 1<<30 {
		return nil, errorf(ErrCorrupt, "LoadConditional: X = %d, Y = %d in the config", cfg.X, cfg.Y)
	}
	if err := fits(body, mlpParams(cfg.X+cfg.Y, cfg.Hidden)); err != nil {
		return nil, err
	}
	c, err := NewConditional(cfg)
	if err != nil {
		return nil, errorf(ErrCorrupt, "LoadConditional: config: %w", err)
	}
	if err := c.net.loadBody(body, "LoadConditional"); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadConditionalFile reads a Conditional saved with SaveFile from path.
func LoadConditionalFile(path string) (*Conditional, error) {
	return loadFile(path, "LoadConditionalFile", LoadConditional)
}

// LoadConditionalNetworkFile reads a Conditional of a user's Network saved
// with SaveFile from path, with net.
func LoadConditionalNetworkFile(path string, net Network) (*Conditional, error) {
	return loadFile(path, "LoadConditionalNetworkFile", func(r io.Reader) (*Conditional, error) { return LoadConditionalNetwork(r, net) })
}
