package pinn

import (
	"context"
	"errors"
	"io"
	"math"
	"time"

	"github.com/physbias/physbias/internal/train"
)

// Phase is one stage of a training schedule: Adam or LBFGS.
type Phase interface {
	// String names the phase and its settings.
	String() string
	optimizer() (train.Optimizer, int, error)
}

// Adam is a phase of Adam steps on the full batch of points.
type Adam struct {
	// Steps is the number of steps; 0 means 1000.
	Steps int
	// LR is the learning rate; 0 means 1e-3.
	LR float64
}

// String describes the phase.
func (a Adam) String() string { return "Adam" }

func (a Adam) optimizer() (train.Optimizer, int, error) {
	if a.Steps < 0 {
		return nil, 0, errorf(ErrInput, "Adam.Steps = %d, want ≥ 0 (0 means 1000)", a.Steps)
	}
	if a.LR < 0 || math.IsNaN(a.LR) || math.IsInf(a.LR, 0) {
		return nil, 0, errorf(ErrInput, "Adam.LR = %v, want > 0 (0 means 1e-3)", a.LR)
	}
	if a.Steps == 0 {
		a.Steps = 1000
	}
	if a.LR == 0 {
		a.LR = 1e-3
	}
	return train.Adam{LR: a.LR}, a.Steps, nil
}

// LBFGS is a phase of full-batch L-BFGS (More–Thuente line search, 15
// correction pairs), as Raissi et al. run SciPy's L-BFGS-B. It stops after
// MaxIter iterations, when the loss stops improving (relative change below
// machine epsilon over 10 iterations), when the largest gradient component
// falls below 1e-9, or when the line search can make no progress.
type LBFGS struct {
	// MaxIter is the maximum number of iterations; 0 means 1000.
	MaxIter int
}

// String describes the phase.
func (l LBFGS) String() string { return "L-BFGS" }

func (l LBFGS) optimizer() (train.Optimizer, int, error) {
	if l.MaxIter < 0 {
		return nil, 0, errorf(ErrInput, "LBFGS.MaxIter = %d, want ≥ 0 (0 means 1000)", l.MaxIter)
	}
	if l.MaxIter == 0 {
		l.MaxIter = 1000
	}
	return train.LBFGS{MaxIter: l.MaxIter}, l.MaxIter, nil
}

// DefaultPhases returns the schedule of Raissi et al. that a nil
// TrainConfig.Phases means: 1000 Adam steps at learning rate 1e-3, then up
// to 1000 L-BFGS iterations.
func DefaultPhases() []Phase { return []Phase{Adam{Steps: 1000, LR: 1e-3}, LBFGS{MaxIter: 1000}} }

// TrainConfig is the optimisation schedule. Its zero value means the
// defaults in the field comments.
type TrainConfig struct {
	// Phases run in order, each on the full batch of points; nil means
	// DefaultPhases() (Adam, then L-BFGS, as Raissi et al.). A non-nil
	// list runs exactly what it lists: []Phase{LBFGS{MaxIter: 500}} runs
	// L-BFGS alone. An empty, non-nil list is an error.
	Phases []Phase
	// Progress, if not nil, is called during every phase (Step and Steps
	// count that phase's steps) and once at its end with Done set. Make a
	// text bar with ProgressBar.
	Progress func(Progress)
	// TimeLimit, if positive, stops training once it has passed since
	// Train started (after the step running then): Train returns the
	// history so far without an error, with History.Stop "time limit", and
	// the phases not yet started do not run. 0 means none.
	TimeLimit time.Duration
}

// Progress is a report during training: the phase's step, its planned
// steps, the latest loss and the time since the phase started.
type Progress = train.Progress

// ProgressBar returns a TrainConfig.Progress function that draws a
// one-line text bar on w (label, bar, step, loss, rate and ETA), one line
// per phase.
func ProgressBar(w io.Writer, label string) func(Progress) { return train.ProgressBar(w, label) }

// StopTimeLimit is History.Stop when TrainConfig.TimeLimit ended training.
const StopTimeLimit = train.StopTimeLimit

// PhaseHistory records one phase of a Train call.
type PhaseHistory struct {
	// Phase is the phase as run (defaults filled in).
	Phase Phase
	// Loss holds the loss after every step (Adam: before the step's
	// update; L-BFGS: at the end of each iteration).
	Loss []float64
	// Evals is the number of forward-and-backward passes.
	Evals int
	// Stop says why the phase stopped ("step limit", "time limit", or
	// L-BFGS's convergence status).
	Stop string
	// Elapsed is the phase's wall time.
	Elapsed time.Duration
}

// History records a Train call.
type History struct {
	// Phases holds one record per phase run, in order.
	Phases []PhaseHistory
	// Evals is the number of forward-and-backward passes of all phases.
	Evals int
	// Stop says why the last phase run stopped.
	Stop string
	// Elapsed is the wall time.
	Elapsed time.Duration
}

// Loss returns the loss of every step of every phase, in order.
func (h History) Loss() []float64 {
	var out []float64
	for _, p := range h.Phases {
		out = append(out, p.Loss...)
	}
	return out
}

// Final returns the last loss recorded, or NaN if none.
func (h History) Final() float64 {
	l := h.Loss()
	if len(l) == 0 {
		return math.NaN()
	}
	return l[len(l)-1]
}

