package hnn

import (
	"math"

	"github.com/physbias/physbias/internal/rollout"
)

// EvalConfig sets the rollouts of Evaluate. The zero value means RK4 over
// t ∈ [0, 20] in steps of 0.05 from every test trajectory's initial state,
// with the divergence threshold 1000.
type EvalConfig struct {
	// T is the length of the rollouts; 0 means 20.
	T float64
	// Steps is the number of fixed steps over [0, T]; 0 means ⌈T/0.05⌉.
	Steps int
	// Method integrates the model; the zero Method means RK4() (the
	// paper's). The truth is always integrated with RK4 on a grid 4 times
	// finer.
	Method Method
	// Trajectories caps how many test initial states are used; 0 means
	// all of them.
	Trajectories int
	// DivergeEnergy is the divergence threshold: a rollout whose true
	// energy differs from the true trajectory's by more than
	// DivergeEnergy·(1 + |H(x₀)|) at some time, or whose state stops being
	// finite, counts as diverged. 0 means 1000.
	DivergeEnergy float64
}

// Metrics are the numbers of the paper's Table 1 for one model.
type Metrics struct {
	// TrainLoss and TestLoss are the mean squared errors of dx/dt on the
	// training and test pairs (over all coordinates).
	TrainLoss, TestLoss float64
	// StateMSE is the mean squared error of the rolled-out states against
	// the true trajectories, over coordinates, time points and the
	// rollouts that did not diverge.
	StateMSE float64
	// EnergyMSE is the mean squared difference between the true H along
	// the rolled-out trajectory and the true H along the true one, over
	// time points and the rollouts that did not diverge. Both MSEs are +Inf
	// when every rollout diverged.
	EnergyMSE float64
	// Rollouts is the number of rollouts; Diverged how many of them
	// diverged (see EvalConfig.DivergeEnergy) and are left out of the
	// MSEs. A baseline can diverge; an HNN's energy stays bounded.
	Rollouts, Diverged int
}

// Evaluate computes the Metrics of f (a Model, or any Field) on the data
// set d of the system sys: the derivative losses on d's pairs, and
// rollouts of f and of sys from d's test initial states. A diverging
// rollout is counted in Metrics.Diverged, not returned as an error.
func Evaluate(f Field, sys System, d *Dataset, cfg EvalConfig) (Metrics, error) {
	var r Metrics
	if _, err := checkField(f); err != nil {
		return r, err
	}
	if err := sys.check(); err != nil {
		return r, err
	}
	if err := d.check(); err != nil {
		return r, err
	}
	dim := f.Dim()
	if sys.Dim() != dim || d.Dim != dim {
		return r, errorf(ErrInput, "Evaluate: state lengths differ: field %d, system %d, data %d", dim, sys.Dim(), d.Dim)
	}
	if cfg.T == 0 {
		cfg.T = 20
	}
	if !(cfg.T > 0) || math.IsInf(cfg.T, 0) {
		return r, errorf(ErrInput, "EvalConfig.T is %v; must be positive and finite", cfg.T)
	}
	if cfg.Steps < 0 || cfg.Trajectories < 0 {
		return r, errorf(ErrInput, "EvalConfig has %d steps and %d trajectories; neither may be negative", cfg.Steps, cfg.Trajectories)
	}
	if cfg.Steps == 0 {
		cfg.Steps = int(math.Ceil(cfg.T / 0.05))
	}
	if cfg.Method == (Method{}) {
		cfg.Method = RK4()
	}
	if cfg.DivergeEnergy == 0 {
		cfg.DivergeEnergy = 1000
	}
	if !(cfg.DivergeEnergy > 0) {
		return r, errorf(ErrInput, "EvalConfig.DivergeEnergy is %v; must be positive (0 means 1000)", cfg.DivergeEnergy)
	}
	var err error
	if r.TrainLoss, err = fieldLoss(f, d.X, d.DX); err != nil {
		return r, err
	}
	if len(d.TestX) > 0 {
		if r.TestLoss, err = fieldLoss(f, d.TestX, d.TestDX); err != nil {
			return r, err
		}
	}
	starts := d.TestStart
	if len(starts) == 0 || len(starts)%dim != 0 {
		return r, errorf(ErrInput, "Evaluate: the data set has %d test initial values; it needs whole test initial states", len(starts))
	}
	if k := cfg.Trajectories; k > 0 && k*dim < len(starts) {
		starts = starts[:k*dim]
	}
	return rolloutErrors(r, f, sys, starts, cfg)
}

