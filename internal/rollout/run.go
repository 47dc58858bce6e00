package rollout

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/ode"
)

// Func writes dx/dt at the states x (one or more, row after row) into
// dxdt (len(x)); it returns an error to stop the rollout. The field is
// autonomous (no time argument). It must not keep x or dxdt.
type Func func(x, dxdt []float64) error

// Trajectory is the result of a rollout: the states X[i] at the times
// T[i] = i·t1/steps, X[0] the initial states.
type Trajectory struct {
	// T holds the output times, from 0.
	T []float64
	// X holds the states at those times, each laid out as the initial
	// states were (one or more states, row after row).
	X [][]float64
}

// Problem is one rollout.
type Problem struct {
	// Prefix starts the error messages (a package name).
	Prefix string
	// F is the vector field.
	F Func
	// Dim is the length of one state.
	Dim int
	// X0 holds the initial states, row after row (a multiple of Dim).
	X0 []float64
	// T1 is the end time (positive); the outputs are at i·T1/Steps.
	T1 float64
	// Steps is the number of output intervals (and of fixed steps).
	Steps int
	// Step, if positive, is the fixed step size and the output spacing,
	// for a caller that counts in steps of a given size (T1 must then be
	// Steps·Step); 0 means T1/Steps. Outputs are at i·Step.
	Step float64
	// Method is the integrator.
	Method Method
	// Separable, set by the caller, promises dq/dt depends only on the
	// second half of a state and dp/dt only on the first (needed for
	// Leapfrog and Yoshida4).
	Separable bool
	// Check, if not nil, is called with each new output time and states;
	// an error stops the rollout (the states are left out) and is returned
	// as it is.
	Check func(t float64, x []float64) error
	// What names the thing being rolled out in messages ("states"); empty
	// means "state".
	What string
}

// MaxValues bounds the number of values in a trajectory.
const MaxValues = 1 << 30

// Run integrates p and returns its trajectory (see the package
// documentation for failures).
func Run(p Problem) (*Trajectory, error) {
	pre := p.Prefix
	bad := func(format string, a ...any) (*Trajectory, error) {
		return nil, fail.Errorf(fail.ErrInput, pre, "Rollout: "+format, a...)
	}
	if p.F == nil {
		return bad("nil vector field")
	}
	if err := p.Method.check(); err != nil {
		return bad("%v", err)
	}
	if p.Dim <= 0 {
		return bad("state dimension %d, want > 0", p.Dim)
	}
	if len(p.X0) == 0 || len(p.X0)%p.Dim != 0 {
		return bad("%d initial values are not whole states of dimension %d", len(p.X0), p.Dim)
	}
	for i, v := range p.X0 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fail.Errorf(fail.ErrNotFinite, pre, "Rollout: initial value %d is %v", i, v)
		}
	}
	if !(p.T1 > 0) || math.IsInf(p.T1, 0) {
		return bad("end time %v, want positive and finite", p.T1)
	}
	if p.Steps < 1 || p.Steps >= MaxValues/len(p.X0) {
		return bad("%d steps; need at least 1 and (steps+1)·%d ≤ 2^30 values", p.Steps, len(p.X0))
	}
	if p.Method.NeedsSeparable() {
		if !p.Separable {
			return bad("%v needs a separable field (dq/dt from p only, dp/dt from q only), and this one is not declared separable; use ImplicitMidpoint (symplectic for any Hamiltonian), RK4 or DormandPrince", p.Method)
		}
		if p.Dim%2 != 0 {
			return bad("%v needs states of even length (q, p), got %d", p.Method, p.Dim)
		}
	}
	h := p.T1 / float64(p.Steps)
	if p.Step != 0 {
		if !(p.Step > 0) || math.IsInf(p.Step, 0) || math.Abs(p.Step*float64(p.Steps)-p.T1) > 1e-9*p.T1 {
			return bad("step %v does not divide the end time %v into %d steps", p.Step, p.T1, p.Steps)
		}
		h = p.Step
	}
	r := &runner{p: p, h: h}
	r.traj = &Trajectory{T: make([]float64, 0, p.Steps+1), X: make([][]float64, 0, p.Steps+1)}
	r.out(0, p.X0)
	var err error
	switch {
	case p.Method.fixed() != nil:
		err = r.fixed()
	case p.Method.k == dormandPrince:
		err = r.adaptive()
	default:
		err = r.midpoint()
	}
	return r.traj, err
}

