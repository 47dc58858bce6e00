package energy

import (
	"math"

	"github.com/physbias/physbias/internal/rng"
)

// Units is the kind of an RBM's visible units.
type Units int

const (
	// Binary visible units take values 0 and 1 (a Bernoulli RBM).
	Binary Units = iota
	// Gaussian visible units are real, with unit variance given the
	// hidden units (a Gaussian–binary RBM; standardise the data first).
	Gaussian
)

// String returns "binary" or "gaussian".
func (u Units) String() string {
	switch u {
	case Binary:
		return "binary"
	case Gaussian:
		return "gaussian"
	}
	return "units(?)"
}

// Config describes a restricted Boltzmann machine. Hidden units are always
// binary (0 or 1).
type Config struct {
	// Visible is the number of visible units; required (≥ 1).
	Visible int
	// Hidden is the number of hidden units; required (≥ 1).
	Hidden int
	// Units is the kind of the visible units; the zero value is Binary.
	Units Units
	// InitStd is the standard deviation of the initial weights (normal,
	// drawn from Seed); 0 means 0.01 (Hinton's practical guide). Biases
	// start at zero.
	InitStd float64
	// Seed seeds the initial weights.
	Seed uint64
}

func (c Config) withDefaults() (Config, error) {
	switch {
	case c.Visible < 1:
		return c, errorf(ErrInput, "Config.Visible is %d; an RBM needs at least 1 visible unit", c.Visible)
	case c.Hidden < 1:
		return c, errorf(ErrInput, "Config.Hidden is %d; an RBM needs at least 1 hidden unit", c.Hidden)
	case c.Visible > 1<<24 || c.Hidden > 1<<24 || c.Visible*c.Hidden > 1<<31:
		return c, errorf(ErrInput, "Config: %d×%d weights is more than the 2³¹ supported", c.Visible, c.Hidden)
	case c.Units != Binary && c.Units != Gaussian:
		return c, errorf(ErrInput, "Config.Units is %d; use Binary or Gaussian", int(c.Units))
	case c.InitStd < 0 || math.IsNaN(c.InitStd) || math.IsInf(c.InitStd, 0):
		return c, errorf(ErrInput, "Config.InitStd is %v; must be finite and ≥ 0 (0 means 0.01)", c.InitStd)
	}
	if c.InitStd == 0 {
		c.InitStd = 0.01
	}
	return c, nil
}

// RBM is a restricted Boltzmann machine: visible units v, binary hidden
// units h ∈ {0,1}, weights W (Visible×Hidden), visible biases b and hidden
// biases c, with energy
//
//	E(v, h) = −bᵀv − cᵀh − vᵀWh            (Binary visible units)
//	E(v, h) = ½‖v − b‖² − cᵀh − vᵀWh       (Gaussian visible units)
//
// and p(v, h) = exp(−E(v, h))/Z. Its free energy is
// F(v) = −log Σ_h exp(−E(v, h)), so p(v) = exp(−F(v))/Z.
//
// An RBM is not safe for concurrent use while it trains; its read-only
// methods (FreeEnergy, HiddenProbs, Sample with its own seed) may run
// concurrently with one another.
type RBM struct {
	cfg     Config
	nv, nh  int
	w, b, c []float64 // W row-major (nv×nh), b (nv), c (nh)
	chains  []float64 // persistent chains' visible states, kept across Train calls
	steps   int       // updates done so far (for the momentum state and the seed of later runs)
}

// New returns an RBM with weights drawn from N(0, InitStd²) and zero
// biases. It returns an error matching ErrInput for a bad Config.
func New(cfg Config) (*RBM, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	m := &RBM{cfg: cfg, nv: cfg.Visible, nh: cfg.Hidden}
	m.w = make([]float64, m.nv*m.nh)
	m.b = make([]float64, m.nv)
	m.c = make([]float64, m.nh)
	r := rng.New(cfg.Seed)
	for i := range m.w {
		m.w[i] = cfg.InitStd * r.NormFloat64()
	}
	return m, nil
}

func (m *RBM) ready() error {
	if m == nil || m.nv < 1 || len(m.w) != m.nv*m.nh || len(m.b) != m.nv || len(m.c) != m.nh {
		return errorf(ErrZeroValue, "nil or zero RBM")
	}
	return nil
}

// Config returns the Config with defaults filled in (the zero Config for a
// zero RBM).
func (m *RBM) Config() Config {
	if m.ready() != nil {
		return Config{}
	}
	return m.cfg
}

// Dim returns the number of visible units (0 for a zero RBM).
func (m *RBM) Dim() int {
	if m.ready() != nil {
		return 0
	}
	return m.nv
}

// Hidden returns the number of hidden units (0 for a zero RBM).
func (m *RBM) Hidden() int {
	if m.ready() != nil {
		return 0
	}
	return m.nh
}

