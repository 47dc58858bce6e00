package energy

import (
	"context"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/grad"
	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Network is a user's energy E(x; θ) as a gorgonia graph: any graph of x,
// not only an MLP (a quadratic form, skip connections, a convolution). A
// user brings their own by implementing it (or with NetworkFunc);
// NewNetwork makes a trainable energy of it. Its input gradient ∇ₓE, which
// Langevin sampling needs, comes from the core's general autodiff
// (internal/grad), so any of gorgonia's differentiable ops may appear (an
// op internal/grad refuses is an error when the model first evaluates the
// gradient).
type Network interface {
	// Build adds E to g for points x of shape (B, Dim) and returns the
	// energies, of shape (B, 1) or (B) (row b depending on row b of x
	// only: no mean or normalisation over the batch), and the trainable
	// parameters it made: float64 input nodes of g with values and
	// distinct non-empty names. The model calls Build once for every graph
	// it makes (a batch size, training) and then writes its own parameter
	// values into them, so Build must make the same parameters, by name
	// and shape, every time; their initial values matter only on the first
	// call (in NewNetwork), and should come from a seed for runs to repeat.
	// List only parameters the energy depends on: gorgonia's Grad rejects
	// a parameter the loss does not reach.
	Build(g *G.ExprGraph, x *G.Node) (e *G.Node, params []*G.Node, err error)
}

// NetworkFunc adapts a function to the Network interface.
type NetworkFunc func(g *G.ExprGraph, x *G.Node) (*G.Node, []*G.Node, error)

// Build calls f.
func (f NetworkFunc) Build(g *G.ExprGraph, x *G.Node) (*G.Node, []*G.Node, error) {
	return f(g, x)
}

// ParamSpec is the name and shape of one parameter of a Network, as the
// network made it on its first Build.
type ParamSpec struct {
	Name  string
	Shape []int
}

// NetworkEnergy is an energy E(x; θ) given by a user's Network, trained as
// MLPEnergy is (Du & Mordatch 2019: negatives from short Langevin runs
// started from a replay buffer) and sampled by Langevin dynamics with the
// exact ∇ₓE of internal/grad. Its methods are safe for concurrent use
// except Train, which must not run beside other methods of the same model.
type NetworkEnergy struct {
	dim    int
	net    Network
	specs  []ParamSpec
	theta  []float64   // the parameters, flattened in the order of specs
	buffer [][]float64 // replay buffer, kept across Train calls (not saved)

	mu   sync.Mutex
	byB  map[int]*netMachine // compiled evaluators by batch size
	keep []int               // batch sizes in byB, oldest first
}

// netMachine evaluates E and ∇ₓE for B points at the model's parameters.
type netMachine struct {
	x      []float64 // the input's backing (B×Dim)
	params []*G.Node
	e, g   G.Value // read after each run
	vm     G.VM
}

// maxNetMachines bounds the batch sizes kept compiled at once.
const maxNetMachines = 8

// NewNetwork returns an energy on ℝ^dim given by net, with the initial
// parameter values net's Build gives them. It builds net once (on a batch
// of one point) to check its output and parameters: a Build that fails,
// panics (ErrCallback), returns the wrong shape or parameters that are
// nil, unnamed, repeated or not float64 with values is an error.
func NewNetwork(dim int, net Network) (*NetworkEnergy, error) {
	if dim < 1 || dim > 1<<20 {
		return nil, errorf(ErrInput, "NewNetwork: dim is %d; must be between 1 and 2^20", dim)
	}
	if net == nil {
		return nil, errorf(ErrInput, "NewNetwork: nil Network")
	}
	m := &NetworkEnergy{dim: dim, net: net}
	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(1, dim), G.WithName("energy.x"),
		G.WithValue(tensor.New(tensor.WithShape(1, dim), tensor.WithBacking(make([]float64, dim)))))
	_, ps, err := m.build(g, x)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		m.specs = append(m.specs, ParamSpec{Name: p.Name(), Shape: slices.Clone([]int(p.Shape()))})
	}
	if m.theta, err = train.Values(ps); err != nil {
		return nil, errorf(ErrCallback, "NewNetwork: %w", err)
	}
	if !finite(m.theta) {
		return nil, errorf(ErrNotFinite, "NewNetwork: the Network's initial parameters are not finite")
	}
	return m, nil
}