type runner struct {
	p    Problem
	h    float64
	traj *Trajectory
	ferr error   // the field's first error
	fT   float64 // and the time it happened
	cerr error   // Check's error
}

func (r *runner) out(t float64, x []float64) {
	r.traj.T = append(r.traj.T, t)
	r.traj.X = append(r.traj.X, append([]float64(nil), x...))
}

// rhs adapts F to internal/ode: after a failure it writes NaN, which
// makes the solver stop at once.
func (r *runner) rhs(t float64, y, dydt []float64) {
	if r.ferr != nil || r.cerr != nil {
		fillNaN(dydt)
		return
	}
	if err := r.call(y, dydt); err != nil {
		r.ferr, r.fT = err, t
		fillNaN(dydt)
	}
}

// call runs F, turning a panic into an error.
func (r *runner) call(y, dydt []float64) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fail.Errorf(fail.ErrCallback, r.p.Prefix, "vector field panicked: %v", v)
		}
	}()
	return r.p.F(y, dydt)
}

// observe records an output state unless Check rejects it.
func (r *runner) observe(t float64, y []float64) {
	if r.cerr != nil || r.ferr != nil {
		return
	}
	if r.p.Check != nil {
		if err := r.p.Check(t, y); err != nil {
			r.cerr = err
			return
		}
	}
	r.out(t, y)
}

// failure turns the solver's error and the recorded ones into the
// rollout's error.
func (r *runner) failure(err error) error {
	switch {
	case r.cerr != nil:
		return r.cerr
	case r.ferr != nil:
		return r.fieldErr(r.ferr, r.fT)
	case err == nil:
		return nil
	case errors.Is(err, ode.ErrNotFinite):
		t := r.traj.T[len(r.traj.T)-1]
		return fail.Errorf(fail.ErrNotFinite, r.p.Prefix, "Rollout (%v): the state became NaN or Inf between t = %.6g and t = %.6g: %w",
			r.p.Method, t, t+r.h, err)
	case errors.Is(err, ode.ErrStepSize), errors.Is(err, ode.ErrStepLimit):
		t := r.traj.T[len(r.traj.T)-1]
		return fail.Errorf(fail.ErrDiverged, r.p.Prefix, "Rollout (%v): the adaptive solver gave up between t = %.6g and t = %.6g (a singularity or a stiff field): %w",
			r.p.Method, t, t+r.h, err)
	}
	return fmt.Errorf("%s: Rollout (%v): %w", r.p.Prefix, r.p.Method, err)
}

// fieldErr adds the time to the field's error, keeping one prefix.
func (r *runner) fieldErr(err error, t float64) error {
	if strings.HasPrefix(err.Error(), r.p.Prefix+": ") {
		return &timed{err: err, t: t}
	}
	return fmt.Errorf("%s: Rollout (%v) at t = %.6g: %w", r.p.Prefix, r.p.Method, t, err)
}

// timed is a field error that already carries the package prefix, with
// the time appended.
type timed struct {
	err error
	t   float64
}

func (e *timed) Error() string { return fmt.Sprintf("%v (rollout at t = %.6g)", e.err, e.t) }
func (e *timed) Unwrap() error { return e.err }

