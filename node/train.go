package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/train"
)

// Progress is what a training run reports to TrainConfig.Progress.
type Progress = train.Progress

// ProgressBar returns a TrainConfig.Progress function that draws a
// one-line progress bar on w.
func ProgressBar(w io.Writer, label string) func(Progress) { return train.ProgressBar(w, label) }

// Data is a set of observed trajectories sharing their observation times:
// Y[k] holds trajectory k as len(T) states of Dim() values, the state at
// T[i] in Y[k][i·Dim() : (i+1)·Dim()].
type Data struct {
	T []float64
	Y [][]float64
}

func (d *Data) check(dim int) error {
	if d == nil {
		return errorf(ErrInput, "nil Data")
	}
	if len(d.T) < 2 {
		return errorf(ErrInput, "Data has %d observation times; need at least 2", len(d.T))
	}
	for i := range d.T {
		if math.IsNaN(d.T[i]) || math.IsInf(d.T[i], 0) {
			return errorf(ErrNotFinite, "Data.T[%d] is %v", i, d.T[i])
		}
		if i > 0 && !(d.T[i] > d.T[i-1]) {
			return errorf(ErrInput, "Data.T must be strictly increasing: T[%d]=%g, T[%d]=%g", i-1, d.T[i-1], i, d.T[i])
		}
	}
	if len(d.Y) == 0 {
		return errorf(ErrInput, "Data has no trajectories")
	}
	for k, y := range d.Y {
		if len(y) != len(d.T)*dim {
			return errorf(ErrInput, "Data.Y[%d] has %d values; %d times of dimension %d need %d", k, len(y), len(d.T), dim, len(d.T)*dim)
		}
		if i := finite(y); i >= 0 {
			return errorf(ErrNotFinite, "Data.Y[%d][%d] (time %d) is %v", k, i, i/dim, y[i])
		}
	}
	return nil
}

// TrainConfig describes a training run. Zero fields mean the defaults in
// their comments; Solver and its Options have none (a neural ODE's cost and
// accuracy hang on them) and must be set.
type TrainConfig struct {
	// Steps is the number of Adam steps; 0 means 1000.
	Steps int
	// LR is Adam's learning rate; 0 means 1e-3.
	LR float64
	// WeightDecay is an L2 penalty added to the gradient; 0 means none.
	WeightDecay float64
	// BatchSize is the number of windows a step fits; 0 means all of
	// them.
	BatchSize int
	// Window is the number of consecutive observations in a window (the
	// first is its initial state, torchdiffeq's batch_time); 0 means whole
	// trajectories. A window shorter than the trajectories needs equally
	// spaced Data.T, so that all windows of a batch share their relative
	// times (each sample keeps its own absolute time for f(y, t)).
	Window int
	// Seed seeds the order of the windows and the Hutchinson probes.
	Seed uint64
	// Progress, when not nil, is called during training (see ProgressBar).
	Progress func(Progress)
	// TimeLimit stops training after this wall time without an error
	// (History.Stop "time limit"); 0 means none.
	TimeLimit time.Duration

	// Solver and Options integrate the model during training (required).
	Solver  Solver
	Options Options
	// Gradient is the gradient method; the zero value is Backprop.
	Gradient GradMethod

	// Regularizers of the dynamics, each the mean over the batch of an
	// integral over the window, times its weight (0 means off):
	// Kinetic ∫‖f‖² dt and Frobenius ∫‖∂f/∂y‖²_F dt by Hutchinson's
	// estimator with a Gaussian probe (Finlay et al. 2020), Kelly
	// ∫‖dᴷy/dtᴷ‖² dt, the K-th total time derivative (Kelly et al. 2020).
	Kinetic, Frobenius, Kelly float64
	// KellyOrder is K of the Kelly regularizer, the order of the time
	// derivative; 0 means 2, at most 6. On the built-in MLP, K ≥ 3 runs by
	// Taylor mode along the flow (K − 1 more passes through the network
	// and their reverse pass); on a user's Network, by K − 1 nested
	// derivatives from internal/grad.
	KellyOrder int
}

