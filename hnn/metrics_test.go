package hnn

import (
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
	ds, err := Simulate(sys, DataConfig{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var r [2]Metrics
	for i, base := range []bool{false, true} {
		m, err := New(2, Config{Hidden: []int{32, 32}, Steps: 300, Baseline: base, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Train(ds); err != nil {
			t.Fatal(err)
		}
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
	ds, err := Simulate(Pendulum(), DataConfig{Trajectories: 4, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	var losses [2][]float64
	for i := range losses {
		m, err := New(2, Config{Hidden: []int{8}, Steps: 20, BatchSize: 30, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		h, err := m.Train(ds)
		if err != nil {
			t.Fatal(err)
		}
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
	for _, c := range []Config{{Hidden: []int{}}, {Hidden: []int{4, 0}}, {Steps: -1}, {LR: -1}, {LR: math.NaN()}, {WeightDecay: math.Inf(1)}, {BatchSize: -2}} {
		if _, err := New(2, c); err == nil {
			t.Errorf("New accepted %+v", c)
		}
	}
	m, err := New(2, Config{Hidden: []int{4}, Steps: 2})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Simulate(MassSpring(), DataConfig{Trajectories: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	bad := *ds
	bad.X = append([]float64(nil), ds.X...)
	bad.X[5] = math.NaN()
	if _, err := m.Train(&bad); err == nil {
		t.Error("Train accepted NaN data")
	}
	bad = *ds
	bad.DX = ds.DX[:len(ds.DX)-1]
	if _, err := m.Train(&bad); err == nil {
		t.Error("Train accepted mismatched X and DX")
	}
	four, err := Simulate(TwoBody(), DataConfig{Trajectories: 2, Points: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(four); err == nil {
		t.Error("Train accepted 8-D data for a 2-D model")
	}
	if _, err := m.Train(nil); err == nil {
		t.Error("Train accepted a nil data set")
	}
	big, _ := New(2, Config{Hidden: []int{4}, BatchSize: 10000})
	if _, err := big.Train(ds); err == nil {
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
	const steps = 2000
	out, err := Rollout(m, x0, 200, steps, ImplicitMidpoint)
	if err != nil {
		t.Fatal(err)
	}
	h := make([]float64, steps+1)
	if err := m.Energy(out, h); err != nil {
		t.Fatal(err)
	}
	var first, last float64
	for i, v := range h {
		d := math.Abs(v - h[0])
		if i <= steps/10 {
			first = math.Max(first, d)
		} else if i >= steps*9/10 {
			last = math.Max(last, d)
		}
	}
	t.Logf("|ΔH_θ| first tenth %.3g, last tenth %.3g", first, last)
	if last > 1.5*first+1e-12 {
		t.Errorf("learned energy drifted: |ΔH_θ| %.3g in the first tenth, %.3g in the last", first, last)
	}
}