// build calls the user's Build on x and checks what it returns; after the
// first call (specs known) it also checks that the parameters match.
func (m *NetworkEnergy) build(g *G.ExprGraph, x *G.Node) (e *G.Node, ps []*G.Node, err error) {
	defer fail.Recover(&err, "energy", "Network.Build")
	e, ps, err = m.net.Build(g, x)
	if err != nil {
		return nil, nil, errorf(ErrCallback, "Network.Build: %w", err)
	}
	B := x.Shape()[0]
	if e == nil {
		return nil, nil, errorf(ErrCallback, "Network.Build returned a nil energy")
	}
	if s := e.Shape(); !(len(s) == 1 && s[0] == B || len(s) == 2 && s[0] == B && s[1] == 1) {
		return nil, nil, errorf(ErrCallback, "Network.Build returned energies of shape %v for %d points; want (%d, 1) or (%d)", s, B, B, B)
	}
	if e.Dtype() != tensor.Float64 {
		return nil, nil, errorf(ErrCallback, "Network.Build returned %v energies, want float64", e.Dtype())
	}
	if len(ps) == 0 {
		return nil, nil, errorf(ErrCallback, "Network.Build returned no parameters")
	}
	seen := map[string]bool{}
	for i, p := range ps {
		switch {
		case p == nil:
			return nil, nil, errorf(ErrCallback, "Network.Build: parameter %d is nil", i)
		case p.Name() == "" || seen[p.Name()]:
			return nil, nil, errorf(ErrCallback, "Network.Build: parameter %d is unnamed or its name %q is repeated", i, p.Name())
		case p.Op() != nil:
			return nil, nil, errorf(ErrCallback, "Network.Build: parameter %s is computed by an op; parameters must be input nodes", p.Name())
		case p.Dtype() != tensor.Float64:
			return nil, nil, errorf(ErrCallback, "Network.Build: parameter %s is %v, want float64", p.Name(), p.Dtype())
		case p.Value() == nil:
			return nil, nil, errorf(ErrCallback, "Network.Build: parameter %s has no value", p.Name())
		}
		seen[p.Name()] = true
	}
	if m.specs != nil {
		if len(ps) != len(m.specs) {
			return nil, nil, errorf(ErrCallback, "Network.Build made %d parameters; its first Build made %d", len(ps), len(m.specs))
		}
		for i, p := range ps {
			if p.Name() != m.specs[i].Name || !slices.Equal([]int(p.Shape()), m.specs[i].Shape) {
				return nil, nil, errorf(ErrCallback, "Network.Build: parameter %d is %s %v; its first Build made %s %v",
					i, p.Name(), p.Shape(), m.specs[i].Name, m.specs[i].Shape)
			}
		}
		if err := train.SetValues(ps, m.theta); err != nil {
			return nil, nil, errorf(ErrCallback, "Network.Build: %w", err)
		}
	}
	return e, ps, nil
}

func (m *NetworkEnergy) ready() error {
	if m == nil || m.net == nil || m.specs == nil {
		return errorf(ErrZeroValue, "nil or zero NetworkEnergy")
	}
	return nil
}

// Dim returns the length of x (0 for a zero NetworkEnergy).
func (m *NetworkEnergy) Dim() int {
	if m.ready() != nil {
		return 0
	}
	return m.dim
}

// Params returns the names and shapes of the network's parameters.
func (m *NetworkEnergy) Params() []ParamSpec {
	if m.ready() != nil {
		return nil
	}
	out := make([]ParamSpec, len(m.specs))
	for i, s := range m.specs {
		out[i] = ParamSpec{Name: s.Name, Shape: slices.Clone(s.Shape)}
	}
	return out
}

