package train

import (
	"fmt"
	"math"
	"reflect"
	"time"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	_ "github.com/physbias/physbias/internal/blas"
	"github.com/physbias/physbias/internal/fail"
)

// Run trains p with opt and returns the loss history. It calls
// G.Grad(p.Loss, p.Params...) if no earlier Run on p did (the caller must
// not call G.Grad), compiles one tape machine with the parameters' dual
// values bound, and steps until cfg.Steps (or the optimizer's own stopping
// rule). It stops with an error naming the step at the first NaN or Inf in
// the loss or in a parameter's gradient; the parameters then hold the
// values they had before that step's update. On success the parameters
// hold the trained values (for L-BFGS, the best point found).
//
// Config.Context and Config.TimeLimit stop a run early, between steps: Run
// then returns the history so far and the parameters of the last completed
// step, with an error wrapping the context's error (cancellation) or none
// (time limit, History.Stop "time limit"). A NaN or Inf stop returns an
// error matching fail.ErrNotFinite; invalid settings one matching
// fail.ErrInput. A panic in Config.Progress stops the run the same way,
// after the step it reported, with an error matching fail.ErrCallback.
// Messages start with Config.Prefix.
func Run(p Problem, opt Optimizer, cfg Config) (History, error) {
	if err := p.validate(); err != nil {
		return History{}, err
	}
	if isNil(opt) {
		return History{}, fail.Errorf(fail.ErrInput, cfg.prefix(), "nil Optimizer")
	}
	cfg, err := cfg.withDefaults(&p)
	if err != nil {
		return History{}, err
	}
	if err := opt.check(cfg); err != nil {
		return History{}, err
	}
	s, err := newSession(p, cfg)
	if err != nil {
		return History{}, err
	}
	defer s.m.Close()
	err = opt.minimize(s)
	s.finish()
	if s.cbErr != nil && err == nil {
		err = s.cbErr
	}
	s.hist.Steps = len(s.hist.Loss)
	s.hist.Elapsed = time.Since(s.start)
	return s.hist, err
}

func isNil(opt Optimizer) bool {
	if opt == nil {
		return true
	}
	v := reflect.ValueOf(opt)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// session is one Run: the compiled machine and the bookkeeping shared by
// the optimizers.
type session struct {
	p       Problem
	cfg     Config
	m       G.VM
	lossVal G.Value
	start   time.Time
	hist    History
	batches *batcher // nil for full batch
	idx     []int
	steps   int     // planned number of steps, set by the optimizer
	last    float64 // loss of the latest evaluation
	cbErr   error   // Config.Progress panicked (fail.ErrCallback); the run stops before the next step
}

func newSession(p Problem, cfg Config) (*session, error) {
	if err := p.differentiate(); err != nil {
		return nil, err
	}
	s := &session{p: p, cfg: cfg, start: time.Now()}
	// The Read node must exist before compiling. It stays in the graph;
	// each Run adds one (a few bytes).
	G.Read(p.Loss, &s.lossVal)
	s.m = G.NewTapeMachine(p.Graph, G.BindDualValues(p.Params...))
	if cfg.BatchSize > 0 {
		s.batches = newBatcher(p.N, cfg.Seed)
		s.idx = make([]int, cfg.BatchSize)
	} else if p.Feed != nil {
		idx := make([]int, p.N)
		for i := range idx {
			idx[i] = i
		}
		if err := p.Feed(idx); err != nil {
			s.m.Close()
			return nil, fmt.Errorf("%s: Feed: %w", cfg.prefix(), err)
		}
	}
	return s, nil
}

// feed sets the inputs for the next step (minibatches only).
func (s *session) feed(step int) error {
	if s.batches == nil {
		return nil
	}
	s.batches.next(s.idx)
	if err := s.p.Feed(s.idx); err != nil {
		return fmt.Errorf("%s: step %d: Feed: %w", s.cfg.prefix(), s.at(step), err)
	}
	return nil
}

// eval runs one forward and backward pass with zeroed gradients and
// returns the loss; it checks the loss and the gradients for NaN and Inf.
func (s *session) eval(step int) (float64, error) {
	for _, n := range s.p.Params {
		g, err := gradData(n)
		if err != nil {
			return 0, err
		}
		clear(g)
	}
	s.hist.Evals++
	err := s.m.RunAll()
	s.m.Reset()
	pre := s.cfg.prefix()
	if err != nil {
		return 0, fmt.Errorf("%s: step %d: %w", pre, s.at(step), err)
	}
	loss, err := Scalar(s.lossVal)
	if err != nil {
		return 0, fmt.Errorf("%s: step %d: %w", pre, s.at(step), err)
	}
	s.last = loss
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss, fail.Errorf(fail.ErrNotFinite, pre, "step %d: loss is %v", s.at(step), loss)
	}
	for _, n := range s.p.Params {
		g, err := gradData(n)
		if err != nil {
			return loss, err
		}
		if g == nil {
			return loss, fmt.Errorf("%s: step %d: no gradient for parameter %s (is it used by the loss?)", pre, s.at(step), label(n))
		}
		for i, v := range g {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return loss, fail.Errorf(fail.ErrNotFinite, pre, "step %d: gradient of parameter %s is %v at element %d", s.at(step), label(n), v, i)
			}
		}
	}
	return loss, nil
}

