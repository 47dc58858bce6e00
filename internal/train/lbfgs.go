package train

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"

	"github.com/physbias/physbias/internal/fail"
)

// LBFGS is the limited-memory BFGS method of gonum/optimize, run on the
// parameters flattened into one vector (see Values), each function and
// gradient evaluation being one full-batch forward and backward pass. It
// uses the More–Thuente line search (strong Wolfe conditions, as SciPy's
// L-BFGS-B and PyTorch's line_search_fn="strong_wolfe" do). It needs full
// batch: Run returns an error if Config.BatchSize > 0.
//
// It stops at the first of: MaxIter major iterations; the largest
// gradient component below GradTol; the loss improving by no more than
// FuncTol·|loss| over 10 iterations; a line search that cannot make
// progress (usually the loss has reached rounding level: History.Stop then
// holds gonum's message and Run returns no error). The parameters are left
// at the best point found; after a NaN or Inf, at the last completed
// iteration (the starting point if none completed). Each major iteration is
// one step of History and of Progress.
type LBFGS struct {
	// MaxIter is the maximum number of major iterations; 0 means
	// Config.Steps.
	MaxIter int
	// GradTol stops when max|∂L/∂θᵢ| < GradTol; 0 means 1e-9.
	GradTol float64
	// Memory is the number of correction pairs kept; 0 means 15.
	Memory int
	// FuncTol is the relative loss improvement below which 10 iterations
	// in a row count as converged; 0 means 2.2e-16 (SciPy's ftol for
	// Raissi et al.'s PINNs: machine epsilon).
	FuncTol float64
}

func (l LBFGS) withDefaults() (LBFGS, error) {
	if l.GradTol == 0 {
		l.GradTol = 1e-9
	}
	if l.Memory == 0 {
		l.Memory = 15
	}
	if l.FuncTol == 0 {
		l.FuncTol = 0x1p-52
	}
	switch {
	case l.MaxIter < 0:
		return l, fail.Errorf(fail.ErrInput, "train", "LBFGS.MaxIter is %d, want ≥ 0 (0 means Config.Steps)", l.MaxIter)
	case !(l.GradTol > 0) || math.IsInf(l.GradTol, 0):
		return l, fail.Errorf(fail.ErrInput, "train", "LBFGS.GradTol is %v, want > 0", l.GradTol)
	case l.Memory < 0:
		return l, fail.Errorf(fail.ErrInput, "train", "LBFGS.Memory is %d, want > 0", l.Memory)
	case !(l.FuncTol > 0) || math.IsInf(l.FuncTol, 0):
		return l, fail.Errorf(fail.ErrInput, "train", "LBFGS.FuncTol is %v, want > 0", l.FuncTol)
	}
	return l, nil
}

// String describes the optimizer.
func (l LBFGS) String() string {
	d, _ := l.withDefaults()
	return fmt.Sprintf("LBFGS(max_iter=%d, grad_tol=%g, memory=%d, func_tol=%g)", d.MaxIter, d.GradTol, d.Memory, d.FuncTol)
}

func (l LBFGS) check(cfg Config) error {
	if _, err := l.withDefaults(); err != nil {
		return err
	}
	if cfg.BatchSize > 0 {
		return fail.Errorf(fail.ErrInput, cfg.prefix(), "L-BFGS needs full batch, Config.BatchSize is %d", cfg.BatchSize)
	}
	return nil
}

