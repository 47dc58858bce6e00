package main

import (
	"fmt"
	"math"
	"path/filepath"
	"time"

	"github.com/physbias/physbias/internal/plotting"
	"github.com/physbias/physbias/lnn"
)

func init() {
	register(60, "lnn", "lnn: Lagrangian neural network vs baseline on the double pendulum (energy drift)", runLNN)
}

// runLNN trains a small LNN and the baseline MLP (both 32-32 softplus, 800
// Adam steps) on (q, q̇, q̈) sampled along 40 double-pendulum trajectories,
// rolls both out for 30 s from 5 test states and compares the drift of the
// true energy along the predicted trajectories. The full comparison with
// DeLaN and larger networks is the example main examples/lnn (minutes).
func runLNN(out string) error {
	sys := lnn.DoublePendulum{}
	train, test, err := sys.Simulate(lnn.DataConfig{Trajectories: 40, TestTrajectories: 5, Seed: 2})
	if err != nil {
		return err
	}
	const (
		dt = 0.01
		T  = 30.0
	)
	steps := int(T / dt)
	emin, _ := sys.MinEnergy()
	fmt.Printf("   double pendulum, %d training states; 32-32 softplus, 800 Adam steps; RK4 rollouts of %g s from %d test states\n",
		train.Len(), T, len(test.Initial)/4)
	fmt.Printf("   %-9s %10s %13s %13s %8s\n", "model", "test loss", "energy err", "max energy", "time")
	ts := make([]float64, steps+1)
	for i := range ts {
		ts[i] = float64(i) * dt
	}
	var series []plotting.Series
	for _, kind := range []lnn.Kind{lnn.LNN, lnn.Baseline} {
		t0 := time.Now()
		m, err := lnn.New(2, lnn.Config{Kind: kind, Hidden: []int{32, 32}, Steps: 800, Seed: 2})
		if err != nil {
			return err
		}
		if _, err := m.Train(train); err != nil {
			return err
		}
		met, err := lnn.Evaluate(m, sys, test, lnn.EvalConfig{T: T, DT: dt})
		if err != nil {
			return err
		}
		// The drift of the true energy along the first test rollout, for the
		// plot (clipped at 10: a diverging baseline leaves the axes).
		x0 := test.Initial[:4]
		traj, err := lnn.Rollout(m, x0, dt, steps)
		if err != nil {
			return err
		}
		e0, _ := sys.Energy(x0)
		drift := make([]float64, steps+1)
		for i := range drift {
			e, _ := sys.Energy(traj[4*i : 4*i+4])
			drift[i] = math.Min(10, math.Abs(e-e0)/(e0-emin))
		}
		series = append(series, plotting.Series{Name: kind.String(), X: ts, Y: drift})
		fmt.Printf("   %-9s %10.3g %13.3g %13.3g %7.1fs\n", kind, met.TestLoss, met.EnergyErr, met.MaxEnergyErr, time.Since(t0).Seconds())
	}
	fmt.Println("   energy err: mean of |E(x̂(t)) − E(x(0))| / (E(x(0)) − E_min), E the true energy, over rollouts and time")
	p := filepath.Join(out, "lnn_energy.png")
	if err := plotting.Lines(p, plotting.Figure{Title: "double pendulum, first test rollout: drift of the true energy",
		XLabel: "t (s)", YLabel: "|E(t) − E(0)| / (E(0) − E_min)", LegendLeft: true}, series...); err != nil {
		return err
	}
	fmt.Println("   wrote", p)
	return nil
}
