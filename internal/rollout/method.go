package rollout

import (
	"fmt"
	"math"

	"github.com/physbias/physbias/internal/ode"
)

// kind names an integrator; the zero Method has none.
type kind int

const (
	none kind = iota
	rk4
	leapfrog
	yoshida4
	dormandPrince
	implicitMidpoint
)

// Method is an integrator for Rollout: make one with RK4, Leapfrog,
// Yoshida4, DormandPrince or ImplicitMidpoint. The zero Method is an
// error, not a default.
type Method struct {
	k          kind
	rtol, atol float64
}

// RK4 is the classical fourth-order Runge–Kutta method with fixed steps:
// order 4, four evaluations a step, not symplectic (the energy drifts).
func RK4() Method { return Method{k: rk4} }

// Leapfrog is the Störmer–Verlet method (kick-drift-kick) with fixed
// steps: order 2, symplectic and time-reversible, two evaluations a step.
// It needs a separable field (see the package documentation).
func Leapfrog() Method { return Method{k: leapfrog} }

// Yoshida4 is Yoshida (1990)'s fourth-order symplectic composition of
// three leapfrog steps, six evaluations a step. It needs a separable field.
func Yoshida4() Method { return Method{k: yoshida4} }

// DormandPrince is the adaptive Dormand–Prince 5(4) pair with the given
// relative and absolute tolerances of the local error (both required and
// positive, for example 1e-8 and 1e-10); the trajectory is read at the
// equally spaced output times.
func DormandPrince(rtol, atol float64) Method {
	return Method{k: dormandPrince, rtol: rtol, atol: atol}
}

// ImplicitMidpoint is the implicit midpoint rule x₊ = x + h·f((x + x₊)/2):
// order 2 and symplectic for any Hamiltonian field, separable or not. Each
// step solves for the midpoint slope by fixed-point iteration to a
// relative change of 1e-12 (at most 100 sweeps; it fails if the step is
// too large for the field to contract).
func ImplicitMidpoint() Method { return Method{k: implicitMidpoint} }

// String names the method.
func (m Method) String() string {
	switch m.k {
	case rk4:
		return "RK4"
	case leapfrog:
		return "leapfrog"
	case yoshida4:
		return "Yoshida4"
	case dormandPrince:
		return fmt.Sprintf("Dormand–Prince(rtol=%g, atol=%g)", m.rtol, m.atol)
	case implicitMidpoint:
		return "implicit midpoint"
	}
	return "no method"
}

// Order is the order of the method's global error.
func (m Method) Order() int {
	switch m.k {
	case rk4, yoshida4:
		return 4
	case leapfrog, implicitMidpoint:
		return 2
	case dormandPrince:
		return 5
	}
	return 0
}

// Symplectic reports whether the method preserves phase-space volume
// (for a Hamiltonian field).
func (m Method) Symplectic() bool {
	return m.k == leapfrog || m.k == yoshida4 || m.k == implicitMidpoint
}

// NeedsSeparable reports whether the method is only right on a separable
// field (Leapfrog and Yoshida4).
func (m Method) NeedsSeparable() bool { return m.k == leapfrog || m.k == yoshida4 }

// check validates the method's settings.
func (m Method) check() error {
	switch m.k {
	case none:
		return fmt.Errorf("no integrator chosen (the zero Method); use RK4(), Leapfrog(), Yoshida4(), DormandPrince(rtol, atol) or ImplicitMidpoint()")
	case dormandPrince:
		if !(m.rtol > 0) || !(m.atol > 0) || math.IsInf(m.rtol, 0) || math.IsInf(m.atol, 0) {
			return fmt.Errorf("DormandPrince needs positive finite tolerances, got rtol %v, atol %v", m.rtol, m.atol)
		}
	case rk4, leapfrog, yoshida4, implicitMidpoint:
	default:
		return fmt.Errorf("unknown integrator %d", int(m.k))
	}
	return nil
}

// fixed returns internal/ode's fixed-step method for m, or nil.
func (m Method) fixed() ode.Method {
	switch m.k {
	case rk4:
		return ode.RK4()
	case leapfrog:
		return ode.Leapfrog()
	case yoshida4:
		return ode.Yoshida4()
	}
	return nil
}
