package node

import (
	"fmt"
	"math"
	"slices"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/ode"
	"github.com/physbias/physbias/internal/train"
)

// Config describes the built-in network of a Model (New): an MLP from y
// (and t with TimeInput) to dy/dt. Its zero value means the defaults in the
// field comments. A model of a user's Network (NewNetwork) takes the zero
// Config; setting a field there is an error.
type Config struct {
	// Hidden are the widths of the hidden layers; nil means [64, 64].
	Hidden []int
	// Activation is the hidden layers' nonlinearity: "tanh", "softplus",
	// "sigmoid", "sin" or "identity"; "" means "tanh".
	Activation string
	// TimeInput feeds t to the network as an extra input, f(y, t); false
	// means an autonomous f(y).
	TimeInput bool
	// Seed seeds the Glorot-uniform initial weights (biases start at 0).
	Seed uint64
}

// defaultHidden are the hidden widths a nil Config.Hidden means.
var defaultHidden = []int{64, 64}

func (c Config) withDefaults() (Config, ad.Activation, error) {
	if c.Hidden == nil {
		c.Hidden = defaultHidden
	}
	c.Hidden = slices.Clone(c.Hidden)
	for i, h := range c.Hidden {
		if h <= 0 {
			return c, 0, errorf(ErrInput, "Config.Hidden[%d] = %d; widths must be positive", i, h)
		}
	}
	if c.Activation == "" {
		c.Activation = "tanh"
	}
	act, err := ad.ParseActivation(c.Activation)
	if err != nil {
		return c, 0, errorf(ErrInput, "Config.Activation: %w", err)
	}
	c.Activation = act.String()
	return c, act, nil
}

// Model is a neural ODE dy/dt = f(y, t; θ) (Chen et al. 2018): the network
// f, its parameters θ, and the solves and gradients on it. States are
// batches: a flat slice of B·Dim() values, one row per sample, integrated
// together. A Model is not safe for concurrent use (it keeps compiled
// graphs); give each goroutine its own (Load or a copy through Save).
type Model struct {
	dim     int
	cfg     Config
	net     builder
	custom  bool
	theta   []float64
	kernels map[string]*kernel
	// fused holds the fused MLP's evaluators by batch size and terms (the
	// built-in MLP's fast path, see fused); noFused makes every evaluation
	// take the gorgonia kernel instead (tests compare the two).
	fused   map[string]*fused
	noFused bool
}

// New returns a model whose f is the built-in MLP of Config, with input
// width dim (dim+1 with TimeInput) and output width dim.
func New(dim int, cfg Config) (*Model, error) {
	if dim <= 0 {
		return nil, errorf(ErrInput, "dimension %d; must be positive", dim)
	}
	c, act, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	in := dim
	if c.TimeInput {
		in++
	}
	sizes := append(append([]int{in}, c.Hidden...), dim)
	m := &Model{dim: dim, cfg: c, net: &mlpNet{sizes: sizes, act: act, timeInput: c.TimeInput, seed: c.Seed}}
	return m, m.init()
}

// NewNetwork returns a model whose f is a user's Network on states of
// dimension dim. cfg describes the built-in MLP and must be the zero Config:
// a Network defines its own layers and draws its own initial weights.
func NewNetwork(dim int, net Network, cfg Config) (*Model, error) {
	if dim <= 0 {
		return nil, errorf(ErrInput, "dimension %d; must be positive", dim)
	}
	if net == nil {
		return nil, errorf(ErrInput, "nil Network")
	}
	if cfg.Hidden != nil || cfg.Activation != "" || cfg.TimeInput || cfg.Seed != 0 {
		return nil, errorf(ErrInput, "Config describes the built-in MLP and must be zero with a Network, which defines its own layers, inputs and initial weights")
	}
	m := &Model{dim: dim, cfg: cfg, net: userNet{net}, custom: true}
	return m, m.init()
}