// Train runs the phases of tc on the full batch of points. Cancelling ctx
// stops it after the current step (for L-BFGS, the current evaluation of
// its line search): Train returns the history so far and an error matching
// context.Canceled, and the model keeps the parameters of the last
// completed step. The first NaN or Inf in the loss or its gradient stops
// training with an error matching ErrNotFinite that names the phase and the
// step; the model then keeps the parameters of the last good step.
func (m *Model) Train(ctx context.Context, tc TrainConfig) (History, error) {
	var h History
	if err := m.check(); err != nil {
		return h, err
	}
	if ctx == nil {
		return h, errorf(ErrInput, "Train: nil context (use context.Background())")
	}
	if tc.TimeLimit < 0 {
		return h, errorf(ErrInput, "TrainConfig.TimeLimit = %v, want ≥ 0 (0 means none)", tc.TimeLimit)
	}
	phases := tc.Phases
	if phases == nil {
		phases = DefaultPhases()
	}
	if len(phases) == 0 {
		return h, errorf(ErrInput, "TrainConfig.Phases is empty; nil means the default Adam then L-BFGS")
	}
	type planned struct {
		opt   train.Optimizer
		steps int
	}
	plan := make([]planned, len(phases))
	for k, ph := range phases {
		if ph == nil {
			return h, errorf(ErrInput, "TrainConfig.Phases[%d] is nil", k)
		}
		opt, steps, err := ph.optimizer()
		if err != nil {
			return h, wrap(err, "TrainConfig.Phases[%d]", k)
		}
		plan[k] = planned{opt, steps}
	}
	start := time.Now()
	p := train.Problem{Graph: m.st.g, Loss: m.st.loss, Params: m.st.params}
	for k, ph := range plan {
		cfg := train.Config{Steps: ph.steps, Seed: m.cfg.Seed, Progress: tc.Progress, Context: ctx, Prefix: "pinn"}
		if m.cfg.Causal != nil || m.cfg.Balance != nil {
			// The weights change between steps: Feed (called before every
			// step of a one-sample "minibatch") sets them. L-BFGS runs full
			// batch, so Feed runs once at its start and they stay fixed.
			_, adam := ph.opt.(train.Adam)
			p.N, p.Feed = 1, m.stepHook(adam)
			if adam {
				cfg.BatchSize = 1
			}
		}
		if tc.TimeLimit > 0 {
			left := tc.TimeLimit - time.Since(start)
			if left <= 0 {
				h.Stop = StopTimeLimit
				break
			}
			cfg.TimeLimit = left
		}
		r, err := train.Run(p, ph.opt, cfg)
		asRun := phases[k]
		switch o := ph.opt.(type) {
		case train.Adam:
			asRun = Adam{Steps: ph.steps, LR: o.LR}
		case train.LBFGS:
			asRun = LBFGS{MaxIter: o.MaxIter}
		}
		if errors.Is(err, errCausalDone) {
			r.Stop, err = StopCausal, nil
		}
		h.Phases = append(h.Phases, PhaseHistory{Phase: asRun, Loss: r.Loss, Evals: r.Evals, Stop: r.Stop, Elapsed: r.Elapsed})
		h.Evals += r.Evals
		h.Stop = r.Stop
		if err != nil {
			h.Elapsed = time.Since(start)
			return h, wrap(err, "phase %d (%v)", k+1, asRun)
		}
		if r.Stop == StopTimeLimit || r.Stop == StopCausal {
			break
		}
	}
	h.Elapsed = time.Since(start)
	return h, nil
}

// Terms returns the loss terms of the last training pass by name
// ("residual", "dirichlet[0].lower", "initial[1]", "periodic[2]" and
// "periodic[2]'" for the derivative, "data", …): each is its weight times
// the mean square of its residual; the loss is their sum. It is empty
// before training and for a zero Model.
func (m *Model) Terms() map[string]float64 {
	out := map[string]float64{}
	if m.check() != nil {
		return out
	}
	for k, v := range m.st.terms {
		if v == nil {
			continue
		}
		if x, err := train.Scalar(v); err == nil {
			out[m.st.names[k]] = x
		}
	}
	return out
}

// Coef returns the current value of the unknown coefficient name.
func (m *Model) Coef(name string) (float64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	for k, u := range m.prob.Unknowns {
		if u.Name != name {
			continue
		}
		v, err := train.Scalar(m.st.raw[k].Value())
		if err != nil {
			return 0, wrap(err, "coefficient %q", name)
		}
		if u.Positive {
			v = math.Exp(v)
		}
		return v, nil
	}
	return 0, errorf(ErrInput, "no unknown coefficient %q", name)
}

// Collocation returns a copy of the current collocation points (nil for a
// zero Model).
func (m *Model) Collocation() [][]float64 {
	if m.check() != nil {
		return nil
	}
	return clonePoints(m.colloc)
}

// stepHook returns the Feed of a training phase with causal weights or
// loss balancing: before each step it updates the causal weights and, every
// Balance.Every Adam steps (from the first), the balancing weights.
func (m *Model) stepHook(adam bool) func([]int) error {
	step := 0
	return func([]int) error {
		step++
		if m.cfg.Causal != nil {
			if err := m.causalStep(); err != nil {
				return err
			}
		}
		if m.cfg.Balance != nil && adam && (step-1)%m.cfg.Balance.Every == 0 {
			if err := m.balanceStep(); err != nil {
				return err
			}
		}
		return nil
	}
}