// Weights returns copies of W (Visible rows of Hidden values), b and c.
func (m *RBM) Weights() (w [][]float64, b, c []float64, err error) {
	if err := m.ready(); err != nil {
		return nil, nil, nil, err
	}
	w = make([][]float64, m.nv)
	for i := range w {
		w[i] = append([]float64(nil), m.w[i*m.nh:(i+1)*m.nh]...)
	}
	return w, append([]float64(nil), m.b...), append([]float64(nil), m.c...), nil
}

// SetWeights replaces W, b and c (shapes as Weights returns them, all
// finite), for a user's own initialisation or a model trained elsewhere.
func (m *RBM) SetWeights(w [][]float64, b, c []float64) error {
	if err := m.ready(); err != nil {
		return err
	}
	flat, err := checkRows("SetWeights: W", w, m.nh)
	if err != nil {
		return err
	}
	if len(w) != m.nv {
		return errorf(ErrInput, "SetWeights: W has %d rows, want %d (visible units)", len(w), m.nv)
	}
	if len(b) != m.nv || len(c) != m.nh {
		return errorf(ErrInput, "SetWeights: b has %d values and c %d, want %d and %d", len(b), len(c), m.nv, m.nh)
	}
	if _, err := checkRows("SetWeights: b", [][]float64{b}, m.nv); err != nil {
		return err
	}
	if _, err := checkRows("SetWeights: c", [][]float64{c}, m.nh); err != nil {
		return err
	}
	copy(m.w, flat)
	copy(m.b, b)
	copy(m.c, c)
	m.chains = nil
	return nil
}

// checkData checks rows of visible vectors for the model: the right
// length, finite, and 0 or 1 for Binary units. It returns them flattened.
func (m *RBM) checkData(what string, data [][]float64) ([]float64, error) {
	flat, err := checkRows(what, data, m.nv)
	if err != nil {
		return nil, err
	}
	if m.cfg.Units == Binary {
		for k, v := range flat {
			if v != 0 && v != 1 {
				return nil, errorf(ErrInput, "%s: row %d, value %d is %v; a binary RBM takes 0 or 1 (binarise the data, or use Gaussian units)", what, k/m.nv, k%m.nv, v)
			}
		}
	}
	return flat, nil
}

// softplus returns log(1 + eˣ) without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// freeEnergies writes F(v) of each row of v (n rows) into f, using the
// scratch a (n×nh) for the hidden pre-activations, scaled by beta (the
// interaction strength of an AIS intermediate model: the hidden term is
// Σ softplus(β(vW + c))).
func (m *RBM) hiddenTerm(v []float64, n int, beta float64, a, f []float64) {
	pre(n, m.nv, m.nh, v, m.w, m.c, a)
	for r := range n {
		var s float64
		for _, x := range a[r*m.nh : (r+1)*m.nh] {
			s += softplus(beta * x)
		}
		f[r] = s
	}
}

// visibleTerm returns the visible part of −E for one row: bᵀv (Binary) or
// −½‖v − b‖² (Gaussian).
func (m *RBM) visibleTerm(v []float64) float64 {
	var s float64
	if m.cfg.Units == Binary {
		for i, x := range v {
			s += m.b[i] * x
		}
		return s
	}
	for i, x := range v {
		d := x - m.b[i]
		s -= d * d / 2
	}
	return s
}

// FreeEnergy returns F(v) = −log Σ_h exp(−E(v, h)) for each row of v:
// −bᵀv − Σ_j log(1 + exp(c_j + (vW)_j)) for Binary units, with ½‖v − b‖²
// in place of −bᵀv for Gaussian units. Rows are checked like training data.
func (m *RBM) FreeEnergy(v [][]float64) ([]float64, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	flat, err := m.checkData("FreeEnergy", v)
	if err != nil {
		return nil, err
	}
	n := len(v)
	f := make([]float64, n)
	m.hiddenTerm(flat, n, 1, make([]float64, n*m.nh), f)
	for r := range n {
		f[r] = -f[r] - m.visibleTerm(flat[r*m.nv:(r+1)*m.nv])
	}
	return f, nil
}

// HiddenProbs returns p(h_j = 1 | v) = σ(c_j + (vW)_j) for each row of v,
// the features an RBM gives a downstream model.
func (m *RBM) HiddenProbs(v [][]float64) ([][]float64, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	flat, err := m.checkData("HiddenProbs", v)
	if err != nil {
		return nil, err
	}
	n := len(v)
	a := make([]float64, n*m.nh)
	pre(n, m.nv, m.nh, flat, m.w, m.c, a)
	sigmoidInPlace(a, 1)
	return rows(a, n, m.nh), nil
}

// rows splits a flat row-major matrix into n rows of width w (copies).
func rows(a []float64, n, w int) [][]float64 {
	out := make([][]float64, n)
	for r := range out {
		out[r] = append([]float64(nil), a[r*w:(r+1)*w]...)
	}
	return out
}