// init builds a one-sample kernel and takes the initial parameters from it.
func (m *Model) init() error {
	m.kernels = map[string]*kernel{}
	k, err := newKernel(m.net, 1, m.dim, nil)
	if err != nil {
		return err
	}
	m.theta, err = train.Values(k.params)
	if err != nil {
		return errorf(ErrInput, "parameters: %w", err)
	}
	if i := finite(m.theta); i >= 0 {
		return errorf(ErrNotFinite, "initial parameter %d is %v", i, m.theta[i])
	}
	m.kernels[key(1, nil)] = k
	return nil
}

func key(B int, terms []term) string { return fmt.Sprint(B, terms) }

// system returns the ODE of a batch of B states with terms and per-sample
// start times off: on the fused MLP when f is the built-in MLP and it
// integrates the terms (all but Kelly's K ≥ 3), else on a compiled
// gorgonia kernel.
func (m *Model) system(B int, terms []term, off []float64) (*system, error) {
	if net, ok := m.net.(*mlpNet); ok && fusedTerms(terms) && !m.noFused {
		if m.fused == nil {
			m.fused = map[string]*fused{}
		}
		fm := m.fused[key(B, terms)]
		if fm == nil {
			fm = newFused(net, B, m.dim, m.theta, terms)
			m.fused[key(B, terms)] = fm
		}
		fm.sync()
		return newFusedSystem(fm, off), nil
	}
	k, err := m.kernel(B, terms)
	if err != nil {
		return nil, err
	}
	return newSystem(k, off), nil
}

// kernel returns the compiled kernel for batch size B and terms, with the
// current parameters.
func (m *Model) kernel(B int, terms []term) (*kernel, error) {
	k, ok := m.kernels[key(B, terms)]
	if !ok {
		var err error
		if k, err = newKernel(m.net, B, m.dim, terms); err != nil {
			return nil, err
		}
		if len(k.params) == 0 {
			return nil, errorf(ErrCallback, "the network has no parameters")
		}
		m.kernels[key(B, terms)] = k
	}
	if err := k.setParams(m.theta); err != nil {
		return nil, err
	}
	return k, nil
}

func (m *Model) ok() error {
	if m == nil || m.kernels == nil {
		return errorf(ErrZeroValue, "Model")
	}
	return nil
}

// Dim returns the dimension of a state.
func (m *Model) Dim() int {
	if m == nil {
		return 0
	}
	return m.dim
}

// Config returns the model's configuration with defaults filled in.
func (m *Model) Config() Config {
	if m == nil {
		return Config{}
	}
	c := m.cfg
	c.Hidden = slices.Clone(c.Hidden)
	return c
}

// Params returns a copy of the parameters θ, flattened in the network's
// parameter order (row-major within each).
func (m *Model) Params() []float64 {
	if m == nil {
		return nil
	}
	return slices.Clone(m.theta)
}

// SetParams replaces θ (laid out as Params returns it).
func (m *Model) SetParams(theta []float64) error {
	if err := m.ok(); err != nil {
		return err
	}
	if len(theta) != len(m.theta) {
		return errorf(ErrInput, "SetParams got %d values, the model has %d parameters", len(theta), len(m.theta))
	}
	if i := finite(theta); i >= 0 {
		return errorf(ErrNotFinite, "parameter %d is %v", i, theta[i])
	}
	copy(m.theta, theta)
	return nil
}

// batch checks that y0 holds whole finite states and returns their number.
func (m *Model) batch(y0 []float64) (int, error) {
	if len(y0) == 0 || len(y0)%m.dim != 0 {
		return 0, errorf(ErrInput, "y0 has %d values, not a whole number of states of dimension %d", len(y0), m.dim)
	}
	if i := finite(y0); i >= 0 {
		return 0, errorf(ErrNotFinite, "y0[%d] (sample %d) is %v", i, i/m.dim, y0[i])
	}
	return len(y0) / m.dim, nil
}

func checkModelSolver(s Solver) (*ode.Tableau, error) {
	if !s.valid() {
		return nil, errorf(ErrInput, "zero Solver: make one with RK4(), DormandPrince(), ...")
	}
	if s.tab == nil {
		return nil, errorf(ErrInput, "%s integrates separable Hamiltonian systems; a neural ODE needs a Runge–Kutta solver (Euler, Midpoint, RK4, BogackiShampine, DormandPrince)", s.name)
	}
	return s.tab(), nil
}

