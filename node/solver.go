package node

import (
	"fmt"
	"math"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/ode"
)

// Func is a right-hand side dy/dt = f(t, y): it writes dy/dt into dydt
// (len(y)) and returns nil, or an error that stops the solve. It must not
// keep y or dydt (the solvers reuse them).
type Func func(t float64, y, dydt []float64) error

// Solver is an integration method. Make one with Euler, Midpoint, RK4,
// BogackiShampine, DormandPrince, Leapfrog or Yoshida4; the zero value is
// not a method (Solve returns an error for it).
type Solver struct {
	tab   func() *ode.Tableau // explicit Runge–Kutta methods
	sym   func() ode.Method   // symplectic methods for separable systems
	name  string
	order int
	adapt bool
}

// Euler is the explicit Euler method: order 1, one evaluation a step.
func Euler() Solver { return tableauSolver(ode.EulerTableau) }

// Midpoint is the explicit midpoint method: order 2, two evaluations a
// step.
func Midpoint() Solver { return tableauSolver(ode.MidpointTableau) }

// RK4 is the classical Runge–Kutta method: order 4, four evaluations a
// step.
func RK4() Solver { return tableauSolver(ode.RK4Tableau) }

// BogackiShampine is the Bogacki–Shampine 3(2) pair (SciPy's RK23): order
// 3, adaptive with an embedded second-order estimate, three evaluations an
// accepted step (FSAL), cubic Hermite dense output. With Options.Dt it runs
// fixed steps.
func BogackiShampine() Solver { return tableauSolver(ode.BogackiShampineTableau) }

// DormandPrince is the Dormand–Prince 5(4) pair (SciPy's RK45, torchdiffeq's
// dopri5): order 5, adaptive with an embedded fourth-order estimate, six
// evaluations an accepted step (FSAL), fourth-order dense output. With
// Options.Dt it runs fixed steps.
func DormandPrince() Solver { return tableauSolver(ode.DormandPrinceTableau) }

// Leapfrog is the Störmer–Verlet method for a separable Hamiltonian
// system y = (q, p), where dq/dt (the first half of dydt) depends only on p
// and dp/dt (the second half) only on q: order 2, symplectic, fixed steps
// only, two evaluations a step. A non-separable f would give wrong
// answers, not an error, so Solve needs Options.Separable, the caller's
// promise that f is separable.
func Leapfrog() Solver {
	return Solver{sym: ode.Leapfrog, name: "Leapfrog", order: 2}
}

// Yoshida4 is Yoshida (1990)'s fourth-order symplectic composition of three
// leapfrog steps, for separable systems as Leapfrog (Options.Separable):
// order 4, fixed steps only, six evaluations a step.
func Yoshida4() Solver {
	return Solver{sym: ode.Yoshida4, name: "Yoshida4", order: 4}
}

func tableauSolver(mk func() *ode.Tableau) Solver {
	tb := mk()
	return Solver{tab: mk, name: tb.Name, order: tb.Order, adapt: tb.E != nil}
}

// Name is the method's name ("RK4", "Dormand–Prince 5(4)").
func (s Solver) Name() string { return s.name }

// Order is the order p of the method's global error, O(dt^p), as the tests
// measure it.
func (s Solver) Order() int { return s.order }

// Adaptive reports whether the method has an error estimate, so that it can
// adapt its steps (Options.RTol, Options.ATol).
func (s Solver) Adaptive() bool { return s.adapt }

// String returns the name.
func (s Solver) String() string { return s.name }

func (s Solver) valid() bool { return s.tab != nil || s.sym != nil }

// Options sets a solve's steps. Exactly one mode: a fixed step Dt > 0, or
// (for the adaptive solvers) the tolerances RTol and ATol, which have no
// default: leaving all three zero is an error that says so.
type Options struct {
	// Dt is the fixed step: every interval between consecutive output
	// times is split into ⌈|Δt|/Dt⌉ equal steps. 0 selects adaptive steps.
	Dt float64
	// RTol and ATol are the relative and absolute tolerances of the local
	// error of an adaptive solve (for example 1e-6 and 1e-9): required
	// there, both positive; not allowed with Dt.
	RTol, ATol float64
	// FirstStep is the first adaptive trial step; 0 means Hairer's
	// automatic choice.
	FirstStep float64
	// MinStep fails an adaptive solve with ErrStepSize when the step falls
	// below it; 0 means only the floating-point limit.
	MinStep float64
	// MaxStep bounds the adaptive step; 0 means the whole interval.
	MaxStep float64
	// MaxSteps bounds the attempted steps (accepted and rejected); 0 means
	// 100000.
	MaxSteps int
	// Separable promises that f is a separable Hamiltonian field on
	// y = (q, p): dq/dt (the first half of dydt) depends only on p and
	// dp/dt (the second half) only on q. Leapfrog and Yoshida4 need it: on
	// any other f they give wrong numbers, not an error, so Solve refuses
	// them without the promise. The other solvers do not need it.
	Separable bool
}

func (o Options) rk() ode.RKOptions {
	return ode.RKOptions{Dt: o.Dt, RTol: o.RTol, ATol: o.ATol, FirstStep: o.FirstStep,
		MinStep: o.MinStep, MaxStep: o.MaxStep, MaxSteps: o.MaxSteps}
}

