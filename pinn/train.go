package pinn

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/physbias/physbias/internal/train"
)

// TrainConfig is the optimisation schedule of Raissi et al.: Adam, then
// full-batch L-BFGS. Its zero value means the defaults in the field
// comments.
type TrainConfig struct {
	// AdamSteps is the number of Adam steps; 0 means 1000, negative skips
	// Adam.
	AdamSteps int
	// LR is Adam's learning rate; 0 means 1e-3.
	LR float64
	// LBFGSIters is the maximum number of L-BFGS iterations; 0 means 1000,
	// negative skips L-BFGS. L-BFGS also stops when the loss stops
	// improving (relative change below machine epsilon) or the largest
	// gradient component falls below 1e-9.
	LBFGSIters int
	// Progress, if not nil, receives progress reports of each phase.
	Progress func(Progress)
	// ProgressBar, if not nil, gets a text progress bar of each phase
	// (ignored when Progress is set).
	ProgressBar io.Writer
}

// Progress is a report during training.
type Progress struct {
	// Phase is "adam" or "lbfgs".
	Phase string
	// Step and Steps count the phase's steps.
	Step, Steps int
	// Loss is the latest total loss.
	Loss float64
	// Elapsed is the time since the phase started.
	Elapsed time.Duration
	// Done is set on the phase's last report.
	Done bool
}

// History records a Train call.
type History struct {
	// Adam and LBFGS hold the loss after every step of each phase.
	Adam, LBFGS []float64
	// Evals is the number of forward-and-backward passes.
	Evals int
	// Stop says why L-BFGS stopped.
	Stop string
	// Elapsed is the wall time.
	Elapsed time.Duration
}

// Final returns the last loss recorded, or NaN if none.
func (h History) Final() float64 {
	switch {
	case len(h.LBFGS) > 0:
		return h.LBFGS[len(h.LBFGS)-1]
	case len(h.Adam) > 0:
		return h.Adam[len(h.Adam)-1]
	}
	return math.NaN()
}

// Train runs Adam, then L-BFGS, on the full batch of points. It stops with
// an error at the first NaN or Inf in the loss or its gradient; the model
// then keeps the parameters of the last good step.
func (m *Model) Train(tc TrainConfig) (History, error) {
	var h History
	start := time.Now()
	if tc.AdamSteps == 0 {
		tc.AdamSteps = 1000
	}
	if tc.LBFGSIters == 0 {
		tc.LBFGSIters = 1000
	}
	if tc.LR == 0 {
		tc.LR = 1e-3
	}
	if !(tc.LR > 0) || math.IsInf(tc.LR, 0) {
		return h, fmt.Errorf("pinn: TrainConfig.LR = %v, want > 0", tc.LR)
	}
	p := train.Problem{Graph: m.st.g, Loss: m.st.loss, Params: m.st.params}
	progress := func(phase string) func(train.Progress) {
		if tc.Progress != nil {
			return func(q train.Progress) {
				tc.Progress(Progress{Phase: phase, Step: q.Step, Steps: q.Steps, Loss: q.Loss, Elapsed: q.Elapsed, Done: q.Done})
			}
		}
		if tc.ProgressBar != nil {
			return train.ProgressBar(tc.ProgressBar, "pinn "+phase)
		}
		return nil
	}
	if tc.AdamSteps > 0 {
		r, err := train.Run(p, train.Adam{LR: tc.LR}, train.Config{Steps: tc.AdamSteps, Seed: m.cfg.Seed, Progress: progress("adam")})
		h.Adam, h.Evals = r.Loss, r.Evals
		if err != nil {
			h.Elapsed = time.Since(start)
			return h, fmt.Errorf("pinn: Adam: %w", err)
		}
	}
	if tc.LBFGSIters > 0 {
		r, err := train.Run(p, train.LBFGS{MaxIter: tc.LBFGSIters}, train.Config{Steps: tc.LBFGSIters, Seed: m.cfg.Seed, Progress: progress("lbfgs")})
		h.LBFGS, h.Stop = r.Loss, r.Stop
		h.Evals += r.Evals
		if err != nil {
			h.Elapsed = time.Since(start)
			return h, fmt.Errorf("pinn: L-BFGS: %w", err)
		}
	}
	h.Elapsed = time.Since(start)
	return h, nil
}

// Terms returns the loss terms of the last training pass by name
// ("residual", "dirichlet[0].lower", "initial[1]", "periodic[2]" and
// "periodic[2]'" for the derivative, "data", …): each is its weight times
// the mean square of its residual; the loss is their sum.
func (m *Model) Terms() map[string]float64 {
	out := map[string]float64{}
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
	for k, u := range m.prob.Unknowns {
		if u.Name != name {
			continue
		}
		v, err := train.Scalar(m.st.raw[k].Value())
		if err != nil {
			return 0, fmt.Errorf("pinn: coefficient %q: %v", name, err)
		}
		if u.Positive {
			v = math.Exp(v)
		}
		return v, nil
	}
	return 0, fmt.Errorf("pinn: no unknown coefficient %q", name)
}

// Collocation returns a copy of the current collocation points.
func (m *Model) Collocation() [][]float64 { return clonePoints(m.colloc) }