// History is the record of a training run.
type History struct {
	// Loss is the loss of every step (the fit plus the regularizers) before
	// its update; Fit its mean squared error part.
	Loss, Fit []float64
	// NFE is the forward solve's number of evaluations of f at every step.
	NFE []int
	// Steps is the number of completed steps.
	Steps int
	// Elapsed is the wall time; Stop why training stopped ("step limit",
	// "time limit", "canceled").
	Elapsed time.Duration
	Stop    string
}

// terms returns the regularizer terms and weights of tc.
func (tc TrainConfig) terms() ([]term, []float64, error) {
	K := tc.KellyOrder
	if K == 0 {
		K = 2
	}
	if K < 2 || K > 6 {
		return nil, nil, errorf(ErrInput, "TrainConfig.KellyOrder = %d; must be 0 (meaning 2) or from 2 to 6", tc.KellyOrder)
	}
	if tc.KellyOrder != 0 && tc.Kelly == 0 {
		return nil, nil, errorf(ErrInput, "TrainConfig.KellyOrder = %d but Kelly is 0: the order applies to the Kelly regularizer only; set Kelly or leave KellyOrder 0", tc.KellyOrder)
	}
	var ts []term
	var ws []float64
	for _, r := range []struct {
		w float64
		t term
		n string
	}{{tc.Kinetic, termKinetic, "Kinetic"}, {tc.Frobenius, termFrobenius, "Frobenius"}, {tc.Kelly, kellyTerm(K), "Kelly"}} {
		if !(r.w >= 0) || math.IsInf(r.w, 0) {
			return nil, nil, errorf(ErrInput, "TrainConfig.%s = %g; must be ≥ 0 and finite", r.n, r.w)
		}
		if r.w > 0 {
			ts, ws = append(ts, r.t), append(ws, r.w)
		}
	}
	return ts, ws, nil
}