// Values returns a copy of the parameters, flattened in the order of
// Params (each row-major).
func (m *NetworkEnergy) Values() []float64 {
	if m.ready() != nil {
		return nil
	}
	return slices.Clone(m.theta)
}

// machine returns the compiled evaluator for B points (m.mu held).
func (m *NetworkEnergy) machine(B int) (*netMachine, error) {
	if nm, ok := m.byB[B]; ok {
		return nm, nil
	}
	g := G.NewGraph()
	xs := make([]float64, B*m.dim)
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(B, m.dim), G.WithName("energy.x"),
		G.WithValue(tensor.New(tensor.WithShape(B, m.dim), tensor.WithBacking(xs))))
	e, ps, err := m.build(g, x)
	if err != nil {
		return nil, err
	}
	gx, err := grad.BatchGrad(e, x)
	if err != nil {
		return nil, errorf(ErrInput, "the gradient of the Network (internal/grad): %w", err)
	}
	nm := &netMachine{x: xs, params: ps}
	G.Read(e, &nm.e)
	G.Read(gx, &nm.g)
	nm.vm = G.NewTapeMachine(g)
	if len(m.keep) >= maxNetMachines {
		old := m.keep[0]
		m.byB[old].vm.Close()
		delete(m.byB, old)
		m.keep = m.keep[1:]
	}
	if m.byB == nil {
		m.byB = map[int]*netMachine{}
	}
	m.byB[B] = nm
	m.keep = append(m.keep, B)
	return nm, nil
}

// eval sets e (B) to E at the B rows of x (B×Dim) and, when g is not nil,
// g (B×Dim) to ∇ₓE, with the parameters theta.
func (m *NetworkEnergy) eval(x, theta, e, g []float64) (err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	B := len(x) / m.dim
	nm, err := m.machine(B)
	if err != nil {
		return err
	}
	if err := train.SetValues(nm.params, theta); err != nil {
		return errorf(ErrInput, "%w", err)
	}
	copy(nm.x, x)
	defer nm.vm.Reset()
	defer fail.Recover(&err, "energy", "the Network's graph")
	if err := nm.vm.RunAll(); err != nil {
		return errorf(ErrCallback, "running the Network: %w", err)
	}
	copy(e, nm.e.Data().([]float64))
	if g != nil {
		copy(g, nm.g.Data().([]float64))
	}
	return nil
}

// Energy returns E(x) for each row of x.
func (m *NetworkEnergy) Energy(x [][]float64) ([]float64, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	flat, err := checkRows("Energy", x, m.dim)
	if err != nil {
		return nil, err
	}
	e := make([]float64, len(x))
	if err := m.eval(flat, m.theta, e, nil); err != nil {
		return nil, err
	}
	return e, nil
}

// Grad returns ∇ₓE at each row of x: the core's exact reverse pass
// (internal/grad) through the user's graph.
func (m *NetworkEnergy) Grad(x [][]float64) ([][]float64, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	flat, err := checkRows("Grad", x, m.dim)
	if err != nil {
		return nil, err
	}
	e, g := make([]float64, len(x)), make([]float64, len(flat))
	if err := m.eval(flat, m.theta, e, g); err != nil {
		return nil, err
	}
	return rows(g, len(x), m.dim), nil
}

// AsEnergy returns the model as an Energy (E and its exact input gradient,
// one point at a time) for the function Langevin. The functions use the
// parameters of the moment AsEnergy is called; a failure inside them gives
// NaN, which Langevin reports as ErrNotFinite. Langevin on the model itself
// runs the same chains faster, all at once.
func (m *NetworkEnergy) AsEnergy() (Energy, error) {
	if err := m.ready(); err != nil {
		return Energy{}, err
	}
	theta := slices.Clone(m.theta)
	return Energy{Dim: m.dim,
		E: func(x []float64) float64 {
			var e [1]float64
			if m.eval(x, theta, e[:], nil) != nil {
				return math.NaN()
			}
			return e[0]
		},
		Grad: func(x, g []float64) {
			var e [1]float64
			if m.eval(x, theta, e[:], g) != nil {
				for i := range g {
					g[i] = math.NaN()
				}
			}
		}}, nil
}

