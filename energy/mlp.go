package energy

import (
	"bufio"
	"context"
	"io"
	"math"
	"os"
	"time"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MLPConfig describes an MLP energy E(x; θ) on ℝ^Dim: a dense network with
// one linear output.
type MLPConfig struct {
	// Dim is the length of x; required (≥ 1).
	Dim int
	// Hidden is the width of each hidden layer; nil means {64, 64}.
	Hidden []int
	// Activation of the hidden layers: "softplus", "tanh", "sigmoid",
	// "sin" or "identity"; "" means "softplus" (smooth, so ∇ₓE is
	// continuous for Langevin sampling).
	Activation string
	// Seed seeds the initial weights (Glorot-uniform, zero biases).
	Seed uint64
}

func (c MLPConfig) withDefaults() (MLPConfig, ad.Activation, error) {
	if c.Dim < 1 {
		return c, 0, errorf(ErrInput, "MLPConfig.Dim is %d; must be ≥ 1", c.Dim)
	}
	if c.Hidden == nil {
		c.Hidden = []int{64, 64}
	}
	c.Hidden = append([]int(nil), c.Hidden...)
	for i, h := range c.Hidden {
		if h < 1 {
			return c, 0, errorf(ErrInput, "MLPConfig.Hidden[%d] is %d; must be ≥ 1", i, h)
		}
	}
	if c.Activation == "" {
		c.Activation = "softplus"
	}
	act, err := ad.ParseActivation(c.Activation)
	if err != nil {
		return c, 0, errorf(ErrInput, "MLPConfig.Activation: %w", err)
	}
	return c, act, nil
}

// MLPEnergy is an energy E(x; θ) given by an MLP, trained so that
// p(x) ∝ exp(−E(x)) fits data (Du & Mordatch 2019): E is pushed down on
// data and up on Langevin samples of the model, which start from a replay
// buffer of earlier samples. Its input gradient ∇ₓE comes from the core's
// exact input derivatives of the MLP (internal/ad).
type MLPEnergy struct {
	cfg    MLPConfig
	act    ad.Activation
	sizes  []int
	theta  []float64 // W0, b0, W1, b1, ... flattened (the order of ad.MLP.Params)
	dense  *ad.Dense
	buffer [][]float64 // replay buffer, kept across Train calls (not saved)
}

// NewMLP returns an MLP energy with weights drawn from cfg.Seed.
func NewMLP(cfg MLPConfig) (*MLPEnergy, error) {
	cfg, act, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	m := &MLPEnergy{cfg: cfg, act: act, sizes: append(append([]int{cfg.Dim}, cfg.Hidden...), 1)}
	g := G.NewGraph()
	net, err := ad.NewMLP(g, "energy", m.sizes, act, cfg.Seed)
	if err != nil {
		return nil, errorf(ErrInput, "NewMLP: %w", err)
	}
	if err := m.pull(net); err != nil {
		return nil, err
	}
	return m, nil
}

// pull copies the parameters of net into m.
func (m *MLPEnergy) pull(net *ad.MLP) error {
	theta, err := train.Values(net.Params())
	if err != nil {
		return errorf(ErrInput, "%w", err)
	}
	d, err := net.Snapshot()
	if err != nil {
		return errorf(ErrInput, "%w", err)
	}
	m.theta, m.dense = theta, d
	return nil
}

func (m *MLPEnergy) ready() error {
	if m == nil || m.dense == nil {
		return errorf(ErrZeroValue, "nil or zero MLPEnergy")
	}
	return nil
}

// Config returns the MLPConfig with defaults filled in.
func (m *MLPEnergy) Config() MLPConfig {
	if m.ready() != nil {
		return MLPConfig{}
	}
	c := m.cfg
	c.Hidden = append([]int(nil), c.Hidden...)
	return c
}

// Dim returns the length of x (0 for a zero MLPEnergy).
func (m *MLPEnergy) Dim() int {
	if m.ready() != nil {
		return 0
	}
	return m.cfg.Dim
}

// Energy returns E(x) for each row of x.
func (m *MLPEnergy) Energy(x [][]float64) ([]float64, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	flat, err := checkRows("Energy", x, m.cfg.Dim)
	if err != nil {
		return nil, err
	}
	d := m.cfg.Dim
	out := make([]float64, len(x))
	for k := range x {
		if err := m.dense.Forward(flat[k*d:(k+1)*d], out[k:k+1]); err != nil {
			return nil, errorf(ErrInput, "Energy: %w", err)
		}
	}
	return out, nil
}

// AsEnergy returns the model as an Energy (E and its exact input gradient)
// for Langevin. The functions use the parameters of the moment they are
// called and are safe for concurrent use while the model does not train.
func (m *MLPEnergy) AsEnergy() (Energy, error) {
	if err := m.ready(); err != nil {
		return Energy{}, err
	}
	d := m.dense
	return Energy{Dim: m.cfg.Dim,
		E: func(x []float64) float64 {
			var y [1]float64
			if err := d.Forward(x, y[:]); err != nil {
				return math.NaN()
			}
			return y[0]
		},
		Grad: func(x, g []float64) {
			if err := d.InputGrad(x, g); err != nil {
				for i := range g {
					g[i] = math.NaN()
				}
			}
		}}, nil
}

// MLPTrainConfig sets how an MLP energy trains. Its zero value means the
// defaults in each field's comment; PaperMLPTrainConfig gives Du &
// Mordatch's settings.
type MLPTrainConfig struct {
	// Steps is the number of Adam steps; 0 means 2000.
	Steps int
	// LR is Adam's learning rate; 0 means 1e-3.
	LR float64
	// BatchSize is the number of data rows (and of negative samples) per
	// step; 0 means 128, or all rows if there are fewer.
	BatchSize int
	// Langevin sets the sampling of the negatives at every step; its zero
	// value means 40 steps of size 0.005 at temperature 1 (unadjusted).
	Langevin LangevinConfig
	// BufferSize is the capacity of the replay buffer; 0 means 10,000.
	BufferSize int
	// NoBuffer starts every negative chain from uniform noise (short-run
	// Langevin without a replay buffer).
	NoBuffer bool
	// Reinit is the fraction of negative chains started from uniform
	// noise instead of the buffer; 0 means 0.05 (the paper's).
	Reinit float64
	// Box is the [lo, hi] range of every coordinate of the uniform noise;
	// zero means the data's range widened by a quarter on each side.
	Box [2]float64
	// Regularizer is α in the loss ⟨E(x⁺)⟩ − ⟨E(x⁻)⟩ + α(⟨E(x⁺)²⟩ +
	// ⟨E(x⁻)²⟩), which keeps energies near zero; 0 means none (the paper
	// uses 1).
	Regularizer float64
	// ClipNorm clips the global gradient norm; 0 means no clipping.
	ClipNorm float64
	// Seed seeds the minibatches, the buffer and the Langevin noise.
	Seed uint64
	// Progress, if not nil, is called about 20 times and at the end.
	Progress func(Progress)
	// TimeLimit stops training after this wall time without an error
	// (History.Stop "time limit"); 0 means none.
	TimeLimit time.Duration
}

// PaperMLPTrainConfig returns Du & Mordatch's (2019) choices that carry over
// to 2-D densities: a replay buffer of 10,000 with 5% of chains restarted
// from noise, and the energy regulariser α = 1.
func PaperMLPTrainConfig() MLPTrainConfig {
	return MLPTrainConfig{BufferSize: 10000, Reinit: 0.05, Regularizer: 1}
}

func (tc MLPTrainConfig) withDefaults(n int) (MLPTrainConfig, error) {
	bad := func(f string, v any, want string) error {
		return errorf(ErrInput, "MLPTrainConfig.%s is %v; %s", f, v, want)
	}
	switch {
	case tc.Steps < 0:
		return tc, bad("Steps", tc.Steps, "must be ≥ 1 (0 means 2000)")
	case tc.BatchSize < 0 || tc.BatchSize > n:
		return tc, bad("BatchSize", tc.BatchSize, "must be between 1 and the number of rows (0 means 128)")
	case tc.BufferSize < 0:
		return tc, bad("BufferSize", tc.BufferSize, "must be ≥ 1 (0 means 10,000)")
	case !(tc.Reinit >= 0 && tc.Reinit <= 1):
		return tc, bad("Reinit", tc.Reinit, "must be in [0, 1]")
	case tc.Regularizer < 0 || math.IsNaN(tc.Regularizer) || math.IsInf(tc.Regularizer, 0):
		return tc, bad("Regularizer", tc.Regularizer, "must be finite and ≥ 0")
	case math.IsNaN(tc.Box[0]) || math.IsNaN(tc.Box[1]) || math.IsInf(tc.Box[0], 0) || math.IsInf(tc.Box[1], 0) || tc.Box[0] > tc.Box[1] || (tc.Box[0] == tc.Box[1] && tc.Box[0] != 0):
		return tc, bad("Box", tc.Box, "must be finite with lo < hi (zero means from the data)")
	case tc.Langevin.Metropolis:
		return tc, bad("Langevin.Metropolis", true, "training uses unadjusted (short-run) Langevin")
	}
	if tc.Steps == 0 {
		tc.Steps = 2000
	}
	if tc.BatchSize == 0 {
		tc.BatchSize = min(128, n)
	}
	if tc.BufferSize == 0 {
		tc.BufferSize = 10000
	}
	if tc.Reinit == 0 {
		tc.Reinit = 0.05
	}
	if tc.Langevin.Steps == 0 {
		tc.Langevin.Steps = 40
	}
	if tc.Langevin.StepSize == 0 {
		tc.Langevin.StepSize = 0.005
	}
	lc, err := tc.Langevin.withDefaults()
	if err != nil {
		return tc, err
	}
	tc.Langevin = lc
	return tc, nil
}

// Train fits the energy to data (rows of Dim() values) by contrastive
// divergence with Langevin negatives and a replay buffer (Du & Mordatch
// 2019): each step draws a minibatch x⁺, starts as many chains from the
// buffer (a fraction Reinit from uniform noise), runs tc.Langevin on the
// current energy to get x⁻, stores x⁻ in the buffer, and takes one Adam
// step on ⟨E(x⁺)⟩ − ⟨E(x⁻)⟩ + α(⟨E(x⁺)²⟩ + ⟨E(x⁻)²⟩). History.Loss holds
// that loss per step. Cancelling ctx stops with an error matching
// context.Canceled, keeping the last completed step.
func (m *MLPEnergy) Train(ctx context.Context, data [][]float64, tc MLPTrainConfig) (History, error) {
	var h History
	if err := m.ready(); err != nil {
		return h, err
	}
	if ctx == nil {
		return h, errorf(ErrInput, "Train: nil context (use context.Background())")
	}
	d := m.cfg.Dim
	flat, err := checkRows("Train", data, d)
	if err != nil {
		return h, err
	}
	n := len(data)
	tc, err = tc.withDefaults(n)
	if err != nil {
		return h, err
	}
	lo, hi := noiseBox(tc.Box, flat)
	B := tc.BatchSize
	g := G.NewGraph()
	net, err := ad.NewMLP(g, "energy", m.sizes, m.act, m.cfg.Seed)
	if err != nil {
		return h, errorf(ErrInput, "Train: %w", err)
	}
	params := net.Params()
	if err := train.SetValues(params, m.theta); err != nil {
		return h, errorf(ErrInput, "Train: %w", err)
	}
	posT := tensor.New(tensor.WithShape(B, d), tensor.WithBacking(make([]float64, B*d)))
	negT := tensor.New(tensor.WithShape(B, d), tensor.WithBacking(make([]float64, B*d)))
	xp := G.NewMatrix(g, tensor.Float64, G.WithShape(B, d), G.WithName("energy.xpos"), G.WithValue(posT))
	xn := G.NewMatrix(g, tensor.Float64, G.WithShape(B, d), G.WithName("energy.xneg"), G.WithValue(negT))
	ep, err := net.Forward(xp)
	if err != nil {
		return h, errorf(ErrInput, "Train: %w", err)
	}
	en, err := net.Forward(xn)
	if err != nil {
		return h, errorf(ErrInput, "Train: %w", err)
	}
	b := build.New(g, "energy")
	loss := b.Sub(b.Mean(ep), b.Mean(en))
	if tc.Regularizer > 0 {
		loss = b.Add(loss, b.Scale(tc.Regularizer, b.Add(b.Mean(b.Square(ep)), b.Mean(b.Square(en)))))
	}
	if err := b.Err(); err != nil {
		return h, err
	}

	r := rng.New(tc.Seed ^ 0x5eed)
	pos, neg := posT.Float64s(), negT.Float64s()
	x0 := make([][]float64, B)
	step := 0
	feed := func(idx []int) error {
		step++
		for k, i := range idx {
			copy(pos[k*d:(k+1)*d], flat[i*d:(i+1)*d])
		}
		for k := range x0 {
			if x0[k] == nil {
				x0[k] = make([]float64, d)
			}
			startChain(x0[k], m.buffer, tc, r, lo, hi)
		}
		theta, err := train.Values(params)
		if err != nil {
			return err
		}
		copy(neg, flatten(x0))
		if !newBatchNet(m.sizes, m.act, theta, B).ula(neg, tc.Langevin.Steps, tc.Langevin.StepSize, tc.Langevin.Temperature, r) {
			return errorf(ErrNotFinite, "step %d: a Langevin chain became NaN or Inf (smaller Langevin.StepSize?)", step)
		}
		for k := range B {
			pushBuffer(&m.buffer, neg[k*d:(k+1)*d], tc.BufferSize, r)
		}
		if err := G.Let(xp, posT); err != nil {
			return err
		}
		return G.Let(xn, negT)
	}
	h, err = train.Run(train.Problem{Graph: g, Loss: loss, Params: params, N: n, Feed: feed},
		&train.Adam{LR: tc.LR, ClipNorm: tc.ClipNorm},
		train.Config{Steps: tc.Steps, BatchSize: B, Seed: tc.Seed, Progress: tc.Progress,
			Context: ctx, TimeLimit: tc.TimeLimit, Prefix: "energy"})
	if perr := m.pull(net); perr != nil && err == nil {
		err = perr
	}
	return h, err
}

const kindMLP = "energy.MLPEnergy"

func (m *MLPEnergy) params() []named {
	var out []named
	off := 0
	for l := 0; l+1 < len(m.sizes); l++ {
		a, c := m.sizes[l], m.sizes[l+1]
		out = append(out, named{name: "W" + itoa(l), shape: []int{a, c}, data: m.theta[off : off+a*c]})
		off += a * c
		out = append(out, named{name: "b" + itoa(l), shape: []int{1, c}, data: m.theta[off : off+c]})
		off += c
	}
	return out
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// Save writes the MLP energy (its MLPConfig and parameters, bit for bit) to
// w. The replay buffer is not saved.
func (m *MLPEnergy) Save(w io.Writer) error {
	if err := m.ready(); err != nil {
		return err
	}
	return save(w, kindMLP, m.cfg, m.params())
}

// SaveFile saves the MLP energy to path, through a temporary file renamed
// over it.
func (m *MLPEnergy) SaveFile(path string) error {
	if err := m.ready(); err != nil {
		return err
	}
	return saveFile(path, m.Save)
}

// LoadMLP reads an MLP energy written by MLPEnergy.Save. A truncated,
// corrupted or foreign file is an error matching ErrCorrupt.
func LoadMLP(r io.Reader) (*MLPEnergy, error) {
	var cfg MLPConfig
	body, err := header(r, kindMLP, &cfg)
	if err != nil {
		return nil, err
	}
	if err := fits(body, mlpParams(cfg.Dim, cfg.Hidden)); err != nil {
		return nil, err
	}
	m, err := NewMLP(cfg)
	if err != nil {
		return nil, errorf(ErrCorrupt, "LoadMLP: config: %w", err)
	}
	if err := m.loadBody(body, "LoadMLP"); err != nil {
		return nil, err
	}
	return m, nil
}

// loadBody loads the parameters in body (a model file's after its header)
// into m, checks that they are finite and rebuilds the evaluator; what (the
// loader's name) starts the messages of its errors.
func (m *MLPEnergy) loadBody(body []byte, what string) error {
	if err := loadParams(body, m.params()); err != nil {
		return err
	}
	if !finite(m.theta) {
		return errorf(ErrCorrupt, "%s: the parameters are not finite", what)
	}
	if err := m.resnap(); err != nil {
		return errorf(ErrCorrupt, "%s: %w", what, err)
	}
	return nil
}

// LoadMLPFile reads an MLP energy saved with SaveFile from path.
func LoadMLPFile(path string) (*MLPEnergy, error) {
	return loadFile(path, "LoadMLPFile", LoadMLP)
}

// loadFile opens path and reads a model from it with load; what (the
// caller's name) starts the message of an error opening the file.
func loadFile[M any](path, what string, load func(io.Reader) (M, error)) (M, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero M
		return zero, errorf(ErrInput, "%s: %w", what, err)
	}
	defer f.Close()
	return load(bufio.NewReader(f))
}

// resnap rebuilds the plain-Go evaluator from m.theta.
func (m *MLPEnergy) resnap() error {
	var w, bs [][]float64
	for i, p := range m.params() {
		if i%2 == 0 {
			w = append(w, p.data)
		} else {
			bs = append(bs, p.data)
		}
	}
	d, err := ad.NewDense(m.sizes, m.act, w, bs)
	if err != nil {
		return err
	}
	m.dense = d
	return nil
}

// Buffer returns a copy of the replay buffer: the latest Langevin samples
// of the model, one row each (none before training; not saved by Save).
func (m *MLPEnergy) Buffer() [][]float64 {
	if m.ready() != nil {
		return nil
	}
	out := make([][]float64, len(m.buffer))
	for k, x := range m.buffer {
		out[k] = append([]float64(nil), x...)
	}
	return out
}

func flatten(x [][]float64) []float64 {
	var out []float64
	for _, row := range x {
		out = append(out, row...)
	}
	return out
}

// mlpParams returns the number of parameters of an MLP energy on dim inputs
// with the given hidden widths (nil means the default), or −1 if a size is
// out of range.
func mlpParams(dim int, hidden []int) int {
	if hidden == nil {
		hidden = []int{64, 64}
	}
	sizes := append(append([]int{dim}, hidden...), 1)
	n := 0
	for l := 0; l+1 < len(sizes); l++ {
		if sizes[l] < 0 || sizes[l] > 1<<30 || sizes[l+1] < 0 || sizes[l+1] > 1<<30 {
			return -1
		}
		n += sizes[l]*sizes[l+1] + sizes[l+1]
		if n > 1<<40 {
			return -1
		}
	}
	return n
}
