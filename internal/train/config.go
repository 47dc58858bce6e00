package train

import (
	"context"
	"time"

	"github.com/physbias/physbias/internal/fail"
)

// Config sets how Run trains. Its zero value means the defaults written in
// each field's comment.
type Config struct {
	// Steps is the number of steps (Adam updates; L-BFGS major iterations
	// unless LBFGS.MaxIter is set). 0 means 1000; negative is an error.
	Steps int
	// BatchSize is the number of samples a step sees. 0 means full batch
	// (idx = 0..N-1 in order); otherwise 1 ≤ BatchSize ≤ Problem.N and
	// Problem.Feed must be set. L-BFGS needs full batch.
	BatchSize int
	// Seed seeds the shuffle of minibatches (internal/rng); the same seed
	// gives the same batches, hence bit-identical training.
	Seed uint64
	// Progress, if not nil, is called every ReportEvery steps and once at
	// the end (with Done set).
	Progress func(Progress)
	// ReportEvery is the number of steps between Progress calls. 0 means
	// a twentieth of the planned steps (Steps, or LBFGS.MaxIter), at least 1.
	ReportEvery int
	// Context, if not nil, stops Run once it is done: Run checks it before
	// every step (and, for L-BFGS, before every evaluation of its line
	// search), returns the history so far and an error wrapping
	// Context.Err() (so errors.Is matches context.Canceled or
	// context.DeadlineExceeded), and leaves the parameters at the last
	// completed step.
	Context context.Context
	// TimeLimit, if positive, stops Run the same way once TimeLimit has
	// passed since it started, but without an error: History.Stop is
	// "time limit". 0 means none; negative is an error.
	TimeLimit time.Duration
	// StepOffset is the number of steps earlier Runs of the same training
	// took (a package that trains in phases, one Run each): error messages
	// count steps from the start of the whole training, StepOffset + the
	// Run's own step. It does not change Progress, History or the
	// schedule. Negative is an error.
	StepOffset int
	// Prefix starts Run's error messages (a package name such as "hnn"),
	// so that a package can return them as they are, without stacking
	// prefixes. Empty means "train".
	Prefix string
}

// Progress is what Run tells Config.Progress.
type Progress struct {
	// Step is the number of steps done so far; Steps the planned number.
	Step, Steps int
	// Loss is the loss of the latest step, before its update.
	Loss float64
	// Elapsed is the time since Run started.
	Elapsed time.Duration
	// Done is set on the last call of a run.
	Done bool
}

// History is the record of a run.
type History struct {
	// Loss holds the loss of every step: for Adam the loss of the step's
	// batch before its update; for L-BFGS the loss at the end of each
	// major iteration.
	Loss []float64
	// Steps is the number of steps done (len(Loss)).
	Steps int
	// Evals is the number of forward and backward passes (L-BFGS line
	// searches make it larger than Steps).
	Evals int
	// Elapsed is the wall time of the run.
	Elapsed time.Duration
	// Stop says why training stopped, e.g. "step limit" or, for L-BFGS,
	// gonum's status ("GradientThreshold", "FunctionConvergence", ...).
	Stop string
}

// StopTimeLimit is History.Stop after Config.TimeLimit ended a run.
const StopTimeLimit = "time limit"

// prefix returns the prefix of Run's error messages.
func (cfg *Config) prefix() string {
	if cfg.Prefix == "" {
		return "train"
	}
	return cfg.Prefix
}

// withDefaults validates cfg against p and fills in the defaults. Its
// errors match fail.ErrInput.
func (cfg Config) withDefaults(p *Problem) (Config, error) {
	bad := func(format string, a ...any) (Config, error) {
		return cfg, fail.Errorf(fail.ErrInput, cfg.prefix(), format, a...)
	}
	if cfg.Steps < 0 {
		return bad("Config.Steps is %d, want ≥ 0 (0 means 1000)", cfg.Steps)
	}
	if cfg.Steps == 0 {
		cfg.Steps = 1000
	}
	if cfg.BatchSize < 0 {
		return bad("Config.BatchSize is %d, want ≥ 0 (0 means full batch)", cfg.BatchSize)
	}
	if cfg.BatchSize > 0 {
		if p.N == 0 {
			return bad("Config.BatchSize is %d but Problem.N is 0 (fixed inputs cannot be batched)", cfg.BatchSize)
		}
		if cfg.BatchSize > p.N {
			return bad("Config.BatchSize %d is larger than Problem.N %d", cfg.BatchSize, p.N)
		}
		if p.Feed == nil {
			return bad("minibatches need Problem.Feed")
		}
	}
	if cfg.ReportEvery < 0 {
		return bad("Config.ReportEvery is %d, want ≥ 0", cfg.ReportEvery)
	}
	if cfg.TimeLimit < 0 {
		return bad("Config.TimeLimit is %v, want ≥ 0 (0 means none)", cfg.TimeLimit)
	}
	if cfg.StepOffset < 0 {
		return bad("Config.StepOffset is %d, want ≥ 0", cfg.StepOffset)
	}
	return cfg, nil
}