// Solve integrates the batch y0 (B·Dim() values, B samples) from ts[0] to
// the last time of ts and returns the states at every time of ts.
func (m *Model) Solve(y0 []float64, ts []float64, s Solver, o Options) (*Solution, error) {
	if err := m.ok(); err != nil {
		return nil, err
	}
	tb, err := checkModelSolver(s)
	if err != nil {
		return nil, err
	}
	B, err := m.batch(y0)
	if err != nil {
		return nil, err
	}
	sys, err := m.system(B, nil, nil)
	if err != nil {
		return nil, err
	}
	ys, st, err := ode.RK(tb, sys.rhs, y0, ts, o.rk(), nil)
	if err != nil {
		return nil, wrapODE(err)
	}
	return &Solution{T: slices.Clone(ts), Y: ys, NFE: st.NFE, Steps: st.Steps, Rejected: st.Rejected}, nil
}

// GradMethod chooses how gradients through a solve are computed.
type GradMethod int

const (
	// Backprop differentiates the solver's own steps (reverse-mode
	// autodiff of the unrolled solver, written out as the discrete adjoint
	// of the Runge–Kutta stages): the exact gradient of the computed
	// solution; memory grows with the number of steps (every stage state
	// is kept).
	Backprop GradMethod = iota
	// Adjoint solves the adjoint system backwards (Chen et al. 2018): the
	// gradient of the exact solution up to the solver's error, in memory
	// that does not grow with the number of steps (one checkpoint per
	// output time).
	Adjoint
)

func (g GradMethod) String() string {
	switch g {
	case Backprop:
		return "backprop"
	case Adjoint:
		return "adjoint"
	}
	return fmt.Sprintf("GradMethod(%d)", int(g))
}

// Gradient is the gradient of a scalar L through a solve.
type Gradient struct {
	// Y0 is ∂L/∂y0 (B·Dim()), Theta is ∂L/∂θ (as Params), T is ∂L/∂t for
	// the last output time.
	Y0, Theta []float64
	T         float64
	// Forward is the cost of the forward solve; BackwardNFE counts the
	// evaluations of the vector–Jacobian product in the backward pass.
	Forward     Solution
	BackwardNFE int
	// HeldBytes counts the bytes of solver states the backward pass needs
	// kept: every stage state and derivative of every step for Backprop,
	// and on the built-in MLP's fused path the activations of every stage
	// evaluation (growing with the steps); the states at the output times
	// and the backward solver's own stages for Adjoint (not growing with
	// them).
	HeldBytes int
}

// Gradient solves from y0 over ts as Solve does and returns the gradient of
// L = Σ_i cot[i]·y(ts[i]), that is the vector–Jacobian product of the
// solution map with cotangents cot[i] = ∂L/∂y(ts[i]) (B·Dim() values each,
// or nil for none), computed by method.
func (m *Model) Gradient(y0 []float64, ts []float64, cot [][]float64, s Solver, o Options, method GradMethod) (*Gradient, error) {
	if err := m.ok(); err != nil {
		return nil, err
	}
	B, err := m.batch(y0)
	if err != nil {
		return nil, err
	}
	if len(cot) != len(ts) {
		return nil, errorf(ErrInput, "%d cotangents for %d output times", len(cot), len(ts))
	}
	for i, c := range cot {
		if c != nil && len(c) != len(y0) {
			return nil, errorf(ErrInput, "cot[%d] has %d values, the states %d", i, len(c), len(y0))
		}
		if j := finite(c); j >= 0 {
			return nil, errorf(ErrNotFinite, "cot[%d][%d] is %v", i, j, c[j])
		}
	}
	r, err := m.grad(B, nil, nil, nil, y0, ts, cot, s, o, method)
	if err != nil {
		return nil, err
	}
	return &Gradient{Y0: r.y0bar, Theta: r.gtheta, T: r.tbar, Forward: r.fwd, BackwardNFE: r.bnfe, HeldBytes: r.held}, nil
}

// gradResult is what grad computes.
type gradResult struct {
	ys     [][]float64 // flat states (with the terms' integrals) at ts
	y0bar  []float64   // ∂L/∂y0, states' part
	gtheta []float64
	tbar   float64
	fwd    Solution
	bnfe   int
	held   int // bytes of states kept for the backward pass
}

