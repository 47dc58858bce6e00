package hnn_test

// General-case checks on Hamiltonian systems hnn does not ship, through
// the public API only.

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/physbias/physbias/hnn"
)

// quarticPair is a user's 2-DoF anharmonic system with incommensurate
// frequencies and a nonlinear coupling,
//
//	H = ½(p₁² + p₂²) + ½(q₁² + 2q₂²) + ¼q₁⁴ + ½q₁²q₂²,
//
// started at energies between about 0.1 and 0.6.
func quarticPair() hnn.System {
	return hnn.System{
		Name: "quartic pair",
		Dof:  2,
		Energy: func(x []float64) float64 {
			q1, q2, p1, p2 := x[0], x[1], x[2], x[3]
			return (p1*p1+p2*p2)/2 + (q1*q1+2*q2*q2)/2 + q1*q1*q1*q1/4 + q1*q1*q2*q2/2
		},
		Grad: func(x, g []float64) {
			q1, q2, p1, p2 := x[0], x[1], x[2], x[3]
			g[0] = q1 + q1*q1*q1 + q1*q2*q2
			g[1] = 2*q2 + q1*q1*q2
			g[2], g[3] = p1, p2
		},
		Initial: func(r *rand.Rand, x []float64) {
			for i := range x {
				x[i] = 0.8 * (2*r.Float64() - 1)
			}
		},
		Separable: true,
	}
}

