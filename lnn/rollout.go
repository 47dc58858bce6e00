package lnn

import (
	"errors"
	"fmt"
	"math"

	"github.com/physbias/physbias/internal/ode"
)

// Rollout integrates the dynamics d from the state x0 (q then q̇, 2n
// values) with RK4 (internal/ode) in steps of dt over steps steps, and
// returns the trajectory: steps+1 states, row after row, starting with x0.
// If d fails at some state (for a Model, a singular learned mass matrix:
// a *SingularError) or the state stops being finite (a diverging model),
// the rollout stops with an error that gives the time; the states computed
// before it (at least x0) come back with the error, and no Inf or NaN state
// is ever returned. The trajectory must fit in 2^30 values:
// (steps+1)·2n ≤ 2^30.
func Rollout(d Dynamics, x0 []float64, dt float64, steps int) ([]float64, error) {
	if d == nil {
		return nil, fmt.Errorf("lnn: Rollout: nil dynamics")
	}
	n := d.Dof()
	if n < 1 {
		return nil, fmt.Errorf("lnn: Rollout: dynamics has %d coordinates", n)
	}
	if err := checkState("Rollout initial", x0, n); err != nil {
		return nil, err
	}
	if !(dt > 0) || math.IsInf(dt, 0) {
		return nil, fmt.Errorf("lnn: Rollout: step dt = %v; must be positive and finite", dt)
	}
	if steps < 1 || steps >= maxRolloutValues/(2*n) {
		return nil, fmt.Errorf("lnn: Rollout: %d steps; need at least 1 and (steps+1)·%d ≤ 2^30 values", steps, 2*n)
	}
	out := make([]float64, 0, (steps+1)*2*n)
	out = append(out, x0...)
	var failure error
	var failT float64
	f := func(t float64, y, dydt []float64) {
		if failure != nil {
			fillNaN(dydt)
			return
		}
		copy(dydt[:n], y[n:])
		if err := d.Accel(y, dydt[n:]); err != nil {
			failure, failT = err, t
			fillNaN(dydt) // makes ode.Solve stop at this step
		}
	}
	_, _, err := ode.Solve(f, ode.RK4(), x0, 0, dt*float64(steps), dt, func(_ float64, y []float64) {
		out = append(out, y...)
	})
	if failure != nil {
		return out, fmt.Errorf("lnn: rollout failed at t = %.4g: %w", failT, failure)
	}
	if err != nil {
		if errors.Is(err, ode.ErrNotFinite) {
			return out, &DivergedError{T: float64(len(out)/(2*n)) * dt, Err: err}
		}
		return out, fmt.Errorf("lnn: rollout: %v", err)
	}
	return out, nil
}

// maxRolloutValues bounds the length of a rollout's trajectory.
const maxRolloutValues = 1 << 30

func fillNaN(v []float64) {
	for i := range v {
		v[i] = math.NaN()
	}
}

// DivergedError reports a rollout whose state stopped being finite.
type DivergedError struct {
	// T is the time of the first step that gave a non-finite state.
	T float64
	// Err is the integrator's error.
	Err error
}

// Error gives the time of the blow-up and the integrator's error.
func (e *DivergedError) Error() string {
	return fmt.Sprintf("lnn: rollout diverged at t = %.4g: %v", e.T, e.Err)
}

// Unwrap returns the integrator's error (ode.ErrNotFinite).
func (e *DivergedError) Unwrap() error { return e.Err }