// Langevin runs Langevin chains on the model's energy from the rows of x0,
// as the function Langevin does with AsEnergy (the same proposals and
// random numbers), for all chains at once.
func (m *NetworkEnergy) Langevin(x0 [][]float64, cfg LangevinConfig) (LangevinResult, error) {
	var res LangevinResult
	if err := m.ready(); err != nil {
		return res, err
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return res, err
	}
	flat, err := checkRows("Langevin: x0", x0, m.dim)
	if err != nil {
		return res, err
	}
	var evalErr error
	eval := func(x, e, g []float64) {
		if err := m.eval(x, m.theta, e, g); err != nil {
			evalErr = err
			for i := range g {
				g[i] = math.NaN()
			}
		}
	}
	res.Accepted, err = langevinBatch(eval, flat, len(x0), m.dim, cfg)
	if evalErr != nil {
		return LangevinResult{}, evalErr
	}
	if err != nil {
		return LangevinResult{}, err
	}
	res.X = rows(flat, len(x0), m.dim)
	return res, nil
}

// Train fits the energy to data (rows of Dim() values) as MLPEnergy.Train
// does, with the same MLPTrainConfig (Du & Mordatch 2019): each step draws
// a minibatch x⁺, starts as many chains from the replay buffer (a fraction
// Reinit from uniform noise), runs tc.Langevin (unadjusted) on the current
// energy to get x⁻, stores x⁻ in the buffer, and takes one Adam step on
// ⟨E(x⁺)⟩ − ⟨E(x⁻)⟩ + α(⟨E(x⁺)²⟩ + ⟨E(x⁻)²⟩). History.Loss holds that
// loss per step. Cancelling ctx stops with an error matching
// context.Canceled, keeping the last completed step; tc.TimeLimit stops
// without an error.
func (m *NetworkEnergy) Train(ctx context.Context, data [][]float64, tc MLPTrainConfig) (History, error) {
	var h History
	if err := m.ready(); err != nil {
		return h, err
	}
	if ctx == nil {
		return h, errorf(ErrInput, "Train: nil context (use context.Background())")
	}
	d := m.dim
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
	// One graph holds E at the 2B rows [x⁺; x⁻]: the loss weighs them +1/B
	// and −1/B (no slices of the batch).
	g := G.NewGraph()
	xT := tensor.New(tensor.WithShape(2*B, d), tensor.WithBacking(make([]float64, 2*B*d)))
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(2*B, d), G.WithName("energy.xposneg"), G.WithValue(xT))
	e, params, err := m.build(g, x)
	if err != nil {
		return h, err
	}
	bld := build.New(g, "energy")
	w := make([]float64, 2*B)
	for i := range w {
		w[i] = 1 / float64(B)
		if i >= B {
			w[i] = -w[i]
		}
	}
	loss := bld.Sum(bld.HadamardProd(e, bld.Constant(w, e.Shape()...)))
	if tc.Regularizer > 0 {
		loss = bld.Add(loss, bld.Scale(tc.Regularizer/float64(B), bld.Sum(bld.Square(e))))
	}
	if err := bld.Err(); err != nil {
		return h, err
	}

	r := rng.New(tc.Seed ^ 0x5eed)
	xs := xT.Float64s()
	pos, neg := xs[:B*d], xs[B*d:]
	ne, ng := make([]float64, B), make([]float64, B*d)
	noise := math.Sqrt(2 * tc.Langevin.StepSize * tc.Langevin.Temperature)
	step := 0
	feed := func(idx []int) error {
		step++
		for k, i := range idx {
			copy(pos[k*d:(k+1)*d], flat[i*d:(i+1)*d])
		}
		for k := range B {
			startChain(neg[k*d:(k+1)*d], m.buffer, tc, r, lo, hi)
		}
		theta, err := train.Values(params)
		if err != nil {
			return err
		}
		for range tc.Langevin.Steps {
			if err := m.eval(neg, theta, ne, ng); err != nil {
				return err
			}
			for i := range neg {
				neg[i] += -tc.Langevin.StepSize*ng[i] + noise*r.NormFloat64()
			}
		}
		if !finite(neg) || !finite(ng) {
			return errorf(ErrNotFinite, "step %d: a Langevin chain became NaN or Inf (smaller Langevin.StepSize?)", step)
		}
		for k := range B {
			pushBuffer(&m.buffer, neg[k*d:(k+1)*d], tc.BufferSize, r)
		}
		return G.Let(x, xT)
	}
	h, err = train.Run(train.Problem{Graph: g, Loss: loss, Params: params, N: n, Feed: feed},
		&train.Adam{LR: tc.LR, ClipNorm: tc.ClipNorm},
		train.Config{Steps: tc.Steps, BatchSize: B, Seed: tc.Seed, Progress: tc.Progress,
			Context: ctx, TimeLimit: tc.TimeLimit, Prefix: "energy"})
	theta, verr := train.Values(params)
	switch {
	case verr != nil && err == nil:
		err = errorf(ErrInput, "Train: %w", verr)
	case verr == nil && finite(theta):
		m.theta = theta
	}
	return h, err
}

