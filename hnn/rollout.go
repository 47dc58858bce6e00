package hnn

import (
	"fmt"
	"math"

	"github.com/physbias/physbias/internal/ode"
)

// Field is a vector field on phase space: a learned model or a true
// System.
type Field interface {
	// Dimension returns the phase-space dimension.
	Dimension() int
	// Deriv writes dx/dt at each state of x (row after row, Dimension
	// values a row) into dxdt.
	Deriv(x, dxdt []float64) error
}

// Integrator names a fixed-step method for Rollout.
type Integrator int

const (
	// RK4 is the classical 4th-order Runge–Kutta method, the paper's
	// choice. It is not symplectic: over long times the energy drifts.
	RK4 Integrator = iota
	// ImplicitMidpoint is the implicit midpoint rule,
	// x₊ = x + h·f((x + x₊)/2), 2nd order and symplectic for any
	// Hamiltonian, separable or not (a learned H is in general not
	// separable, so leapfrog does not apply). Each step solves for the
	// midpoint slope by fixed-point iteration to a tolerance of 1e-12.
	ImplicitMidpoint
)

// String returns the method's name.
func (m Integrator) String() string {
	switch m {
	case RK4:
		return "RK4"
	case ImplicitMidpoint:
		return "implicit midpoint"
	}
	return fmt.Sprintf("Integrator(%d)", int(m))
}

// Rollout integrates f from each of the states in x0 (row after row) over
// [0, t1] in steps equal steps. It returns the trajectory as
// (steps+1) blocks, one a time point, each holding all the states row
// after row: out[(i*K + k)*Dim + j] is coordinate j of trajectory k at
// time i·t1/steps. All trajectories advance together, so a model is
// evaluated on one batch a stage.
func Rollout(f Field, x0 []float64, t1 float64, steps int, method Integrator) ([]float64, error) {
	if f == nil {
		return nil, fmt.Errorf("hnn: nil field")
	}
	d := f.Dimension()
	if d <= 0 || d%2 != 0 {
		return nil, fmt.Errorf("hnn: field has phase-space dimension %d; it must be even and positive", d)
	}
	if len(x0) == 0 || len(x0)%d != 0 {
		return nil, fmt.Errorf("hnn: %d initial values are not whole states of dimension %d", len(x0), d)
	}
	if err := finite("initial state", x0); err != nil {
		return nil, err
	}
	if steps < 1 {
		return nil, fmt.Errorf("hnn: %d rollout steps; need at least 1", steps)
	}
	if !(t1 > 0) || math.IsInf(t1, 0) {
		return nil, fmt.Errorf("hnn: rollout end time %v; must be positive and finite", t1)
	}
	n := len(x0)
	out := make([]float64, (steps+1)*n)
	copy(out, x0)
	h := t1 / float64(steps)
	var step func(x []float64) error
	switch method {
	case RK4:
		step = newRK4(f, n, h)
	case ImplicitMidpoint:
		step = newMidpoint(f, n, h)
	default:
		return nil, fmt.Errorf("hnn: unknown integrator %v", method)
	}
	x := append([]float64(nil), x0...)
	for i := 1; i <= steps; i++ {
		if err := step(x); err != nil {
			return nil, fmt.Errorf("hnn: %v rollout, step %d: %w", method, i, err)
		}
		if err := finite("rollout state", x); err != nil {
			return nil, fmt.Errorf("hnn: %v rollout diverged at step %d (t = %v)", method, i, float64(i)*h)
		}
		copy(out[i*n:], x)
	}
	return out, nil
}

// newRK4 returns one classical RK4 step of size h (internal/ode's RK4) on
// the n values of all states together.
func newRK4(f Field, n int, h float64) func(x []float64) error {
	m := ode.RK4()
	var ferr error
	rhs := func(_ float64, y, dydt []float64) {
		if ferr != nil {
			return
		}
		ferr = f.Deriv(y, dydt)
	}
	return func(x []float64) error {
		if err := m.Step(rhs, 0, x, h); err != nil {
			return err
		}
		return ferr
	}
}

// midpointIters bounds the fixed-point iterations of one implicit
// midpoint step; the iteration contracts when h·L/2 < 1 (L the field's
// Lipschitz constant), by that factor a sweep.
const midpointIters = 100

// newMidpoint returns one implicit midpoint step of size h for n values:
// it iterates k ← f(x + h/2·k) from k = f(x) until the update changes the
// new state by less than 1e-12·(1 + |x|) in every coordinate.
func newMidpoint(f Field, n int, h float64) func(x []float64) error {
	k, kn, mid := make([]float64, n), make([]float64, n), make([]float64, n)
	return func(x []float64) error {
		if err := f.Deriv(x, k); err != nil {
			return err
		}
		for it := 0; it < midpointIters; it++ {
			for i := range x {
				mid[i] = x[i] + h/2*k[i]
			}
			if err := f.Deriv(mid, kn); err != nil {
				return err
			}
			worst := 0.0
			for i := range x {
				c := h * math.Abs(kn[i]-k[i]) / (1 + math.Abs(x[i]))
				if c > worst || math.IsNaN(c) {
					worst = c
				}
			}
			k, kn = kn, k
			if worst < 1e-12 {
				for i := range x {
					x[i] += h * k[i]
				}
				return nil
			}
		}
		return fmt.Errorf("implicit midpoint iteration did not converge in %d sweeps (step %v too large for this field)", midpointIters, h)
	}
}

// integrate advances the true system's single state x by t in n RK4
// steps (used to make data).
func integrate(sys System, x []float64, t float64, n int) error {
	step := newRK4(sys, len(x), t/float64(n))
	for i := 0; i < n; i++ {
		if err := step(x); err != nil {
			return err
		}
	}
	return nil
}