// TestUserSystemSimulatorConservesEnergy: Simulate's clean trajectories of
// a user's system keep its H (the data are only as good as this). RK4 on a
// grid finer than the records: measured |ΔH| ≤ 8e-13 over t ∈ [0, 6];
// bound 1e-10.
func TestUserSystemSimulatorConservesEnergy(t *testing.T) {
	sys := quarticPair()
	const pts = 40
	ds, err := hnn.Simulate(sys, hnn.DataConfig{Trajectories: 10, Points: pts, T: 6, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	var worst float64
	for k := 0; k < len(ds.X)/(4*pts); k++ {
		e0 := sys.Energy(ds.X[4*pts*k:])
		for j := 1; j < pts; j++ {
			worst = math.Max(worst, math.Abs(sys.Energy(ds.X[4*(pts*k+j):])-e0))
		}
	}
	t.Logf("max |ΔH| along the clean trajectories: %.3g", worst)
	if worst > 1e-10 {
		t.Errorf("Simulate drifts by %.3g in H", worst)
	}
}

// TestHNNConservesEnergyOnUserSystem: the paper's claim on a system no
// test names. HNN and baseline (same 2×48 tanh network, same data: 30
// trajectories of 30 noisy points over t ∈ [0, 6], noise 0.01, same 600
// full-batch Adam steps) fit dx/dt about equally well, but along RK4
// rollouts of t ∈ [0, 30] from the test states the true energy's MSE of
// the HNN is at least 5× below the baseline's (measured: HNN 2.4e-5,
// baseline 5.3e-3, a ratio near 200; test loss 3.7e-4 and 2.1e-3); the
// HNN's rollout also conserves its own learned energy (measured max change
// 3.1e-7 at dt = 0.05 on a true energy of 0.36, i.e. 9e-7 of it; bound
// 1e-4 of it). The learned H carries an arbitrary constant (the output
// bias gets no gradient), so the scale is the true energy.
func TestHNNConservesEnergyOnUserSystem(t *testing.T) {
	sys := quarticPair()
	ds, err := hnn.Simulate(sys, hnn.DataConfig{Trajectories: 30, Points: 30, T: 6, Noise: 0.01, TestFraction: 0.2, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	var met [2]hnn.Metrics
	var hnnModel *hnn.Model
	for i, base := range []bool{false, true} {
		m, err := hnn.New(4, hnn.Config{Hidden: []int{48, 48}, Baseline: base, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Train(context.Background(), ds, hnn.TrainConfig{Steps: 600, LR: 3e-3}); err != nil {
			t.Fatal(err)
		}
		if met[i], err = hnn.Evaluate(m, sys, ds, hnn.EvalConfig{T: 30}); err != nil {
			t.Fatal(err)
		}
		if !base {
			hnnModel = m
		}
	}
	t.Logf("HNN: test loss %.3g, energy MSE %.3g, state MSE %.3g; baseline: %.3g, %.3g, %.3g (%d of %d diverged)",
		met[0].TestLoss, met[0].EnergyMSE, met[0].StateMSE, met[1].TestLoss, met[1].EnergyMSE, met[1].StateMSE, met[1].Diverged, met[1].Rollouts)
	if met[0].Diverged > 0 || !(5*met[0].EnergyMSE <= met[1].EnergyMSE || met[1].Diverged > 0) {
		t.Errorf("HNN energy MSE %.3g (%d diverged), baseline %.3g (%d diverged): want the HNN 5× lower", met[0].EnergyMSE, met[0].Diverged, met[1].EnergyMSE, met[1].Diverged)
	}
	// Both learned the field: test loss far below predicting zero.
	var zero float64
	for _, v := range ds.TestDX {
		zero += v * v / float64(len(ds.TestDX))
	}
	for i, name := range []string{"HNN", "baseline"} {
		if met[i].TestLoss > zero/20 {
			t.Errorf("%s test loss %.3g, predicting zero gives %.3g", name, met[i].TestLoss, zero)
		}
	}
	// The learned flow conserves the learned H (up to RK4's error).
	tr, err := hnn.Rollout(hnnModel, ds.TestStart[:4], 30, 600, hnn.RK4())
	if err != nil {
		t.Fatal(err)
	}
	h := make([]float64, 1)
	if err := hnnModel.Energy(ds.TestStart[:4], h); err != nil {
		t.Fatal(err)
	}
	h0 := h[0]
	var worst float64
	for _, x := range tr.X {
		if err := hnnModel.Energy(x, h); err != nil {
			t.Fatal(err)
		}
		worst = math.Max(worst, math.Abs(h[0]-h0))
	}
	scale := sys.Energy(ds.TestStart[:4])
	t.Logf("learned H along its own rollout: max change %.3g (true energy %.3g)", worst, scale)
	if worst > 1e-4*scale {
		t.Errorf("the HNN's rollout changes its own H by %.3g", worst)
	}
}

// nonSeparable is a user's 1-DoF system whose kinetic energy depends on
// the coordinate (a position-dependent mass),
//
//	H = ½p²(1 + ½q²) + ½q²,
//
// so it is not separable: Leapfrog and Yoshida4 must refuse it.
func nonSeparable() hnn.System {
	return hnn.System{
		Name: "position-dependent mass",
		Dof:  1,
		Energy: func(x []float64) float64 {
			q, p := x[0], x[1]
			return p*p*(1+q*q/2)/2 + q*q/2
		},
		Grad: func(x, g []float64) {
			q, p := x[0], x[1]
			g[0] = p*p*q/2 + q
			g[1] = p * (1 + q*q/2)
		},
		Initial: func(r *rand.Rand, x []float64) {
			x[0], x[1] = 2*r.Float64()-1, 2*r.Float64()-1
		},
	}
}

// TestNonSeparableUserSystemMidpoint: on a non-separable H the explicit
// symplectic methods are refused (ErrInput), and the implicit midpoint
// rule, symplectic for any H, keeps the energy error bounded with no
// secular drift over 2,000 large steps (dt = 0.5, t ∈ [0, 1000], about 130
// periods), while RK4 at the same step loses energy steadily (its
// amplification factor is below 1 by O(dt⁶) a step). Measured: midpoint
// max relative error 1.24e-2 over both the first and the last tenth of
// the run (bound 3e-2, and the two within 2e-3); RK4 loses 61% by the end
// (bound: a loss 10× the midpoint's error).
func TestNonSeparableUserSystemMidpoint(t *testing.T) {
	sys := nonSeparable()
	x0 := []float64{1.2, 0.3}
	for _, m := range []hnn.Method{hnn.Leapfrog(), hnn.Yoshida4()} {
		if _, err := hnn.Rollout(sys, x0, 1, 10, m); !errors.Is(err, hnn.ErrInput) {
			t.Errorf("explicit symplectic method on a non-separable system: %v", err)
		}
	}
	e0 := sys.Energy(x0)
	relErr := func(m hnn.Method) (worstFirst, worstLast, end float64) {
		tr, err := hnn.Rollout(sys, x0, 1000, 2000, m)
		if err != nil {
			t.Fatal(err)
		}
		n := len(tr.X)
		for k, x := range tr.X {
			d := math.Abs(sys.Energy(x)-e0) / e0
			if k < n/10 {
				worstFirst = math.Max(worstFirst, d)
			}
			if k >= n-n/10 {
				worstLast = math.Max(worstLast, d)
			}
		}
		return worstFirst, worstLast, (sys.Energy(tr.X[n-1]) - e0) / e0
	}
	mf, ml, _ := relErr(hnn.ImplicitMidpoint())
	_, _, rkEnd := relErr(hnn.RK4())
	t.Logf("implicit midpoint: max relative energy error %.3g (first tenth), %.3g (last tenth); RK4: %.3g at the end", mf, ml, rkEnd)
	if ml > 0.03 || math.Abs(ml-mf) > 0.002 {
		t.Errorf("midpoint energy error %.3g early, %.3g late: want bounded (< 0.03) and not growing", mf, ml)
	}
	if !(rkEnd < -10*ml) {
		t.Errorf("RK4's energy change %.3g is not a loss 10× the midpoint's error %.3g", rkEnd, ml)
	}
}
