package pinn

import "fmt"

// Kind is the type of an initial or boundary condition.
type Kind int

const (
	// Dirichlet fixes the value: u = Value(p) on the face.
	Dirichlet Kind = iota + 1
	// Neumann fixes the outward normal derivative: ∂u/∂n = Value(p) on the
	// face (−∂u/∂x_dim on the lower face, +∂u/∂x_dim on the upper one).
	Neumann
	// Periodic ties the two faces of a dimension: u and ∂u/∂x_dim are equal
	// at (…, Lo, …) and (…, Hi, …). Value and Side are ignored.
	Periodic
	// Initial fixes the value at t = Time.Lo: u = Value(p). Dim and Side
	// are ignored.
	Initial
	// InitialRate fixes the time derivative at t = Time.Lo: ∂u/∂t =
	// Value(p), the second initial condition of an equation of second
	// order in time (the wave equation's initial velocity). Dim and Side
	// are ignored. It stays a penalty under hard constraints.
	InitialRate
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case Dirichlet:
		return "dirichlet"
	case Neumann:
		return "neumann"
	case Periodic:
		return "periodic"
	case Initial:
		return "initial"
	case InitialRate:
		return "initial-rate"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Side selects the faces of a spatial dimension a condition holds on.
type Side int

const (
	// Both is the lower and the upper face (the zero value).
	Both Side = iota
	// Lower is the face x_dim = Lo.
	Lower
	// Upper is the face x_dim = Hi.
	Upper
)

// Condition is one initial or boundary condition.
type Condition struct {
	// Kind is Dirichlet, Neumann, Periodic, Initial or InitialRate.
	Kind Kind
	// Dim is the spatial dimension whose faces the condition holds on
	// (ignored for Initial and InitialRate).
	Dim int
	// Side selects the faces (Dirichlet and Neumann); zero means Both.
	Side Side
	// Value gives the prescribed value at a point p = (x…, t) of the face;
	// nil means zero. Ignored for Periodic.
	Value func(p []float64) float64
	// Weight multiplies this condition's penalty in the loss; 0 means 1.
	Weight float64
	// Points is the number of points drawn for the condition (per face);
	// 0 means Config.BoundaryPoints.
	Points int
}

func (c Condition) weight() float64 {
	if c.Weight == 0 {
		return 1
	}
	return c.Weight
}

func (c Condition) value(p []float64) float64 {
	if c.Value == nil {
		return 0
	}
	return c.Value(p)
}

func (c Condition) sides() []bool { // false = lower, true = upper
	switch c.Side {
	case Lower:
		return []bool{false}
	case Upper:
		return []bool{true}
	}
	return []bool{false, true}
}

// check validates c against the domain; i is its index for messages.
func (c Condition) check(d Domain, i int) error {
	switch c.Kind {
	case Dirichlet, Neumann, Periodic:
		if c.Dim < 0 || c.Dim >= len(d.Space) {
			return errorf(ErrInput, "condition %d (%v): dimension %d out of range [0, %d)", i, c.Kind, c.Dim, len(d.Space))
		}
		if c.Side < Both || c.Side > Upper {
			return errorf(ErrInput, "condition %d (%v): unknown side %d", i, c.Kind, int(c.Side))
		}
	case Initial, InitialRate:
		if !d.HasTime() {
			return errorf(ErrInput, "condition %d (%v): an initial condition needs a time interval; the domain is steady", i, c.Kind)
		}
	default:
		return errorf(ErrInput, "condition %d: unknown kind %d", i, int(c.Kind))
	}
	if c.Weight < 0 || c.Weight != c.Weight {
		return errorf(ErrInput, "condition %d (%v): weight %v, want ≥ 0", i, c.Kind, c.Weight)
	}
	if c.Points < 0 {
		return errorf(ErrInput, "condition %d (%v): %d points, want ≥ 0", i, c.Kind, c.Points)
	}
	return nil
}
