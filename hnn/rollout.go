package hnn

import (
	"github.com/physbias/physbias/internal/rollout"
)

// Field is a vector field on phase space: a learned Model or a true
// System, or a user's own.
type Field interface {
	// Dim returns the length of a state, 2n.
	Dim() int
	// Deriv writes dx/dt at each state of x (row after row, Dim values a
	// row) into dxdt.
	Deriv(x, dxdt []float64) error
}

// Method is an integrator for Rollout: RK4(), Leapfrog(), Yoshida4(),
// DormandPrince(rtol, atol) or ImplicitMidpoint(). The zero Method is an
// error, not a default. String names it, Order gives its order, and
// Symplectic says whether it preserves phase-space volume.
type Method = rollout.Method

// Trajectory is a rollout: the states X[i] at the times T[i] = i·t1/steps,
// each laid out as the initial states were (one or more states, row after
// row), X[0] the initial states.
type Trajectory = rollout.Trajectory

// RK4 is the classical fourth-order Runge–Kutta method with fixed steps,
// the paper's choice. It is not symplectic: over long times the energy
// drifts.
func RK4() Method { return rollout.RK4() }

// Leapfrog is the Störmer–Verlet method, order 2, symplectic. It needs a
// separable H = T(p) + V(q): Rollout allows it only for a System with
// Separable set (a learned H is not separable).
func Leapfrog() Method { return rollout.Leapfrog() }

// Yoshida4 is Yoshida's fourth-order symplectic composition of leapfrog
// steps; like Leapfrog it needs a separable System.
func Yoshida4() Method { return rollout.Yoshida4() }

// DormandPrince is the adaptive Dormand–Prince 5(4) method with the given
// relative and absolute tolerances (both required and positive); the
// trajectory is read at the equally spaced output times.
func DormandPrince(rtol, atol float64) Method { return rollout.DormandPrince(rtol, atol) }

// ImplicitMidpoint is the implicit midpoint rule, x₊ = x + h·f((x + x₊)/2):
// order 2 and symplectic for any Hamiltonian, separable or not, so it
// suits a learned H. Each step solves for the midpoint slope by fixed-point
// iteration to a relative change of 1e-12; a step too large for the field
// fails with an error matching ErrDiverged.
func ImplicitMidpoint() Method { return rollout.ImplicitMidpoint() }

// Rollout integrates f from the states x0 (one, or several row after row)
// over [0, t1] in steps equal steps with the method m, and returns the
// trajectory. All states advance together, so a Model is evaluated on one
// batch a stage. If the state becomes NaN or Inf, or f fails, Rollout
// returns the trajectory up to the last finite time with an error matching
// ErrNotFinite (or f's error; ErrDiverged when the implicit midpoint
// iteration fails). Leapfrog and Yoshida4 are allowed only for a System
// with Separable set.
func Rollout(f Field, x0 []float64, t1 float64, steps int, m Method) (*Trajectory, error) {
	sep, err := checkField(f)
	if err != nil {
		return nil, err
	}
	return rollout.Run(rollout.Problem{Prefix: "hnn", F: f.Deriv, Dim: f.Dim(), X0: x0, T1: t1, Steps: steps, Method: m, Separable: sep})
}

// checkField checks that f can be integrated (not nil, not a zero Model, a
// valid System, even dimension) and reports whether it is a System
// declared separable.
func checkField(f Field) (separable bool, err error) {
	switch s := f.(type) {
	case nil:
		return false, errorf(ErrInput, "nil field")
	case *Model:
		if err := s.ok(); err != nil {
			return false, err
		}
	case System:
		if err := s.check(); err != nil {
			return false, err
		}
		separable = s.Separable
	case *System:
		if s == nil {
			return false, errorf(ErrInput, "nil *System")
		}
		if err := s.check(); err != nil {
			return false, err
		}
		separable = s.Separable
	}
	if d := f.Dim(); d <= 0 || d%2 != 0 {
		return false, errorf(ErrInput, "the field's states have %d values; must be even and positive (q and p)", d)
	}
	return separable, nil
}
