package node

import (
	"context"
	"io"
	"math"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/train"
)

// TraceMethod is how a CNF computes tr(∂f/∂z) while it trains.
type TraceMethod int

const (
	// ExactTrace computes the trace from the full Jacobian (one forward
	// tangent per dimension): exact, for low-dimensional data.
	ExactTrace TraceMethod = iota
	// Hutchinson estimates it as εᵀ(∂f/∂z)ε with a Gaussian probe ε drawn
	// once per training step (Grathwohl et al. 2019): one tangent whatever
	// the dimension, unbiased, noisy.
	Hutchinson
)

// CNFConfig describes a continuous normalizing flow. Zero fields mean the
// defaults in their comments.
type CNFConfig struct {
	// Hidden are the widths of the hidden layers of f(z, t); nil means
	// [64, 64].
	Hidden []int
	// Activation is the hidden layers' nonlinearity; "" means "tanh".
	Activation string
	// T is the flow's length in time; 0 means 1.
	T float64
	// Trace is the trace estimator used in training; LogDensity always
	// uses the exact trace. The zero value is ExactTrace.
	Trace TraceMethod
	// Seed seeds the initial weights.
	Seed uint64
}

// CNF is a continuous normalizing flow (Chen et al. 2018; Grathwohl et al.
// 2019): samples z(0) of a standard normal carried by dz/dt = f(z, t; θ)
// to x = z(T), with the instantaneous change of variables
//
//	d log p(z(t))/dt = −tr(∂f/∂z),
//
// so log p(x) = log N(z(0); 0, I) − ∫₀ᵀ tr(∂f/∂z) dt, computed by solving
// from x backwards to t = 0 with the trace integrated beside the state.
type CNF struct {
	m   *Model
	cfg CNFConfig
}

// NewCNF returns an untrained flow on data of dimension dim.
func NewCNF(dim int, cfg CNFConfig) (*CNF, error) {
	if cfg.T == 0 {
		cfg.T = 1
	}
	if !(cfg.T > 0) || math.IsInf(cfg.T, 0) {
		return nil, errorf(ErrInput, "CNFConfig.T = %g; must be positive and finite", cfg.T)
	}
	if cfg.Trace != ExactTrace && cfg.Trace != Hutchinson {
		return nil, errorf(ErrInput, "unknown CNFConfig.Trace %d", int(cfg.Trace))
	}
	m, err := New(dim, Config{Hidden: cfg.Hidden, Activation: cfg.Activation, TimeInput: true, Seed: cfg.Seed})
	if err != nil {
		return nil, err
	}
	c := m.Config()
	cfg.Hidden, cfg.Activation = c.Hidden, c.Activation
	return &CNF{m: m, cfg: cfg}, nil
}

func (c *CNF) ok() error {
	if c == nil || c.m == nil {
		return errorf(ErrZeroValue, "CNF")
	}
	return nil
}

// Dim returns the data dimension.
func (c *CNF) Dim() int {
	if c == nil || c.m == nil {
		return 0
	}
	return c.m.dim
}

// Config returns the flow's configuration with defaults filled in.
func (c *CNF) Config() CNFConfig {
	if c == nil {
		return CNFConfig{}
	}
	cfg := c.cfg
	cfg.Hidden = slices.Clone(cfg.Hidden)
	return cfg
}

// Model returns the neural ODE under the flow (f of (z, t)), for its
// solves, gradients and parameters.
func (c *CNF) Model() *Model {
	if c == nil {
		return nil
	}
	return c.m
}

// logNormal is log N(z; 0, I) of one point.
func logNormal(z []float64) float64 {
	s := 0.0
	for _, v := range z {
		s += v * v
	}
	return -0.5*s - 0.5*float64(len(z))*math.Log(2*math.Pi)
}

// LogDensity returns log p(x) for each of the points in x (N·Dim()
// values), with the exact trace, solving with s and o.
func (c *CNF) LogDensity(x []float64, s Solver, o Options) ([]float64, error) {
	if err := c.ok(); err != nil {
		return nil, err
	}
	tb, err := checkModelSolver(s)
	if err != nil {
		return nil, err
	}
	B, err := c.m.batch(x)
	if err != nil {
		return nil, err
	}
	sys, err := c.m.system(B, []term{termTrace}, nil)
	if err != nil {
		return nil, err
	}
	z0 := make([]float64, sys.size())
	copy(z0, x)
	ys, err := solveRK(tb, sys, z0, []float64{c.cfg.T, 0}, o)
	if err != nil {
		return nil, err
	}
	n := c.m.dim
	out := make([]float64, B)
	for b := range out {
		out[b] = logNormal(ys[1][b*n:(b+1)*n]) - ys[1][B*n+b]
	}
	return out, nil
}

// Sample draws n points from the flow: standard normal z(0) (from seed)
// carried to t = T.
func (c *CNF) Sample(n int, seed uint64, s Solver, o Options) ([]float64, error) {
	if err := c.ok(); err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, errorf(ErrInput, "Sample: n = %d; must be positive", n)
	}
	r := rng.New(seed)
	z := make([]float64, n*c.m.dim)
	for i := range z {
		z[i] = r.NormFloat64()
	}
	sol, err := c.m.Solve(z, []float64{0, c.cfg.T}, s, o)
	if err != nil {
		return nil, err
	}
	return sol.Y[1], nil
}