// Solution is the result of a solve: the state at every requested time and
// what it cost.
type Solution struct {
	// T are the requested times; Y[i] the state at T[i] (Y[0] is y0).
	T []float64
	Y [][]float64
	// NFE counts evaluations of f; Steps accepted steps; Rejected the
	// steps an adaptive solver rejected.
	NFE, Steps, Rejected int
}

// Solve integrates dy/dt = f(t, y) from ts[0] to the last time of ts with
// solver s and returns the state at every time of ts. ts must be finite
// and strictly increasing or strictly decreasing (integration backwards);
// an adaptive solve reads interior times from the solver's dense output at
// no extra steps, a fixed-step solve lands a step on each.
//
// Errors (match with errors.Is): ErrInput (bad arguments, missing
// tolerances, times out of order, an adaptive option with a fixed-step
// solver), ErrNotFinite (NaN or Inf in y0 or in the state), ErrStepLimit,
// ErrStepSize, and ErrCallback when f panics or returns an error (the
// returned error wraps f's, which errors.Is also matches).
func Solve(f Func, y0 []float64, ts []float64, s Solver, o Options) (sol *Solution, err error) {
	if !s.valid() {
		return nil, errorf(ErrInput, "zero Solver: make one with RK4(), DormandPrince(), ...")
	}
	if f == nil {
		return nil, errorf(ErrInput, "nil Func")
	}
	defer fail.Recover(&err, "node", "Func")
	if s.sym != nil {
		return solveSymplectic(f, y0, ts, s, o)
	}
	ys, st, err := ode.RK(s.tab(), ode.FuncE(f), y0, ts, o.rk(), nil)
	if err != nil {
		return nil, wrapODE(err)
	}
	return &Solution{T: append([]float64(nil), ts...), Y: ys, NFE: st.NFE, Steps: st.Steps, Rejected: st.Rejected}, nil
}

// solveSymplectic runs Leapfrog or Yoshida4 between consecutive output
// times with fixed steps of at most Dt.
func solveSymplectic(f Func, y0 []float64, ts []float64, s Solver, o Options) (*Solution, error) {
	if o.RTol != 0 || o.ATol != 0 || o.FirstStep != 0 || o.MinStep != 0 || o.MaxStep != 0 {
		return nil, errorf(ErrInput, "%s has fixed steps only: set Dt and leave RTol, ATol, FirstStep, MinStep and MaxStep zero", s.name)
	}
	if !(o.Dt > 0) || math.IsInf(o.Dt, 0) {
		return nil, errorf(ErrInput, "%s needs a fixed step Dt > 0, got %g", s.name, o.Dt)
	}
	if !o.Separable {
		return nil, errorf(ErrInput, "%s is only right on a separable field (dq/dt from p only, dp/dt from q only); set Options.Separable to promise f is one, or use RK4 or DormandPrince", s.name)
	}
	if len(ts) == 0 {
		return nil, errorf(ErrInput, "no output times: ts must hold at least the start time")
	}
	for i := 1; i < len(ts); i++ {
		if (ts[i]-ts[i-1])*(ts[len(ts)-1]-ts[0]) <= 0 || math.IsNaN(ts[i]) {
			return nil, errorf(ErrInput, "output times must be strictly increasing or strictly decreasing: ts[%d]=%g, ts[%d]=%g", i-1, ts[i-1], i, ts[i])
		}
	}
	// f's first error is kept and the state poisoned with NaN, so the
	// integrator stops; the kept error is returned instead of its NaN one.
	var ferr error
	var ft float64
	g := func(t float64, y, d []float64) {
		if ferr != nil {
			for i := range d {
				d[i] = math.NaN()
			}
			return
		}
		if err := f(t, y, d); err != nil {
			ferr, ft = err, t
			for i := range d {
				d[i] = math.NaN()
			}
		}
	}
	m := s.sym()
	sol := &Solution{T: append([]float64(nil), ts...), Y: [][]float64{append([]float64(nil), y0...)}}
	y := y0
	for i := 1; i < len(ts); i++ {
		next, st, err := ode.Solve(g, m, y, ts[i-1], ts[i], o.Dt, nil)
		sol.NFE += st.NFE
		sol.Steps += st.Steps
		if ferr != nil {
			return nil, fail.Errorf(ErrCallback, "node", "right-hand side failed at t=%g: %w", ft, ferr)
		}
		if err != nil {
			return nil, wrapODE(err)
		}
		if o.MaxSteps > 0 && sol.Steps > o.MaxSteps {
			return nil, errorf(ErrStepLimit, "step limit of %d steps reached at t=%g", o.MaxSteps, ts[i])
		}
		sol.Y = append(sol.Y, next)
		y = next
	}
	if len(ts) == 1 {
		if err := finiteState(y0); err != nil {
			return nil, err
		}
	}
	return sol, nil
}

func finiteState(y []float64) error {
	if len(y) == 0 {
		return errorf(ErrInput, "empty y0")
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errorf(ErrNotFinite, "y0[%d] is %v", i, v)
		}
	}
	return nil
}

var _ fmt.Stringer = Solver{}
