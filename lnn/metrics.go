package lnn

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// maxRolloutValues bounds the length of a rollout's trajectory.
const maxRolloutValues = 1 << 30

// EvalConfig sets the rollouts of Evaluate. The zero value means RK4 over
// t ∈ [0, 10] in steps of 0.01 from every initial state of the test set.
type EvalConfig struct {
	// T is the length of the rollouts; 0 means 10.
	T float64
	// DT is the step of the model's rollouts (and the spacing of the
	// points compared); 0 means 0.01. The truth is integrated with RK4 in
	// steps 10 times smaller.
	DT float64
	// Method integrates the model; the zero Method means RK4().
	Method Method
	// DivergeEnergy is the divergence threshold: a rollout whose relative
	// energy drift |E(x̂(t)) − E(x(0))| / (E(x(0)) − MinEnergy) passes it at
	// some time, or whose state stops being finite, counts as diverged. 0
	// means 1000.
	DivergeEnergy float64
	// Trajectories caps how many initial states are used; 0 means all.
	Trajectories int
}

// Metrics are the paper's numbers for one model on a test set.
type Metrics struct {
	// TestLoss is the mean squared error of q̈ on the test states.
	TestLoss float64
	// StateMSE is the mean squared error of the rolled-out states (q and
	// q̇) against the true trajectories, over coordinates, time points and
	// rollouts.
	StateMSE float64
	// EnergyErr is the mean, over time points and rollouts, of the true
	// energy's relative drift along the predicted trajectory,
	// |E(x̂(t)) − E(x(0))| / (E(x(0)) − E_min), E_min the energy at rest
	// at the bottom; MaxEnergyErr is its largest value. MedianEnergyErr is
	// the median over rollouts of each rollout's mean drift: a few
	// blown-up rollouts dominate EnergyErr but not the median.
	EnergyErr, MaxEnergyErr, MedianEnergyErr float64
	// EnergyErrCurve is the relative drift at each time point i·DT
	// (Points values), averaged over the rollouts that did not diverge:
	// EnergyErr is its mean.
	// It is nil when every rollout diverged.
	EnergyErrCurve []float64
	// Rollouts is the number of rollouts, Points the time points in each.
	Rollouts, Points int
	// Diverged is the number of rollouts whose state became Inf or NaN
	// (a *DivergedError) or whose energy drift passed
	// EvalConfig.DivergeEnergy: a baseline can blow up; Lagrangian models
	// cannot while their mass matrix stays regular. StateMSE and the
	// energy errors are over the other rollouts; all of them diverging
	// makes those numbers +Inf.
	Diverged int
}