// Train fits the flow to the points x (N·Dim() values) by maximum
// likelihood: Adam on −mean log p(x) over minibatches of tc.BatchSize points
// (0 means all), with the trace estimator of CNFConfig.Trace, gradients by
// tc.Gradient, and optionally the Kinetic and Frobenius regularizers of
// Finlay et al. 2020 (tc.Kelly is not supported here; tc.Window must be 0).
// History.Fit holds −mean log p of each step's batch.
func (c *CNF) Train(ctx context.Context, x []float64, tc TrainConfig) (History, error) {
	if err := c.ok(); err != nil {
		return History{}, err
	}
	if ctx == nil {
		return History{}, errorf(ErrInput, "nil context")
	}
	N, err := c.m.batch(x)
	if err != nil {
		return History{}, err
	}
	if !tc.Solver.valid() {
		return History{}, errorf(ErrInput, "TrainConfig.Solver is not set: there is no default; set it and its Options, e.g. Solver: node.RK4(), Options: node.Options{Dt: 0.1}")
	}
	if _, err := checkModelSolver(tc.Solver); err != nil {
		return History{}, err
	}
	if tc.Window != 0 {
		return History{}, errorf(ErrInput, "TrainConfig.Window = %d: a CNF fits points, not trajectories; leave it 0", tc.Window)
	}
	if tc.Kelly != 0 {
		return History{}, errorf(ErrInput, "TrainConfig.Kelly is not supported by a CNF; leave it 0")
	}
	regs, weights, err := tc.terms()
	if err != nil {
		return History{}, err
	}
	tr := termTrace
	if c.cfg.Trace == Hutchinson {
		tr = termTraceHutch
	}
	terms := append([]term{tr}, regs...)
	B := tc.BatchSize
	if B == 0 {
		B = N
	}
	if B < 0 || B > N {
		return History{}, errorf(ErrInput, "TrainConfig.BatchSize = %d; must be in [1, %d] (the number of points), or 0 for all", B, N)
	}
	n, mt := c.m.dim, len(terms)
	z0 := make([]float64, B*n)
	var eps []float64
	if tr == termTraceHutch || tc.Frobenius > 0 {
		eps = make([]float64, B*n)
	}
	probes := rng.Stream(tc.Seed, 1)
	ts := []float64{c.cfg.T, 0}
	stepFn := func(idx []int) (float64, float64, *gradResult, error) {
		for r, i := range idx {
			copy(z0[r*n:(r+1)*n], x[i*n:(i+1)*n])
		}
		for i := range eps {
			eps[i] = probes.NormFloat64()
		}
		var L, fit float64
		cotFn := func(ys [][]float64) ([][]float64, error) {
			end := ys[1]
			cot := [][]float64{nil, make([]float64, len(end))}
			inv := 1 / float64(B)
			fit = 0
			for b := 0; b < B; b++ {
				z := end[b*n : (b+1)*n]
				fit -= inv * (logNormal(z) - end[B*n+b*mt])
				for j := range z {
					cot[1][b*n+j] = inv * z[j]
				}
				cot[1][B*n+b*mt] = inv
			}
			L = fit
			for j, w := range weights {
				for b := 0; b < B; b++ {
					// The regularizers integrate from T back to 0: their
					// integrals come out negated.
					L -= w * inv * end[B*n+b*mt+1+j]
					cot[1][B*n+b*mt+1+j] -= w * inv
				}
			}
			return cot, nil
		}
		res, err := c.m.grad(B, terms, nil, eps, z0, ts, nil, tc.Solver, tc.Options, tc.Gradient, cotFn)
		return L, fit, res, err
	}
	return c.m.fit(ctx, tc, N, B, stepFn)
}

// Save writes the flow (its dimension, configuration and parameters bit
// for bit, under one SHA-256: internal/train's model file).
func (c *CNF) Save(w io.Writer) error {
	params, err := c.saveParams()
	if err != nil {
		return err
	}
	return train.SaveModel(w, cnfKind, savedCNF{Dim: c.m.dim, Config: c.cfg}, params)
}

// SaveFile saves the flow to path (see Save), through a temporary file
// renamed over it.
func (c *CNF) SaveFile(path string) error {
	params, err := c.saveParams()
	if err != nil {
		return err
	}
	return train.SaveModelFile(path, cnfKind, savedCNF{Dim: c.m.dim, Config: c.cfg}, params)
}

func (c *CNF) saveParams() ([]*G.Node, error) {
	if err := c.ok(); err != nil {
		return nil, err
	}
	k, err := c.m.kernel(1, nil)
	if err != nil {
		return nil, err
	}
	return k.params, nil
}

// LoadCNF reads a flow written by (*CNF).Save. A file that is truncated,
// corrupted or of another kind is an error matching ErrCorrupt.
func LoadCNF(r io.Reader) (*CNF, error) {
	var s savedCNF
	f, err := train.ReadModel(r, cnfKind, &s)
	if err != nil {
		return nil, err
	}
	return cnfFromFile(f, s)
}

// LoadCNFFile reads a flow saved with SaveFile (see LoadCNF).
func LoadCNFFile(path string) (*CNF, error) {
	var s savedCNF
	f, err := train.ReadModelFile(path, cnfKind, &s)
	if err != nil {
		return nil, err
	}
	return cnfFromFile(f, s)
}

func cnfFromFile(f *train.ModelFile, s savedCNF) (*CNF, error) {
	if err := mlpParams(f, s.Dim, s.Config.Hidden, true); err != nil {
		return nil, err
	}
	c, err := NewCNF(s.Dim, s.Config)
	if err != nil {
		return nil, wrapf(ErrCorrupt, err, "Load: the file's configuration is not valid")
	}
	return c, c.m.loadParams(f)
}
