package hnn

import (
	"context"
	"errors"
	"math"
	"testing"
)

// TestHNNConservesEnergyBetterThanBaseline is the paper's headline on the
// mass-spring: after the same training, the HNN's energy MSE along RK4
// rollouts from the test initial states (t ∈ [0, 20]) is at least 10×
// lower than the baseline's. To run in seconds the networks are smaller
// than the paper's (two hidden layers of 32 instead of 200) and train 300
// full-batch steps instead of 2,000; the data set is the paper's (25
// training trajectories of 30 noisy points). Measured here: HNN 1.7e-4,
// baseline 5.4e-2, a ratio of about 300, so 10× has a wide margin. Runs in
// about 3 s.
func TestHNNConservesEnergyBetterThanBaseline(t *testing.T) {
	sys := MassSpring()
	ds, err := Simulate(sys, paper(sys, 1))
	if err != nil {
		t.Fatal(err)
	}
	var r [2]Metrics
	for i, base := range []bool{false, true} {
		m, err := New(2, Config{Hidden: []int{32, 32}, Baseline: base, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		fit(t, m, ds, steps(300))
		if r[i], err = Evaluate(m, sys, ds, EvalConfig{}); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("energy MSE: HNN %.3g, baseline %.3g; test loss: HNN %.3g, baseline %.3g", r[0].EnergyMSE, r[1].EnergyMSE, r[0].TestLoss, r[1].TestLoss)
	if !(10*r[0].EnergyMSE <= r[1].EnergyMSE) {
		t.Errorf("HNN energy MSE %.3g is not 10× below the baseline's %.3g", r[0].EnergyMSE, r[1].EnergyMSE)
	}
	// Both fit the derivatives: the test loss is near the floor set by the
	// input noise (σ = 0.1 on x, slope 2: ≈ 4σ² = 0.04), well below the
	// loss of predicting zero (mean |dx/dt|² / 2 ≈ 0.7).
	for i, name := range []string{"HNN", "baseline"} {
		if r[i].TestLoss > 0.1 {
			t.Errorf("%s test loss %.3g: the derivatives were not learned", name, r[i].TestLoss)
		}
	}
}

// TestSameSeedSameModel checks that training is reproducible bit for bit.
func TestSameSeedSameModel(t *testing.T) {
	c := paper(Pendulum(), 3)
	c.Trajectories = 4
	ds, err := Simulate(Pendulum(), c)
	if err != nil {
		t.Fatal(err)
	}
	var losses [2][]float64
	for i := range losses {
		m, err := New(2, Config{Hidden: []int{8}, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		tc := steps(20)
		tc.BatchSize, tc.Seed = 30, 7
		h := fit(t, m, ds, tc)
		losses[i] = h.Loss
	}
	for j := range losses[0] {
		if losses[0][j] != losses[1][j] {
			t.Fatalf("step %d: loss %v then %v with the same seed", j, losses[0][j], losses[1][j])
		}
	}
}

// TestModelBadInput checks that wrong dimensions, odd phase spaces, NaN
// data and bad configurations give errors, not panics.
func TestModelBadInput(t *testing.T) {
	if _, err := New(3, Config{}); err == nil {
		t.Error("New accepted an odd phase-space dimension")
	}
	if _, err := New(0, Config{}); err == nil {
		t.Error("New accepted dimension 0")
	}
	for _, c := range []Config{{Hidden: []int{}}, {Hidden: []int{4, 0}}} {
		if _, err := New(2, c); !errors.Is(err, ErrInput) {
			t.Errorf("New accepted %+v: %v", c, err)
		}
	}
	m, err := New(2, Config{Hidden: []int{4}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := paper(MassSpring(), 1)
	cfg.Trajectories = 2
	ds, err := Simulate(MassSpring(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	bad := *ds
	bad.X = append([]float64(nil), ds.X...)
	bad.X[5] = math.NaN()
	ctx := context.Background()
	if _, err := m.Train(ctx, &bad, steps(2)); !errors.Is(err, ErrNotFinite) {
		t.Errorf("Train accepted NaN data: %v", err)
	}
	for _, tc := range []TrainConfig{{Steps: -1}, {LR: -1}, {LR: math.NaN()}, {WeightDecay: math.Inf(1)}, {WeightDecay: -1}, {BatchSize: -2}, {TimeLimit: -1}} {
		if _, err := m.Train(ctx, ds, tc); !errors.Is(err, ErrInput) {
			t.Errorf("Train accepted %+v: %v", tc, err)
		}
	}
	//lint:ignore SA1012 a nil context is the bad input under test
	if _, err := m.Train(nil, ds, steps(1)); !errors.Is(err, ErrInput) { //nolint:staticcheck
		t.Errorf("Train accepted a nil context: %v", err)
	}
	bad = *ds
	bad.DX = ds.DX[:len(ds.DX)-1]
	if _, err := m.Train(ctx, &bad, steps(2)); !errors.Is(err, ErrInput) {
		t.Error("Train accepted mismatched X and DX")
	}
	tb := paper(TwoBody(), 1)
	tb.Trajectories, tb.Points = 2, 5
	four, err := Simulate(TwoBody(), tb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(ctx, four, steps(2)); !errors.Is(err, ErrInput) {
		t.Error("Train accepted 8-D data for a 2-D model")
	}
	if _, err := m.Train(ctx, nil, steps(2)); !errors.Is(err, ErrInput) {
		t.Error("Train accepted a nil data set")
	}
	if _, err := m.Train(ctx, ds, TrainConfig{BatchSize: 10000}); !errors.Is(err, ErrInput) {
		t.Error("Train accepted a batch larger than the data")
	}
	if err := m.Deriv([]float64{1, 2, 3}, make([]float64, 3)); err == nil {
		t.Error("Deriv accepted 3 values in 2-D")
	}
	if err := m.Deriv([]float64{1, math.NaN()}, make([]float64, 2)); err == nil {
		t.Error("Deriv accepted a NaN state")
	}
	if err := m.Energy([]float64{1, 2}, make([]float64, 2)); err == nil {
		t.Error("Energy accepted an output of the wrong length")
	}
	base, _ := New(2, Config{Hidden: []int{4}, Baseline: true})
	if err := base.Energy([]float64{1, 2}, make([]float64, 1)); err == nil {
		t.Error("the baseline returned an energy")
	}
	if _, err := Evaluate(m, TwoBody(), ds, EvalConfig{}); err == nil {
		t.Error("Evaluate accepted a system of another dimension")
	}
	if _, err := Evaluate(m, MassSpring(), ds, EvalConfig{T: -1}); err == nil {
		t.Error("Evaluate accepted a negative rollout length")
	}
	if _, err := Evaluate(nil, MassSpring(), ds, EvalConfig{}); err == nil {
		t.Error("Evaluate accepted a nil model")
	}
}

// TestMidpointRolloutOfModel checks the symplectic rollout of a learned
// HNN: the implicit midpoint rule keeps the model's own H bounded over a
// long run, with no drift between the first and last tenth.
func TestMidpointRolloutOfModel(t *testing.T) {
	m, err := New(2, Config{Hidden: []int{16, 16}, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	x0 := []float64{0.5, -0.2}
	const n = 2000
	out, err := Rollout(m, x0, 200, n, ImplicitMidpoint())
	if err != nil {
		t.Fatal(err)
	}
	h := make([]float64, n+1)
	for i, x := range out.X {
		if err := m.Energy(x, h[i:i+1]); err != nil {
			t.Fatal(err)
		}
	}
	var first, last float64
	for i, v := range h {
		d := math.Abs(v - h[0])
		if i <= n/10 {
			first = math.Max(first, d)
		} else if i >= n*9/10 {
			last = math.Max(last, d)
		}
	}
	t.Logf("|ΔH_θ| first tenth %.3g, last tenth %.3g", first, last)
	if last > 1.5*first+1e-12 {
		t.Errorf("learned energy drifted: |ΔH_θ| %.3g in the first tenth, %.3g in the last", first, last)
	}
}

// blowUp is the mass-spring's field except on the first state, where it
// is dx/dt = 50x: that rollout leaves every bound (and overflows) while
// the others follow the truth.
type blowUp struct{ sys System }

func (b blowUp) Dim() int { return 2 }
func (b blowUp) Deriv(x, dxdt []float64) error {
	if err := b.sys.Deriv(x, dxdt); err != nil {
		return err
	}
	dxdt[0], dxdt[1] = 50*x[0], 50*x[1]
	return nil
}

// TestDivergedRolloutsCounted: a rollout that blows up is counted in
// Diverged and left out of the MSEs, instead of failing Evaluate or
// printing an energy error of 1e71; the other rollouts are exact up to
// RK4's error.
func TestDivergedRolloutsCounted(t *testing.T) {
	sys := MassSpring()
	starts := []float64{0.5, 0, 0.3, 0.4, -0.2, 0.6}
	r, err := rolloutErrors(Metrics{}, blowUp{sys}, sys, starts, EvalConfig{T: 20, Steps: 400, Method: RK4(), DivergeEnergy: 1000})
	if err != nil {
		t.Fatal(err)
	}
	// Measured: energy MSE 1.1e-12 and state MSE 6.0e-11 for RK4 at
	// h = 0.05 against the truth at h/4.
	if r.Rollouts != 3 || r.Diverged != 1 || !(r.EnergyMSE < 5e-12) || !(r.StateMSE < 3e-10) {
		t.Fatalf("%+v", r)
	}
	// With every rollout beyond a tiny threshold, the MSEs are +Inf.
	r, err = rolloutErrors(Metrics{}, blowUp{sys}, sys, starts, EvalConfig{T: 1, Steps: 20, Method: RK4(), DivergeEnergy: 1e-300})
	if err != nil || r.Diverged != 3 || !math.IsInf(r.EnergyMSE, 1) {
		t.Fatalf("%+v, %v", r, err)
	}
}

// TestEvaluateTrueSystem: the true system evaluated as a Field scores
// zero loss and only RK4's error along its rollouts (h = 0.05 against the
// truth at h/4), which checks Evaluate's bookkeeping from outside the
// models; a nil *System is an error, not a panic.
func TestEvaluateTrueSystem(t *testing.T) {
	sys := Pendulum()
	c := paper(sys, 4)
	c.Trajectories, c.Noise = 6, 0
	ds, err := Simulate(sys, c)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Evaluate(sys, sys, ds, EvalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	// Measured: energy MSE 2.5e-11, state MSE 6.7e-11 (RK4 at h = 0.05
	// over 20 s).
	if r.TrainLoss != 0 || r.TestLoss != 0 || r.Diverged != 0 || r.Rollouts != 3 || !(r.EnergyMSE < 1e-10) || !(r.StateMSE < 3e-10) {
		t.Fatalf("%+v", r)
	}
	if _, err := Rollout((*System)(nil), []float64{1, 0}, 1, 1, RK4()); !errors.Is(err, ErrInput) {
		t.Errorf("nil *System: %v", err)
	}
}
