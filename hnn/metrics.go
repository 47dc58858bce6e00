package hnn

import (
	"fmt"
	"math"
)

// EvalConfig sets the rollouts of Evaluate. The zero value means RK4 over
// t ∈ [0, 20] in steps of 0.05 from every test trajectory's initial state.
type EvalConfig struct {
	// T is the length of the rollouts; 0 means 20.
	T float64
	// Steps is the number of fixed steps over [0, T]; 0 means T/0.05.
	Steps int
	// Method integrates the model; the truth is always integrated with
	// RK4 on a grid 4 times finer.
	Method Integrator
	// Trajectories caps how many test initial states are used; 0 means
	// all of them.
	Trajectories int
}

// Metrics are the numbers of the paper's Table 1 for one model.
type Metrics struct {
	// TrainLoss and TestLoss are the mean squared errors of dx/dt on the
	// training and test pairs (over all coordinates).
	TrainLoss, TestLoss float64
	// StateMSE is the mean squared error of the rolled-out states against
	// the true trajectories, over coordinates, time points and
	// trajectories.
	StateMSE float64
	// EnergyMSE is the mean squared difference between the true H along
	// the rolled-out trajectory and the true H along the true one, over
	// time points and trajectories.
	EnergyMSE float64
}

// Evaluate computes m's Metrics on the data set d of the system sys: the
// derivative losses on d's pairs, and rollouts of m and of sys from d's
// test initial states.
func Evaluate(m *Model, sys System, d *Dataset, cfg EvalConfig) (Metrics, error) {
	var r Metrics
	if m == nil {
		return r, fmt.Errorf("hnn: nil model")
	}
	if err := sys.check(); err != nil {
		return r, err
	}
	if err := d.check(); err != nil {
		return r, err
	}
	if sys.Dim != m.dim || d.Dim != m.dim {
		return r, fmt.Errorf("hnn: phase-space dimensions differ: model %d, system %d, data %d", m.dim, sys.Dim, d.Dim)
	}
	if cfg.T == 0 {
		cfg.T = 20
	}
	if !(cfg.T > 0) || math.IsInf(cfg.T, 0) {
		return r, fmt.Errorf("hnn: rollout length %v; must be positive and finite", cfg.T)
	}
	if cfg.Steps < 0 || cfg.Trajectories < 0 {
		return r, fmt.Errorf("hnn: EvalConfig has %d steps and %d trajectories; neither may be negative", cfg.Steps, cfg.Trajectories)
	}
	if cfg.Steps == 0 {
		cfg.Steps = int(math.Ceil(cfg.T / 0.05))
	}
	var err error
	if r.TrainLoss, err = m.Loss(d.X, d.DX); err != nil {
		return r, err
	}
	if len(d.TestX) > 0 {
		if r.TestLoss, err = m.Loss(d.TestX, d.TestDX); err != nil {
			return r, err
		}
	}
	starts := d.TestStart
	if len(starts) == 0 || len(starts)%m.dim != 0 {
		return r, fmt.Errorf("hnn: data set has %d test initial values; Evaluate needs whole test initial states", len(starts))
	}
	if k := cfg.Trajectories; k > 0 && k*m.dim < len(starts) {
		starts = starts[:k*m.dim]
	}
	r.StateMSE, r.EnergyMSE, err = rolloutErrors(m, sys, starts, cfg.T, cfg.Steps, cfg.Method)
	return r, err
}

// rolloutErrors integrates f and the true system from starts and returns
// the state MSE and the energy MSE (true H on both).
func rolloutErrors(f Field, sys System, starts []float64, T float64, steps int, method Integrator) (stateMSE, energyMSE float64, err error) {
	pred, err := Rollout(f, starts, T, steps, method)
	if err != nil {
		return 0, 0, err
	}
	truth, err := Rollout(sys, starts, T, 4*steps, RK4)
	if err != nil {
		return 0, 0, err
	}
	n := len(starts)
	dim := sys.Dim
	var se, ee float64
	for i := 0; i <= steps; i++ {
		p, q := pred[i*n:(i+1)*n], truth[4*i*n:(4*i+1)*n]
		for j := range p {
			e := p[j] - q[j]
			se += e * e
		}
		for k := 0; k < n; k += dim {
			e := sys.Energy(p[k:k+dim]) - sys.Energy(q[k:k+dim])
			ee += e * e
		}
	}
	k := n / dim
	return se / float64((steps+1)*n), ee / float64((steps+1)*k), nil
}