func (l LBFGS) minimize(s *session) error {
	l, err := l.withDefaults()
	if err != nil {
		return err
	}
	s.steps = s.cfg.Steps
	if l.MaxIter > 0 {
		s.steps = l.MaxIter
	}
	x0, err := Values(s.p.Params)
	if err != nil {
		return err
	}
	e := &lbfgsEval{s: s, x: make([]float64, len(x0)), g: make([]float64, len(x0))}
	prob := optimize.Problem{
		Func: e.fn,
		Grad: e.grad,
		Status: func() (optimize.Status, error) {
			if e.err != nil {
				return optimize.Failure, e.err
			}
			return optimize.NotTerminated, nil
		},
	}
	settings := &optimize.Settings{
		GradientThreshold: l.GradTol,
		Converger:         &optimize.FunctionConverge{Relative: l.FuncTol, Iterations: 10},
		// gonum counts the starting point as a major iteration.
		MajorIterations: s.steps + 1,
		Recorder:        e,
	}
	method := &optimize.LBFGS{
		Linesearcher:      &optimize.MoreThuente{},
		Store:             l.Memory,
		GradStopThreshold: l.GradTol,
	}
	res, err := optimize.Minimize(prob, x0, settings, method)
	if e.halted {
		// Context or time limit: back to the last completed iteration.
		if e.last != nil {
			x0 = e.last
		}
		_ = SetValues(s.p.Params, x0)
		return e.haltErr
	}
	if e.err != nil {
		// NaN/Inf or a failed pass: go back to the last completed
		// iteration (the starting point if there was none).
		if e.last != nil {
			x0 = e.last
		}
		_ = SetValues(s.p.Params, x0)
		return e.err
	}
	if res == nil {
		_ = SetValues(s.p.Params, x0)
		return fmt.Errorf("%s: L-BFGS: %w", s.cfg.prefix(), err)
	}
	if serr := SetValues(s.p.Params, res.X); serr != nil {
		return serr
	}
	// gonum does not pass the iteration that ends the run to the Recorder.
	if iters := res.Stats.MajorIterations - 1; len(s.hist.Loss) < iters {
		s.record(res.F)
	}
	s.hist.Stop = res.Status.String()
	if err != nil {
		s.hist.Stop += ": " + err.Error()
	}
	return nil
}

// lbfgsEval evaluates the graph for gonum and records its iterations.
type lbfgsEval struct {
	s       *session
	x, g    []float64 // point and gradient of the last evaluation
	f       float64
	valid   bool
	err     error
	started bool      // the starting point has been seen by Record
	last    []float64 // point of the last completed major iteration
	halted  bool      // stopped by Config.Context or Config.TimeLimit
	haltErr error     // the context's error, nil for the time limit
}

// errHalted ends gonum's run when the context or the time limit stops it.
var errHalted = errors.New("train: halted")

// halt checks Config.Context and Config.TimeLimit before step and, if the
// run must stop, makes every later gonum callback fail.
func (e *lbfgsEval) halt(step int) bool {
	stop, err := e.s.stop(step)
	if stop {
		e.halted, e.haltErr, e.err = true, err, errHalted
	}
	return stop
}

// at evaluates loss and gradient at x unless x is the last point.
func (e *lbfgsEval) at(x []float64) {
	if e.err != nil {
		return
	}
	if e.valid && equal(x, e.x) {
		return
	}
	step := len(e.s.hist.Loss) + 1
	if e.halt(step) {
		return
	}
	e.valid = false
	if err := SetValues(e.s.p.Params, x); err != nil {
		e.err = err
		return
	}
	f, err := e.s.eval(step)
	if err != nil {
		e.err = err
		return
	}
	off := 0
	for _, n := range e.s.p.Params {
		g, err := gradData(n)
		if err != nil {
			e.err = err
			return
		}
		off += copy(e.g[off:], g)
	}
	copy(e.x, x)
	e.f, e.valid = f, true
}

func (e *lbfgsEval) fn(x []float64) float64 {
	e.at(x)
	if e.err != nil {
		return math.NaN()
	}
	return e.f
}

func (e *lbfgsEval) grad(dst, x []float64) {
	e.at(x)
	if e.err != nil {
		for i := range dst {
			dst[i] = math.NaN()
		}
		return
	}
	copy(dst, e.g)
}

// Init implements optimize.Recorder.
func (e *lbfgsEval) Init() error { return nil }

// Record implements optimize.Recorder: every major iteration is a step.
func (e *lbfgsEval) Record(loc *optimize.Location, op optimize.Operation, _ *optimize.Stats) error {
	if e.err != nil {
		return e.err
	}
	if op == optimize.MajorIteration {
		if !e.started { // the starting point, not an iteration
			e.started = true
			return nil
		}
		e.s.record(loc.F)
		e.last = append(e.last[:0], loc.X...)
		if e.halt(len(e.s.hist.Loss) + 1) {
			return e.err
		}
	}
	return nil
}

func equal(a, b []float64) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}