// grad runs the forward solve of the batch with terms and the backward
// pass for the cotangents cotFn gives once the forward states are known
// (or the fixed cot when cotFn is nil).
func (m *Model) grad(B int, terms []term, off, eps []float64, y0 []float64, ts []float64, cot [][]float64, s Solver, o Options, method GradMethod,
	cotFn ...func(ys [][]float64) ([][]float64, error)) (*gradResult, error) {
	tb, err := checkModelSolver(s)
	if err != nil {
		return nil, err
	}
	if method != Backprop && method != Adjoint {
		return nil, errorf(ErrInput, "unknown GradMethod %d", int(method))
	}
	sys, err := m.system(B, terms, off)
	if err != nil {
		return nil, err
	}
	sys.setEps(eps)
	z0 := make([]float64, sys.size())
	copy(z0, y0)
	ro := o.rk()
	var ys [][]float64
	var st ode.Stats
	var tp *tape
	if method == Backprop {
		ys, st, tp, err = forwardTape(sys, tb, z0, ts, ro)
	} else {
		ys, st, err = ode.RK(tb, sys.rhs, z0, ts, ro, nil)
		err = wrapODE(err)
	}
	if err != nil {
		return nil, err
	}
	if len(cotFn) > 0 {
		if cot, err = cotFn[0](ys); err != nil {
			return nil, err
		}
	}
	r := &gradResult{ys: ys, fwd: Solution{T: slices.Clone(ts), NFE: st.NFE, Steps: st.Steps, Rejected: st.Rejected}}
	var full []float64
	if method == Backprop {
		recs := map[*fusedRec]bool{}
		for _, st := range tp.steps {
			r.held += 8 * (len(st.y) + len(st.k)) * sys.size()
			for _, rc := range st.recs {
				recs[rc] = true // FSAL steps share a record
			}
		}
		if sys.fm != nil {
			r.held += len(recs) * sys.fm.recBytes()
		}
		full, r.gtheta, r.tbar, r.bnfe, err = tp.backward(sys, ts, cot, ro.Dt > 0, len(m.theta))
		if sys.fm != nil {
			sys.fm.trim()
		}
	} else {
		zlen := sys.ny() + sys.size() + len(m.theta)
		r.held = 8 * (len(ts)*sys.size() + (len(tb.B)+3)*zlen)
		var bst ode.Stats
		full, r.gtheta, r.tbar, bst, err = adjointBackward(sys, tb, ys, ts, cot, ro, len(m.theta))
		r.bnfe = bst.NFE
	}
	if err != nil {
		return nil, err
	}
	r.y0bar = full[:len(y0)]
	r.fwd.Y = make([][]float64, len(ys))
	for i := range ys {
		r.fwd.Y[i] = ys[i][:len(y0)]
	}
	for _, g := range [][]float64{r.y0bar, r.gtheta, {r.tbar}} {
		if i := finite(g); i >= 0 {
			return r, errorf(ErrNotFinite, "gradient is %v (component %d)", g[i], i)
		}
	}
	return r, nil
}

// solveRK solves sys from z0 over ts with tableau tb.
func solveRK(tb *ode.Tableau, sys *system, z0, ts []float64, o Options) ([][]float64, error) {
	ys, _, err := ode.RK(tb, sys.rhs, z0, ts, o.rk(), nil)
	return ys, wrapODE(err)
}

// Field evaluates the learned dynamics f(y, t) for the batch y (B·Dim()
// values) at time t and returns dy/dt (B·Dim() values).
func (m *Model) Field(y []float64, t float64) ([]float64, error) {
	if err := m.ok(); err != nil {
		return nil, err
	}
	B, err := m.batch(y)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(t) || math.IsInf(t, 0) {
		return nil, errorf(ErrInput, "Field: t = %v is not finite", t)
	}
	sys, err := m.system(B, nil, nil)
	if err != nil {
		return nil, err
	}
	d := make([]float64, sys.size())
	if err := sys.rhs(t, y, d); err != nil {
		return nil, err
	}
	return d, nil
}
