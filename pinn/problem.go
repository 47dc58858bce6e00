package pinn

import (
	"fmt"
	"math"
	"strings"
)

// ResidualFunc builds the PDE residual r(p) from the network's fields at the
// collocation points; training drives r to zero. It returns a node of shape
// (B, 1) or (B) where B = f.Len(). Build it with the Fields accessors (U, Ut,
// Ux, Uxx, D, D2, Laplacian, Coef, X, T, Source) and helpers (Add, Sub, Mul,
// Div, Scale, Shift, Neg, Pow, Square, Sqrt, Abs, Exp, Log, Log1p, Sin, Cos,
// Tanh, Sigmoid, Softplus, Const), or with any gorgonia op on those nodes
// (reporting its error with f.Fail). A panic, a returned error or a result of the wrong shape is an
// error matching ErrCallback.
//
// It is called more than once: first on a probe graph that is never run,
// to learn which derivatives it uses and to check its shape, then on each
// training or evaluation graph. It must not keep the nodes it is given.
type ResidualFunc func(f *Fields) (*Node, error)

// Data are observations u(X[i]) = U[i] (possibly noisy): the data term of a
// forward problem, or what an inverse problem learns its coefficients from.
type Data struct {
	// X holds the points, each of length Domain.Dim().
	X [][]float64
	// U holds the observed values.
	U []float64
	// Weight multiplies the data penalty in the loss; 0 means 1.
	Weight float64
}

// Unknown is a PDE coefficient learned with the network (inverse problem).
type Unknown struct {
	// Name is how the residual asks for it: f.Coef(Name).
	Name string
	// Init is the starting value.
	Init float64
	// Positive parametrises the coefficient as exp(θ), so it stays > 0
	// (Raissi et al. learn λ₂ = ν this way); Init must then be > 0.
	Positive bool
}

// Problem is a PDE on a domain with its conditions, and optionally data and
// unknown coefficients.
type Problem struct {
	// Domain is the space (× time) box.
	Domain Domain
	// Residual is the PDE residual; required.
	Residual ResidualFunc
	// Conditions are the initial and boundary conditions.
	Conditions []Condition
	// Data are observations of u; optional.
	Data *Data
	// Unknowns are coefficients trained with the network; optional.
	Unknowns []Unknown
	// Lift is g in the hard-constraint output u = g + d·N: it must equal
	// every Dirichlet and initial value on its face. Nil means: the
	// initial condition's Value (read at t = Time.Lo), or zero if there is
	// none. Used only with Config.Constraints = Hard.
	Lift func(p []float64) float64
}

// Constraints selects how the Dirichlet and initial conditions are met.
type Constraints int

const (
	// Soft adds each condition as a penalty term mean((u − g)²) to the
	// loss (Raissi et al.). It is the zero value.
	Soft Constraints = iota
	// Hard transforms the output to u = g + d(p)·N(p), where d vanishes
	// exactly on every face that carries a Dirichlet condition and at
	// t = Time.Lo when there is an initial condition, and g = Problem.Lift.
	// Those conditions then hold exactly and leave the loss. Neumann and
	// periodic conditions stay penalties.
	Hard
)

// String names the mode.
func (c Constraints) String() string {
	switch c {
	case Soft:
		return "soft"
	case Hard:
		return "hard"
	}
	return fmt.Sprintf("Constraints(%d)", int(c))
}

// Config sets the network and the points. Its zero value means the defaults
// in the field comments.
type Config struct {
	// Hidden holds the hidden layer widths; nil means [20 20 20 20].
	Hidden []int
	// Activation names the hidden activation (tanh, sin, softplus,
	// sigmoid); "" means tanh.
	Activation string
	// Collocation is the number of interior collocation points; 0 means
	// 1000.
	Collocation int
	// CollocationPoints, if not nil, are used instead of drawing
	// Collocation points; it must then be non-empty.
	CollocationPoints [][]float64
	// BoundaryPoints is the number of points drawn per face for each
	// condition without its own Points; 0 means 100.
	BoundaryPoints int
	// Sampling is how points are drawn; the zero value is LatinHypercube.
	Sampling Sampling
	// Constraints is Soft (zero) or Hard.
	Constraints Constraints
	// ResidualWeight multiplies the residual penalty; 0 means 1.
	ResidualWeight float64
	// Seed seeds the weights and every point set.
	Seed uint64
	// Architecture is MLP (zero: the dense network) or ModifiedMLP.
	Architecture Architecture
	// Fourier is the input embedding: exact periodicity in the listed
	// dimensions and random Fourier features; the zero value means none.
	Fourier Fourier
	// Causal, if not nil, weights the residual by time slabs so that
	// later times train only once earlier ones are resolved (Wang,
	// Sankaran and Perdikaris 2022); see Causal.
	Causal *Causal `json:",omitempty"`
	// Balance, if not nil, sets the weights of the loss terms from the
	// norms of their gradients (Wang, Teng and Perdikaris 2021); see
	// Balance. Nil means the fixed weights of the conditions and
	// ResidualWeight.
	Balance *Balance `json:",omitempty"`
}