// Train fits the model to the trajectories of d by Adam on the mean squared
// error between the solution and the observations of each window (plus the
// regularizers of tc), with gradients by tc.Gradient. It continues from the
// current parameters. Cancelling ctx stops after the current step with an
// error matching context.Canceled; the model keeps the parameters of the
// last completed step, as it does when a loss or gradient becomes NaN or
// Inf (an error matching ErrNotFinite that names the step).
func (m *Model) Train(ctx context.Context, d *Data, tc TrainConfig) (History, error) {
	if err := m.ok(); err != nil {
		return History{}, err
	}
	if ctx == nil {
		return History{}, errorf(ErrInput, "nil context")
	}
	if err := d.check(m.dim); err != nil {
		return History{}, err
	}
	if !tc.Solver.valid() {
		return History{}, errorf(ErrInput, "TrainConfig.Solver is not set: there is no default; set it and its Options, e.g. Solver: node.RK4(), Options: node.Options{Dt: 0.05}")
	}
	if _, err := checkModelSolver(tc.Solver); err != nil {
		return History{}, err
	}
	terms, weights, err := tc.terms()
	if err != nil {
		return History{}, err
	}
	nt := len(d.T)
	W := tc.Window
	switch {
	case W == 0:
		W = nt
	case W < 2 || W > nt:
		return History{}, errorf(ErrInput, "TrainConfig.Window = %d; must be 0 (whole trajectories) or in [2, %d]", tc.Window, nt)
	}
	if W < nt {
		h := d.T[1] - d.T[0]
		for i := 1; i < nt; i++ {
			if math.Abs(d.T[i]-d.T[i-1]-h) > 1e-9*(d.T[nt-1]-d.T[0]) {
				return History{}, errorf(ErrInput, "TrainConfig.Window = %d needs equally spaced Data.T (T[%d] − T[%d] = %g, T[1] − T[0] = %g)", W, i, i-1, d.T[i]-d.T[i-1], h)
			}
		}
	}
	perTraj := nt - W + 1
	N := len(d.Y) * perTraj
	B := tc.BatchSize
	switch {
	case B == 0:
		B = N
	case B < 0 || B > N:
		return History{}, errorf(ErrInput, "TrainConfig.BatchSize = %d; must be in [1, %d] (the number of windows), or 0 for all", B, N)
	}
	if tc.Steps < 0 || tc.LR < 0 || tc.WeightDecay < 0 || tc.TimeLimit < 0 {
		return History{}, errorf(ErrInput, "TrainConfig.Steps, LR, WeightDecay and TimeLimit must be ≥ 0")
	}
	ts := make([]float64, W)
	for i := range ts {
		ts[i] = d.T[i] - d.T[0]
	}
	if W == nt {
		copy(ts, d.T)
	}
	n := m.dim
	y0 := make([]float64, B*n)
	off := make([]float64, B)
	obs := make([][]float64, W) // obs[i] (B·n)
	for i := range obs {
		obs[i] = make([]float64, B*n)
	}
	var eps []float64
	for _, t := range terms {
		if t.needsEps() {
			eps = make([]float64, B*n)
		}
	}
	probes := rng.Stream(tc.Seed, 1)

	stepFn := func(idx []int) (float64, float64, *gradResult, error) {
		for r, w := range idx {
			k, s := w/perTraj, w%perTraj
			copy(y0[r*n:(r+1)*n], d.Y[k][s*n:(s+1)*n])
			off[r] = d.T[s] - ts[0]
			for i := 0; i < W; i++ {
				copy(obs[i][r*n:(r+1)*n], d.Y[k][(s+i)*n:(s+i+1)*n])
			}
		}
		for i := range eps {
			eps[i] = probes.NormFloat64()
		}
		var L, fit float64
		cotFn := func(ys [][]float64) ([][]float64, error) {
			L, fit = 0, 0
			cot := make([][]float64, W)
			scale := 1 / float64(B*(W-1)*n)
			for i := 1; i < W; i++ {
				cot[i] = make([]float64, len(ys[i]))
				for c := 0; c < B*n; c++ {
					e := ys[i][c] - obs[i][c]
					fit += e * e * scale
					cot[i][c] = 2 * e * scale
				}
			}
			L = fit
			mt := len(terms)
			for j, w := range weights {
				for r := 0; r < B; r++ {
					L += w / float64(B) * ys[W-1][B*n+r*mt+j]
					cot[W-1][B*n+r*mt+j] += w / float64(B)
				}
			}
			return cot, nil
		}
		res, err := m.grad(B, terms, off, eps, y0, ts, nil, tc.Solver, tc.Options, tc.Gradient, cotFn)
		return L, fit, res, err
	}
	return m.fit(ctx, tc, N, B, stepFn)
}