// startChain fills row with a Langevin chain's start (Du & Mordatch 2019):
// uniform noise in [lo, hi) when there is no replay buffer (tc.NoBuffer or
// an empty buf) or with probability tc.Reinit, a random buffer entry
// otherwise. MLPEnergy and NetworkEnergy draw from r in this order.
func startChain(row []float64, buf [][]float64, tc MLPTrainConfig, r *rand.Rand, lo, hi float64) {
	if tc.NoBuffer || len(buf) == 0 || r.Float64() < tc.Reinit {
		for i := range row {
			row[i] = lo + (hi-lo)*r.Float64()
		}
		return
	}
	copy(row, buf[r.IntN(len(buf))])
}

// noiseBox returns the range of the uniform noise chains start from: box,
// or when box is zero the data's range widened by a quarter on each side.
func noiseBox(box [2]float64, flat []float64) (lo, hi float64) {
	lo, hi = box[0], box[1]
	if lo == 0 && hi == 0 {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, v := range flat {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		w := math.Max(hi-lo, 1e-3)
		lo, hi = lo-w/4, hi+w/4
	}
	return lo, hi
}

// pushBuffer adds a copy of x to the replay buffer *buf, replacing a
// random entry when it holds capacity rows.
func pushBuffer(buf *[][]float64, x []float64, capacity int, r *rand.Rand) {
	if len(*buf) < capacity {
		*buf = append(*buf, slices.Clone(x))
		return
	}
	copy((*buf)[r.IntN(len(*buf))], x)
}

// Buffer returns a copy of the replay buffer: the latest Langevin samples
// of the model, one row each (none before training; not saved by Save).
func (m *NetworkEnergy) Buffer() [][]float64 {
	if m.ready() != nil {
		return nil
	}
	out := make([][]float64, len(m.buffer))
	for k, x := range m.buffer {
		out[k] = slices.Clone(x)
	}
	return out
}

const kindNetwork = "energy.NetworkEnergy v1"

// networkFile is the configuration a saved NetworkEnergy holds: the
// dimension and the parameters' names and shapes (the network's code
// cannot be saved; LoadNetwork takes it again).
type networkFile struct {
	Dim    int
	Params []ParamSpec
}

func (m *NetworkEnergy) paramsNamed() []named {
	out := make([]named, len(m.specs))
	off := 0
	for i, s := range m.specs {
		k := 1
		for _, v := range s.Shape {
			k *= v
		}
		out[i] = named{name: s.Name, shape: s.Shape, data: m.theta[off : off+k]}
		off += k
	}
	return out
}

// Save writes the energy (its dimension, the parameters' names and shapes
// and their values bit for bit) to w; LoadNetwork reads it back with the
// same Network. The replay buffer is not saved.
func (m *NetworkEnergy) Save(w io.Writer) error {
	if err := m.ready(); err != nil {
		return err
	}
	return save(w, kindNetwork, networkFile{Dim: m.dim, Params: m.specs}, m.paramsNamed())
}

// SaveFile saves the energy to path, through a temporary file renamed over
// it.
func (m *NetworkEnergy) SaveFile(path string) error {
	if err := m.ready(); err != nil {
		return err
	}
	return saveFile(path, m.Save)
}

// LoadNetwork reads an energy written by NetworkEnergy.Save, with net (the
// Network it was made with: the file holds the parameters, not the code).
// A truncated, corrupted or foreign file is an error matching ErrCorrupt;
// a net whose parameters differ in name or shape from the file's is an
// error matching ErrInput.
func LoadNetwork(r io.Reader, net Network) (*NetworkEnergy, error) {
	var cfg networkFile
	body, err := header(r, kindNetwork, &cfg)
	if err != nil {
		return nil, err
	}
	return loadNetworkBody(body, cfg, net, "LoadNetwork")
}

// loadNetworkBody makes an energy of net for the configuration of a file
// and loads the parameters in body (the file after its header) into it;
// what (the loader's name) starts the messages of its errors.
func loadNetworkBody(body []byte, cfg networkFile, net Network, what string) (*NetworkEnergy, error) {
	sizes := make([]int, 0, len(cfg.Params))
	for _, p := range cfg.Params {
		k := 1
		for _, v := range p.Shape {
			if v < 0 || v > 1<<30 || k > 1<<40/max(v, 1) {
				return nil, errorf(ErrCorrupt, "%s: parameter %s has shape %v", what, p.Name, p.Shape)
			}
			k *= v
		}
		sizes = append(sizes, k)
	}
	if err := fits(body, sizes...); err != nil {
		return nil, err
	}
	if cfg.Dim < 1 || cfg.Dim > 1<<20 || len(cfg.Params) == 0 {
		return nil, errorf(ErrCorrupt, "%s: dimension %d and %d parameters in the file", what, cfg.Dim, len(cfg.Params))
	}
	m, err := NewNetwork(cfg.Dim, net)
	if err != nil {
		return nil, fail.Wrap(ErrInput, "energy", err, "%s: the Network on the file's %d inputs", what, cfg.Dim)
	}
	if len(m.specs) != len(cfg.Params) {
		return nil, errorf(ErrInput, "%s: the Network makes %d parameters, the file holds %d", what, len(m.specs), len(cfg.Params))
	}
	for i, s := range m.specs {
		if s.Name != cfg.Params[i].Name || !slices.Equal(s.Shape, cfg.Params[i].Shape) {
			return nil, errorf(ErrInput, "%s: the Network's parameter %d is %s %v, the file's is %s %v",
				what, i, s.Name, s.Shape, cfg.Params[i].Name, cfg.Params[i].Shape)
		}
	}
	if err := loadParams(body, m.paramsNamed()); err != nil {
		return nil, err
	}
	if !finite(m.theta) {
		return nil, errorf(ErrCorrupt, "%s: the parameters are not finite", what)
	}
	return m, nil
}

// LoadNetworkFile reads an energy saved with SaveFile from path, with net.
func LoadNetworkFile(path string, net Network) (*NetworkEnergy, error) {
	return loadFile(path, "LoadNetworkFile", func(r io.Reader) (*NetworkEnergy, error) { return LoadNetwork(r, net) })
}
