package lnn

import (
	"errors"
	"fmt"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/rollout"
)

// Method is an integrator for Rollout: RK4(), Leapfrog(), Yoshida4(),
// DormandPrince(rtol, atol) or ImplicitMidpoint(). The zero Method is an
// error, not a default. String names it, Order gives its order.
type Method = rollout.Method

// Trajectory is a rollout: the states X[i] at the times T[i] = i·t1/steps,
// each laid out as the initial states were (one or more states, row after
// row), X[0] the initial states.
type Trajectory = rollout.Trajectory

// RK4 is the classical fourth-order Runge–Kutta method with fixed steps.
func RK4() Method { return rollout.RK4() }

// Leapfrog is the Störmer–Verlet method, order 2, symplectic. It needs
// q̈ to depend on q only: Rollout allows it only for a System with
// Separable set (a learned model is not).
func Leapfrog() Method { return rollout.Leapfrog() }

// Yoshida4 is Yoshida's fourth-order symplectic composition of leapfrog
// steps; like Leapfrog it needs a separable System.
func Yoshida4() Method { return rollout.Yoshida4() }

// DormandPrince is the adaptive Dormand–Prince 5(4) method with the given
// relative and absolute tolerances (both required and positive); the
// trajectory is read at the equally spaced output times.
func DormandPrince(rtol, atol float64) Method { return rollout.DormandPrince(rtol, atol) }

// ImplicitMidpoint is the implicit midpoint rule, order 2, solved by
// fixed-point iteration; in (q, q̇) coordinates it is not symplectic for a
// position-dependent mass matrix, but it is A-stable and time-reversible.
func ImplicitMidpoint() Method { return rollout.ImplicitMidpoint() }

// Rollout integrates the dynamics d from the states x0 (one, or several
// row after row: q then q̇, 2n values each) over [0, t1] in steps equal
// steps with the method m, and returns the trajectory. If d fails at some
// state (for a Model, a singular learned mass matrix: an error matching
// ErrSingular that errors.As finds as a *SingularError) or the state stops
// being finite (a *DivergedError, matching ErrDiverged), the rollout stops
// with an error that gives the time; the states computed before it (at
// least x0) come back with the error, and no Inf or NaN state is ever
// returned. The trajectory must fit in 2^30 values.
func Rollout(d Dynamics, x0 []float64, t1 float64, steps int, m Method) (*Trajectory, error) {
	return run(d, x0, t1, steps, 0, m)
}

// run is Rollout with an optional fixed step dt (t1 = steps·dt), which
// Evaluate uses to step exactly by its EvalConfig.DT.
func run(d Dynamics, x0 []float64, t1 float64, steps int, dt float64, m Method) (*Trajectory, error) {
	if d == nil {
		return nil, errorf(ErrInput, "Rollout: nil dynamics")
	}
	if mdl, ok := d.(*Model); ok {
		if err := mdl.check(); err != nil {
			return nil, err
		}
	}
	sep := false
	if s, ok := d.(System); ok {
		if err := s.check(); err != nil {
			return nil, err
		}
		sep = s.Separable
	}
	w := d.Dim()
	if w <= 0 || w%2 != 0 {
		return nil, errorf(ErrInput, "Rollout: the dynamics' states have %d values; must be even and positive (q and q̇)", w)
	}
	n := w / 2
	var qdd []float64
	f := func(x, dxdt []float64) error {
		B := len(x) / w
		if len(qdd) != B*n {
			qdd = make([]float64, B*n)
		}
		if err := d.Accel(x, qdd); err != nil {
			return err
		}
		for r := 0; r < B; r++ {
			copy(dxdt[r*w:r*w+n], x[r*w+n:(r+1)*w])
			copy(dxdt[r*w+n:(r+1)*w], qdd[r*n:(r+1)*n])
		}
		return nil
	}
	tr, err := rollout.Run(rollout.Problem{Prefix: "lnn", F: f, Dim: w, X0: x0, T1: t1, Steps: steps, Step: dt, Method: m, Separable: sep})
	if err != nil && tr != nil && errors.Is(err, ErrNotFinite) {
		last := tr.T[len(tr.T)-1]
		return tr, &DivergedError{T: last + t1/float64(steps), Err: err}
	}
	return tr, err
}

// DivergedError reports a rollout whose state stopped being finite. It
// matches ErrDiverged and, through Err, ErrNotFinite.
type DivergedError struct {
	// T is the end of the step that gave a non-finite state.
	T float64
	// Err is the integrator's error.
	Err error
}

// Error gives the time of the blow-up and the integrator's error.
func (e *DivergedError) Error() string {
	return fmt.Sprintf("lnn: rollout diverged by t = %.4g: %v", e.T, fail.Trim(e.Err, "lnn"))
}

// Unwrap returns the integrator's error.
func (e *DivergedError) Unwrap() error { return e.Err }

// Is makes a *DivergedError match ErrDiverged.
func (e *DivergedError) Is(target error) bool { return target == ErrDiverged }