// fit runs Adam (train.Run) on gradients that stepFn computes by solving
// the ODE for the samples idx: it returns the loss, its fit part and the
// gradient.
func (m *Model) fit(ctx context.Context, tc TrainConfig, N, B int, stepFn func(idx []int) (float64, float64, *gradResult, error)) (History, error) {
	if tc.Steps < 0 || tc.LR < 0 || tc.WeightDecay < 0 || tc.TimeLimit < 0 {
		return History{}, errorf(ErrInput, "TrainConfig.Steps, LR, WeightDecay and TimeLimit must be ≥ 0")
	}
	steps := tc.Steps
	if steps == 0 {
		steps = 1000
	}
	// The surrogate graph: loss = Σ_p Σ (θ_p − θ̂_p)⊙G_p + L, where θ̂ is a
	// copy of θ and G, L the gradient and loss computed by solving the ODE
	// in Feed. Its value is L exactly (θ − θ̂ = 0) and its gradient G, so
	// train.Run applies Adam to gradients it cannot build as a graph.
	k0, err := m.kernel(1, nil)
	if err != nil {
		return History{}, err
	}
	g := G.NewGraph()
	b := newBuilder(g)
	params := make([]*G.Node, len(k0.params))
	var snaps, grads [][]float64
	var loss *G.Node
	for i, p := range k0.params {
		shape := slices.Clone([]int(p.Shape()))
		pv := make([]float64, shape2size(shape))
		params[i], _ = input(g, p.Name(), pv, shape...)
		sn, sd := input(g, p.Name()+".snapshot", nil, shape...)
		gn, gd := input(g, p.Name()+".grad", nil, shape...)
		snaps, grads = append(snaps, sd), append(grads, gd)
		term := b.Sum(b.HadamardProd(b.Sub(params[i], sn), gn))
		if loss == nil {
			loss = term
		} else {
			loss = b.Add(loss, term)
		}
	}
	lossIn, lossData := input(g, "node.loss", nil, 1)
	loss = b.Add(b.Sum(lossIn), loss)
	if b.Err() != nil {
		return History{}, b.Err()
	}
	if err := train.SetValues(params, m.theta); err != nil {
		return History{}, errorf(ErrInput, "parameters: %w", err)
	}

	var hist History
	step := 0
	var feedErr error
	// Feed solves the ODE for the step's windows; train.Run checks the
	// context and the time limit before every step.
	feed := func(idx []int) error {
		step++
		theta, err := train.Values(params)
		if err != nil {
			return errorf(ErrInput, "parameters: %w", err)
		}
		copy(m.theta, theta)
		L, fit, res, err := stepFn(idx)
		if err == nil && (math.IsNaN(L) || math.IsInf(L, 0)) {
			err = errorf(ErrNotFinite, "loss is %v", L)
		}
		if err != nil {
			feedErr = &stepError{step: step, err: err}
			return feedErr
		}
		off := 0
		for i := range grads {
			copy(grads[i], res.gtheta[off:off+len(grads[i])])
			copy(snaps[i], theta[off:off+len(snaps[i])])
			off += len(grads[i])
		}
		lossData[0] = L
		hist.Fit = append(hist.Fit, fit)
		hist.NFE = append(hist.NFE, res.fwd.NFE)
		return nil
	}
	h, err := train.Run(train.Problem{Graph: g, Loss: loss, Params: params, N: N, Feed: feed},
		train.Adam{LR: tc.LR, WeightDecay: tc.WeightDecay},
		train.Config{Steps: steps, BatchSize: B, Seed: tc.Seed, Progress: tc.Progress,
			Context: ctx, TimeLimit: tc.TimeLimit, Prefix: "node"})
	hist.Loss, hist.Steps, hist.Elapsed, hist.Stop = h.Loss, h.Steps, h.Elapsed, h.Stop
	hist.Fit, hist.NFE = hist.Fit[:min(len(hist.Fit), h.Steps)], hist.NFE[:min(len(hist.NFE), h.Steps)]
	if theta, verr := train.Values(params); verr == nil {
		copy(m.theta, theta)
	}
	switch {
	case feedErr != nil:
		// The step's own error ("node: step N: ..."), without train's
		// "node: step N: Feed:" in front of it.
		return hist, feedErr
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		hist.Stop = "canceled"
	}
	// train.Run's errors start with "node: " and match ErrNotFinite (a NaN
	// or Inf loss or gradient, naming the step), ErrInput or the context's
	// error.
	return hist, err
}

// stepError is an error of one training step, "node: step N: …" as
// train.Run writes its own, wrapping the cause.
type stepError struct {
	step int
	err  error
}

func (e *stepError) Error() string {
	return fmt.Sprintf("node: step %d: %s", e.step, strings.TrimPrefix(e.err.Error(), "node: "))
}

func (e *stepError) Unwrap() error { return e.err }

func shape2size(s []int) int {
	n := 1
	for _, v := range s {
		n *= v
	}
	return n
}
