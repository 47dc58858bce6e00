package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/physbias/physbias/internal/plotting"
	"github.com/physbias/physbias/lnn"
)

func init() {
	register(60, "lnn", "lnn: Lagrangian neural network vs baseline on the double pendulum (energy drift)", runLNN)
}

// runLNN trains a small LNN and the baseline MLP (both 32-32 softplus, 2500
// Adam steps) on (q, q̇, q̈) sampled along 40 double-pendulum trajectories,
// rolls both out for 30 s from 5 test states and compares the drift of the
// true energy along the predicted trajectories. The full comparison with
// DeLaN and larger networks is the example main examples/lnn (minutes).
func runLNN(out string) error {
	sys, err := lnn.DoublePendulum{}.System()
	if err != nil {
		return err
	}
	data := sys.Paper
	data.Trajectories, data.TestTrajectories, data.Seed = 40, 5, 2
	train, err := lnn.Simulate(sys, data)
	if err != nil {
		return err
	}
	test := train.Test
	const (
		dt = 0.01
		T  = 30.0
	)
	steps := int(T / dt)
	emin := sys.MinEnergy
	fmt.Printf("   double pendulum, %d training states; 32-32 softplus, 2500 Adam steps; RK4 rollouts of %g s from %d test states\n",
		train.Len(), T, len(test.Initial)/4)
	fmt.Printf("   %-9s %10s %13s %13s %13s %9s %8s\n", "model", "test loss", "energy err", "median", "max energy", "diverged", "time")
	ts := make([]float64, steps+1)
	for i := range ts {
		ts[i] = float64(i) * dt
	}
	var series []plotting.Series
	for _, kind := range []lnn.Kind{lnn.LNN, lnn.Baseline} {
		t0 := time.Now()
		tc := lnn.PaperTrainConfig()
		tc.Steps, tc.Seed = 2500, 2
		tc.Progress = lnn.ProgressBar(os.Stderr, fmt.Sprintf("   training %-8v", kind))
		m, err := lnn.New(2, lnn.Config{Kind: kind, Hidden: []int{32, 32}, Seed: 2})
		if err != nil {
			return err
		}
		if _, err := m.Train(context.Background(), train, tc); err != nil {
			return err
		}
		met, err := lnn.Evaluate(m, sys, test, lnn.EvalConfig{T: T, DT: dt})
		if err != nil {
			return err
		}
		// log₁₀ of the largest drift of the true energy so far along the
		// first test rollout, from the first step (it is 0 at t = 0).
		x0 := test.Initial[:4]
		traj, err := lnn.Rollout(m, x0, dt*float64(steps), steps, lnn.RK4())
		var de *lnn.DivergedError
		if err != nil && !errors.As(err, &de) {
			return err
		}
		e0 := sys.Energy(x0)
		drift := make([]float64, len(traj.X)-1) // up to a blow-up, if any
		worst := 1e-16
		for i := range drift {
			e := sys.Energy(traj.X[i+1])
			worst = math.Max(worst, math.Abs(e-e0)/(e0-emin))
			drift[i] = math.Log10(worst)
		}
		series = append(series, plotting.Series{Name: kind.String(), X: ts[1 : len(drift)+1], Y: drift})
		fmt.Printf("   %-9s %10.3g %13.3g %13.3g %13.3g %7d/%d %7.1fs\n", kind, met.TestLoss, met.EnergyErr, met.MedianEnergyErr,
			met.MaxEnergyErr, met.Diverged, met.Rollouts, time.Since(t0).Seconds())
	}
	fmt.Println("   energy err: mean of |E(x̂(t)) − E(x(0))| / (E(x(0)) − E_min), E the true energy, over time and the rollouts that")
	fmt.Println("   did not diverge; median: the median over rollouts of each one's mean")
	p := filepath.Join(out, "lnn-energy.png")
	if err := plotting.Lines(p, plotting.Figure{Title: "double pendulum, first test rollout: largest drift of the true energy so far",
		XLabel: "time (s)", YLabel: "log10 of relative energy drift", LegendBottom: true}, series...); err != nil {
		return err
	}
	fmt.Println("   wrote", p)
	return nil
}