// Scalar reads a float64 out of a scalar gorgonia value (a *G.F64, or a
// tensor holding one float64), such as a loss read with G.Read or a scalar
// parameter's value.
func Scalar(v G.Value) (float64, error) {
	switch v := v.(type) {
	case *G.F64:
		return float64(*v), nil
	case tensor.Tensor:
		if d, ok := v.Data().([]float64); ok && len(d) == 1 {
			return d[0], nil
		}
		if d, ok := v.Data().(float64); ok {
			return d, nil
		}
	}
	return 0, fmt.Errorf("value %v (%T) is not a float64 scalar", v, v)
}

// stop reports whether the run must stop before step (counted from 1):
// with the context's error when Config.Context is done, with nil and
// History.Stop "time limit" when Config.TimeLimit has passed.
func (s *session) stop(step int) (bool, error) {
	if s.cbErr != nil {
		return true, s.cbErr
	}
	if ctx := s.cfg.Context; ctx != nil {
		if err := ctx.Err(); err != nil {
			return true, fmt.Errorf("%s: stopped before step %d: %w", s.cfg.prefix(), s.at(step), err)
		}
	}
	if s.cfg.TimeLimit > 0 && time.Since(s.start) >= s.cfg.TimeLimit {
		s.hist.Stop = StopTimeLimit
		return true, nil
	}
	return false, nil
}

// record appends a step's loss and calls Progress when due.
func (s *session) record(loss float64) {
	s.hist.Loss = append(s.hist.Loss, loss)
	step := len(s.hist.Loss)
	every := s.cfg.ReportEvery
	if every == 0 {
		every = max(1, s.steps/20)
	}
	if s.cfg.Progress != nil && step%every == 0 && step < s.steps {
		s.progress(Progress{Step: step, Steps: s.steps, Loss: loss, Elapsed: time.Since(s.start)})
	}
}

// at is a step of this Run counted from the start of the whole training
// (Config.StepOffset), as error messages name it.
func (s *session) at(step int) int { return s.cfg.StepOffset + step }

// progress calls Config.Progress; a panic there is kept in s.cbErr (an
// error matching fail.ErrCallback that names the step) and no later call
// is made, so the run stops before its next step with the parameters of
// the step just completed.
func (s *session) progress(p Progress) {
	if s.cbErr != nil {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			s.cbErr = fail.Errorf(fail.ErrCallback, s.cfg.prefix(), "step %d: TrainConfig.Progress panicked: %v", s.at(p.Step), r)
		}
	}()
	s.cfg.Progress(p)
}

// finish sends the final Progress call.
func (s *session) finish() {
	if s.cfg.Progress == nil {
		return
	}
	loss := s.last
	if n := len(s.hist.Loss); n > 0 {
		loss = s.hist.Loss[n-1]
	}
	s.progress(Progress{Step: len(s.hist.Loss), Steps: s.steps, Loss: loss, Elapsed: time.Since(s.start), Done: true})
}