// Evaluate computes the metrics of the dynamics d (a Model, or any
// Dynamics) against the true system sys (its Acceleration, Energy and
// MinEnergy) on the test set (Dataset.Test of Simulate's result): the q̈
// loss on its states and rollouts from its initial states. A rollout that
// diverges is counted in Metrics.Diverged; any other failure of a rollout
// (a singular learned mass matrix) is returned as an error.
func Evaluate(d Dynamics, sys System, test *Dataset, cfg EvalConfig) (Metrics, error) {
	var r Metrics
	if d == nil {
		return r, errorf(ErrInput, "Evaluate: nil dynamics")
	}
	if mdl, ok := d.(*Model); ok {
		if err := mdl.check(); err != nil {
			return r, err
		}
	}
	if err := sys.check(); err != nil {
		return r, err
	}
	if sys.Energy == nil {
		return r, errorf(ErrInput, "Evaluate: system %q has no Energy function", sys.Name)
	}
	if err := test.check(); err != nil {
		return r, err
	}
	if d.Dim() != sys.Dim() || test.Dof != sys.Dof {
		return r, errorf(ErrInput, "Evaluate: state lengths differ: model %d, system %d, data %d", d.Dim(), sys.Dim(), 2*test.Dof)
	}
	if cfg.Method == (Method{}) {
		cfg.Method = RK4()
	}
	if cfg.T == 0 {
		cfg.T = 10
	}
	if cfg.DT == 0 {
		cfg.DT = 0.01
	}
	if !(cfg.T > 0) || math.IsInf(cfg.T, 0) || !(cfg.DT > 0) || cfg.DT > cfg.T {
		return r, errorf(ErrInput, "Evaluate: rollout length %v and step %v; need 0 < DT ≤ T, finite", cfg.T, cfg.DT)
	}
	// The true rollouts take 10 steps per model step: (10·steps+1)·2n values.
	w := sys.Dim()
	if cfg.T/cfg.DT > float64(maxRolloutValues/(10*w)-1) {
		return r, errorf(ErrInput, "Evaluate: T/DT = %g steps; at most %d", cfg.T/cfg.DT, maxRolloutValues/(10*w)-1)
	}
	if cfg.Trajectories < 0 {
		return r, errorf(ErrInput, "Evaluate: %d trajectories; must be ≥ 0 (0 means all)", cfg.Trajectories)
	}
	if cfg.DivergeEnergy == 0 {
		cfg.DivergeEnergy = 1000
	}
	if !(cfg.DivergeEnergy > 0) {
		return r, errorf(ErrInput, "EvalConfig.DivergeEnergy is %v; must be positive (0 means 1000)", cfg.DivergeEnergy)
	}
	pred := make([]float64, len(test.QDD))
	if err := d.Accel(test.X, pred); err != nil {
		return r, err
	}
	for i, p := range pred {
		e := p - test.QDD[i]
		r.TestLoss += e * e
	}
	r.TestLoss /= float64(len(pred))

	K := len(test.Initial) / w
	if cfg.Trajectories > 0 {
		K = min(K, cfg.Trajectories)
	}
	if K == 0 {
		return r, errorf(ErrInput, "Evaluate: the test set has no initial states to roll out from")
	}
	steps := int(math.Round(cfg.T / cfg.DT))
	emin := sys.MinEnergy
	var sse, esum float64
	var perRollout []float64
	curve := make([]float64, steps+1)
	for k := 0; k < K; k++ {
		x0 := test.Initial[w*k : w*(k+1)]
		got, err := run(d, x0, cfg.DT*float64(steps), steps, cfg.DT, cfg.Method)
		var de *DivergedError
		if errors.As(err, &de) {
			r.Diverged++
			continue
		}
		if err != nil {
			return r, fmt.Errorf("%w (Evaluate, rollout %d)", err, k)
		}
		tdt := cfg.DT / 10
		truth, err := run(sys, x0, tdt*float64(10*steps), 10*steps, tdt, RK4())
		if err != nil {
			return r, fmt.Errorf("%w (Evaluate, true rollout %d)", err, k)
		}
		e0, err := sys.energy(x0)
		if err != nil {
			return r, err
		}
		if !(e0 > emin) {
			return r, errorf(ErrInput, "Evaluate: initial state %d has energy %v, not above the system's MinEnergy %v", k, e0, emin)
		}
		drift := make([]float64, steps+1)
		over := false
		for i := range drift {
			es, err := sys.energy(got.X[i])
			if err != nil {
				return r, err
			}
			drift[i] = math.Abs(es-e0) / (e0 - emin)
			over = over || !(drift[i] <= cfg.DivergeEnergy)
		}
		if over {
			r.Diverged++
			continue
		}
		// This rollout's own sum (a difference of running sums loses it when
		// a blown-up baseline has pushed them up).
		mine := 0.0
		for i := 0; i <= steps; i++ {
			s, tr := got.X[i], truth.X[10*i]
			for j := range s {
				e := s[j] - tr[j]
				sse += e * e
			}
			de := drift[i]
			esum += de
			mine += de
			curve[i] += de
			r.MaxEnergyErr = math.Max(r.MaxEnergyErr, de)
		}
		perRollout = append(perRollout, mine/float64(steps+1))
	}
	r.Rollouts, r.Points = K, steps+1
	if ok := K - r.Diverged; ok > 0 {
		r.StateMSE = sse / float64(ok*(steps+1)*w)
		r.EnergyErr = esum / float64(ok*(steps+1))
		for i := range curve {
			curve[i] /= float64(ok)
		}
		r.EnergyErrCurve = curve
		sort.Float64s(perRollout)
		if h := len(perRollout) / 2; len(perRollout)%2 == 1 {
			r.MedianEnergyErr = perRollout[h]
		} else {
			r.MedianEnergyErr = (perRollout[h-1] + perRollout[h]) / 2
		}
	} else {
		r.StateMSE, r.EnergyErr, r.MaxEnergyErr, r.MedianEnergyErr = math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1)
	}
	return r, nil
}