func (r *runner) fixed() error {
	k := len(r.p.X0) / r.p.Dim
	if !r.p.Method.NeedsSeparable() || k == 1 {
		_, _, err := ode.Solve(r.rhs, r.p.Method.fixed(), r.p.X0, 0, r.p.T1, r.h, r.observe)
		return r.failure(err)
	}
	// internal/ode's symplectic methods read the whole vector as (q, p):
	// integrate the batch as (all q, all p) and permute at the boundary.
	n, half := len(r.p.X0), r.p.Dim/2
	toSplit := func(dst, x []float64) {
		for s := 0; s < k; s++ {
			copy(dst[s*half:], x[s*r.p.Dim:s*r.p.Dim+half])
			copy(dst[n/2+s*half:], x[s*r.p.Dim+half:(s+1)*r.p.Dim])
		}
	}
	fromSplit := func(dst, y []float64) {
		for s := 0; s < k; s++ {
			copy(dst[s*r.p.Dim:], y[s*half:(s+1)*half])
			copy(dst[s*r.p.Dim+half:], y[n/2+s*half:n/2+(s+1)*half])
		}
	}
	x, dx := make([]float64, n), make([]float64, n)
	rhs := func(t float64, y, dydt []float64) {
		fromSplit(x, y)
		r.rhs(t, x, dx)
		toSplit(dydt, dx)
	}
	obs := func(t float64, y []float64) {
		fromSplit(x, y)
		r.observe(t, x)
	}
	y0 := make([]float64, n)
	toSplit(y0, r.p.X0)
	_, _, err := ode.Solve(rhs, r.p.Method.fixed(), y0, 0, r.p.T1, r.h, obs)
	return r.failure(err)
}

func (r *runner) adaptive() error {
	a := ode.Adaptive{RTol: r.p.Method.rtol, ATol: r.p.Method.atol}
	y := append([]float64(nil), r.p.X0...)
	for i := 1; i <= r.p.Steps; i++ {
		t0, t1 := float64(i-1)*r.h, float64(i)*r.h
		if i == r.p.Steps {
			t1 = r.p.T1
		}
		next, _, err := a.Solve(r.rhs, y, t0, t1, nil)
		if err != nil || r.ferr != nil {
			return r.failure(err)
		}
		r.observe(t1, next)
		if r.cerr != nil {
			return r.cerr
		}
		y = next
	}
	return nil
}

// midpointIters bounds the fixed-point sweeps of one implicit midpoint
// step; the iteration contracts when h·L/2 < 1 (L the field's Lipschitz
// constant), by about that factor a sweep.
const midpointIters = 100

func (r *runner) midpoint() error {
	n := len(r.p.X0)
	x := append([]float64(nil), r.p.X0...)
	k, kn, mid := make([]float64, n), make([]float64, n), make([]float64, n)
	h := r.h
	for i := 1; i <= r.p.Steps; i++ {
		t := float64(i-1) * h
		if err := r.call(x, k); err != nil {
			return r.fieldErr(err, t)
		}
		converged := false
		for it := 0; it < midpointIters && !converged; it++ {
			for j := range x {
				mid[j] = x[j] + h/2*k[j]
			}
			if err := r.call(mid, kn); err != nil {
				return r.fieldErr(err, t+h/2)
			}
			worst := 0.0
			for j := range x {
				c := h * math.Abs(kn[j]-k[j]) / (1 + math.Abs(x[j]))
				if c > worst || math.IsNaN(c) {
					worst = c
				}
			}
			k, kn = kn, k
			converged = worst < 1e-12
		}
		if !converged {
			return fail.Errorf(fail.ErrDiverged, r.p.Prefix, "Rollout (implicit midpoint): the iteration did not converge in %d sweeps at t = %.6g (step %v too large for this field)", midpointIters, t, h)
		}
		for j := range x {
			x[j] += h * k[j]
		}
		for j, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fail.Errorf(fail.ErrNotFinite, r.p.Prefix, "Rollout (implicit midpoint): state value %d became %v between t = %.6g and t = %.6g", j, v, t, t+h)
			}
		}
		tn := float64(i) * h
		if i == r.p.Steps {
			tn = r.p.T1
		}
		r.observe(tn, x)
		if r.cerr != nil {
			return r.cerr
		}
	}
	return nil
}

func fillNaN(v []float64) {
	for i := range v {
		v[i] = math.NaN()
	}
}