func (c Config) withDefaults() (Config, error) {
	if c.Hidden == nil {
		c.Hidden = []int{20, 20, 20, 20}
	}
	for i, h := range c.Hidden {
		if h < 1 {
			return c, errorf(ErrInput, "Config.Hidden[%d] = %d, want ≥ 1", i, h)
		}
	}
	if c.Activation == "" {
		c.Activation = "tanh"
	}
	if strings.EqualFold(c.Activation, "identity") {
		return c, errorf(ErrInput, "Config.Activation identity gives a linear network with zero second derivatives")
	}
	if c.Collocation < 0 {
		return c, errorf(ErrInput, "Config.Collocation = %d, want ≥ 0 (0 means 1000)", c.Collocation)
	}
	if c.CollocationPoints != nil && len(c.CollocationPoints) == 0 {
		return c, errorf(ErrInput, "no collocation points: Config.CollocationPoints is empty")
	}
	if c.Collocation == 0 {
		c.Collocation = 1000
	}
	if c.BoundaryPoints < 0 {
		return c, errorf(ErrInput, "Config.BoundaryPoints = %d, want ≥ 0 (0 means 100)", c.BoundaryPoints)
	}
	if c.BoundaryPoints == 0 {
		c.BoundaryPoints = 100
	}
	if c.Sampling != LatinHypercube && c.Sampling != Uniform {
		return c, errorf(ErrInput, "unknown Config.Sampling %d", int(c.Sampling))
	}
	if c.Constraints != Soft && c.Constraints != Hard {
		return c, errorf(ErrInput, "unknown Config.Constraints %d", int(c.Constraints))
	}
	if c.ResidualWeight < 0 || math.IsNaN(c.ResidualWeight) || math.IsInf(c.ResidualWeight, 0) {
		return c, errorf(ErrInput, "Config.ResidualWeight = %v, want ≥ 0", c.ResidualWeight)
	}
	if c.ResidualWeight == 0 {
		c.ResidualWeight = 1
	}
	switch c.Architecture {
	case MLP:
	case ModifiedMLP:
		if len(c.Hidden) == 0 {
			return c, errorf(ErrInput, "Config.Hidden is empty; the modified MLP needs at least one hidden layer")
		}
		for i, h := range c.Hidden {
			if h != c.Hidden[0] {
				return c, errorf(ErrInput, "Config.Hidden[%d] = %d but Hidden[0] = %d: the modified MLP's hidden layers share one width", i, h, c.Hidden[0])
			}
		}
	default:
		return c, errorf(ErrInput, "unknown Config.Architecture %d", int(c.Architecture))
	}
	if c.Causal != nil {
		cc, err := c.Causal.withDefaults()
		if err != nil {
			return c, err
		}
		c.Causal = &cc
	}
	if c.Balance != nil {
		bb, err := c.Balance.withDefaults()
		if err != nil {
			return c, err
		}
		c.Balance = &bb
	}
	return c, nil
}

// checkPoints checks that every point has the domain's dimension and finite
// coordinates.
func checkPoints(what string, pts [][]float64, dim int) error {
	for i, p := range pts {
		if len(p) != dim {
			return errorf(ErrInput, "%s point %d has %d coordinates, want %d", what, i, len(p), dim)
		}
		for k, v := range p {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return errorf(ErrNotFinite, "%s point %d coordinate %d is %v", what, i, k, v)
			}
		}
	}
	return nil
}

// validate checks everything that does not need a graph.
func (p *Problem) validate() error {
	if err := p.Domain.Validate(); err != nil {
		return err
	}
	if p.Residual == nil {
		return errorf(ErrInput, "Problem.Residual is nil")
	}
	for i, c := range p.Conditions {
		if err := c.check(p.Domain, i); err != nil {
			return err
		}
	}
	if d := p.Data; d != nil {
		if len(d.X) == 0 {
			return errorf(ErrInput, "Problem.Data has no points")
		}
		if len(d.X) != len(d.U) {
			return errorf(ErrInput, "Problem.Data has %d points and %d values", len(d.X), len(d.U))
		}
		if err := checkPoints("data", d.X, p.Domain.Dim()); err != nil {
			return err
		}
		for i, u := range d.U {
			if math.IsNaN(u) || math.IsInf(u, 0) {
				return errorf(ErrNotFinite, "data value %d is %v", i, u)
			}
		}
		if d.Weight < 0 || math.IsNaN(d.Weight) {
			return errorf(ErrInput, "Problem.Data.Weight = %v, want ≥ 0", d.Weight)
		}
	}
	seen := map[string]bool{}
	for i, u := range p.Unknowns {
		if u.Name == "" {
			return errorf(ErrInput, "unknown %d has no name", i)
		}
		if seen[u.Name] {
			return errorf(ErrInput, "unknown %q is listed twice", u.Name)
		}
		seen[u.Name] = true
		if math.IsNaN(u.Init) || math.IsInf(u.Init, 0) {
			return errorf(ErrNotFinite, "unknown %q starts at %v", u.Name, u.Init)
		}
		if u.Positive && !(u.Init > 0) {
			return errorf(ErrInput, "unknown %q is Positive but starts at %v", u.Name, u.Init)
		}
	}
	return nil
}