// fieldLoss is the mean squared error of f's dx/dt against dxdt at the
// states x (Model.Loss for any Field).
func fieldLoss(f Field, x, dxdt []float64) (float64, error) {
	if m, ok := f.(*Model); ok {
		return m.Loss(x, dxdt)
	}
	return derivMSE(f, x, dxdt)
}

// derivMSE is the mean squared error of f's dx/dt against dxdt at the
// states x, over all coordinates.
func derivMSE(f Field, x, dxdt []float64) (float64, error) {
	pred := make([]float64, len(x))
	if err := f.Deriv(x, pred); err != nil {
		return 0, err
	}
	var s float64
	for i, p := range pred {
		e := p - dxdt[i]
		s += e * e
	}
	return s / float64(len(x)), nil
}

// rolloutErrors integrates f and the true system from starts and fills in
// the state MSE, the energy MSE (true H on both) and the divergence count.
// Diverged rollouts are frozen (their field set to zero) so that the batch
// goes on; rows of a batch are independent, so the others are unchanged.
func rolloutErrors(r Metrics, f Field, sys System, starts []float64, cfg EvalConfig) (Metrics, error) {
	dim := sys.Dim()
	n := len(starts)
	K := n / dim
	r.Rollouts = K
	truth, err := Rollout(sys, starts, cfg.T, 4*cfg.Steps, RK4())
	if err != nil {
		return r, err
	}
	h0 := make([]float64, K)
	for k := range h0 {
		if h0[k], err = sys.energy(starts[k*dim : (k+1)*dim]); err != nil {
			return r, err
		}
	}
	div := make([]bool, K)
	scratch := make([]float64, n)
	field := func(x, dxdt []float64) error {
		copy(scratch, x)
		for k := 0; k < K; k++ {
			row := scratch[k*dim : (k+1)*dim]
			if div[k] || !finiteRow(row, math.Inf(1)) {
				div[k] = true
				clear(row)
			}
		}
		if err := f.Deriv(scratch, dxdt); err != nil {
			return err
		}
		for k := 0; k < K; k++ {
			row := dxdt[k*dim : (k+1)*dim]
			// A field above 1e100 will overflow the state within a step.
			if div[k] || !finiteRow(row, 1e100) {
				div[k] = true
				clear(row)
			}
		}
		return nil
	}
	step := 0
	check := func(_ float64, x []float64) error {
		step++
		q := truth.X[4*step]
		for k := 0; k < K; k++ {
			if div[k] {
				continue
			}
			hp, err := sys.energy(x[k*dim : (k+1)*dim])
			if err != nil {
				div[k] = true
				continue
			}
			ht, err := sys.energy(q[k*dim : (k+1)*dim])
			if err != nil {
				return err
			}
			if math.Abs(hp-ht) > cfg.DivergeEnergy*(1+math.Abs(h0[k])) {
				div[k] = true
			}
		}
		return nil
	}
	pred, err := rollout.Run(rollout.Problem{Prefix: "hnn", F: field, Dim: dim, X0: starts, T1: cfg.T, Steps: cfg.Steps,
		Method: cfg.Method, Check: check, Separable: sys.Separable && !isModel(f)})
	if err != nil {
		return r, err
	}
	var se, ee float64
	kept := 0
	for k := 0; k < K; k++ {
		if div[k] {
			r.Diverged++
			continue
		}
		kept++
		for i := 0; i <= cfg.Steps; i++ {
			p, q := pred.X[i][k*dim:(k+1)*dim], truth.X[4*i][k*dim:(k+1)*dim]
			for j := range p {
				e := p[j] - q[j]
				se += e * e
			}
			hp, _ := sys.energy(p)
			hq, _ := sys.energy(q)
			ee += (hp - hq) * (hp - hq)
		}
	}
	if kept == 0 {
		r.StateMSE, r.EnergyMSE = math.Inf(1), math.Inf(1)
		return r, nil
	}
	pts := float64((cfg.Steps + 1) * kept)
	r.StateMSE, r.EnergyMSE = se/(pts*float64(dim)), ee/pts
	return r, nil
}

func isModel(f Field) bool {
	_, ok := f.(*Model)
	return ok
}

// finiteRow reports whether every value of v is finite and at most bound
// in magnitude.
func finiteRow(v []float64, bound float64) bool {
	for _, a := range v {
		if !(math.Abs(a) <= bound) {
			return false
		}
	}
	return true
}
