package lnn

import (
	"testing"
)

// TestLNNConservesEnergy: trained on the same double-pendulum data with
// the same network size and training, the rollouts of the LNN and of the
// DeLaN variant keep the true energy far better than the baseline's. A
// Lagrangian model's flow conserves its learned energy exactly (up to
// RK4), so the true energy's error stays bounded by how well the learned
// level sets match the true ones; the baseline's error accumulates along
// the rollout. Small and short enough for a unit test: 32-32 networks,
// 2,500 steps (1,000 for DeLaN, whose assumed form ½q̇ᵀMq̇ − V trains
// faster; it then has less training than the baseline it must beat),
// rollouts of 30 s from 5 test states.
func TestLNNConservesEnergy(t *testing.T) {
	sys := pendulum(t)
	tr, te := simulate(t, DataConfig{Trajectories: 40, TestTrajectories: 5, Seed: 2})
	var met [3]Metrics
	for i, k := range []Kind{LNN, DeLaN, Baseline} {
		steps := 2500
		if k == DeLaN {
			steps = 1000
		}
		m, err := New(2, Config{Kind: k, Hidden: []int{32, 32}, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		h := fit(t, m, tr, tcfg(steps, 2))
		if met[i], err = Evaluate(m, sys, te, EvalConfig{T: 30}); err != nil {
			t.Fatal(err)
		}
		t.Logf("%v: trained in %.1fs, test loss %.3g; %d of %d rollouts diverged; the others: state MSE %.3g, energy err mean %.3g max %.3g",
			k, h.Elapsed.Seconds(), met[i].TestLoss, met[i].Diverged, met[i].Rollouts, met[i].StateMSE, met[i].EnergyErr, met[i].MaxEnergyErr)
	}
	base := met[2]
	// "Far better": no rollout of a Lagrangian model diverges and its drift
	// stays bounded (below half the energy above the minimum; measured max
	// 0.26, mean 0.056 for the LNN, max 0.11, mean 0.025 for DeLaN), and
	// either some baseline rollout diverges (its energy error grows without
	// bound) or the baseline's mean drift is 5 times the model's
	// (measured: the baseline reaches 1e74).
	for i, k := range []Kind{LNN, DeLaN} {
		lm := met[i]
		if lm.Diverged > 0 || !(lm.MaxEnergyErr < 0.5) || !(base.Diverged > 0 || base.EnergyErr > 5*lm.EnergyErr) {
			t.Errorf("%v: %d diverged, energy err mean %.3g max %.3g; baseline: %d diverged, mean %.3g: want no %v divergence, its max < 0.5, and the baseline diverging or 5× worse",
				k, lm.Diverged, lm.EnergyErr, lm.MaxEnergyErr, base.Diverged, base.EnergyErr, k)
		}
	}
}
