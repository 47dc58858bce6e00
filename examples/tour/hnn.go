package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/physbias/physbias/hnn"
	"github.com/physbias/physbias/internal/plotting"
)

func init() {
	register(50, "hnn", "hnn: Hamiltonian neural network vs baseline on the mass-spring", runHNN)
}

// runHNN trains an HNN and the baseline MLP on the paper's mass-spring data
// (25 training trajectories of 30 noisy points) and compares the true
// energy along RK4 rollouts from the 25 test initial states over
// t ∈ [0, 20]. To stay within seconds it uses two hidden layers of 32
// (the paper: 200) and 400 full-batch Adam steps (the paper: 2,000);
// go run ./examples/hnn runs the paper's settings on all three tasks.
func runHNN(out string) error {
	sys := hnn.MassSpring()
	ds, err := hnn.Simulate(sys, sys.Paper)
	if err != nil {
		return err
	}
	tc := hnn.PaperTrainConfig()
	tc.Steps = 400
	var ms [2]*hnn.Model
	var rs [2]hnn.Metrics
	for i, base := range []bool{true, false} {
		m, err := hnn.New(2, hnn.Config{Hidden: []int{32, 32}, Baseline: base})
		if err != nil {
			return err
		}
		if _, err := m.Train(context.Background(), ds, tc); err != nil {
			return err
		}
		if rs[i], err = hnn.Evaluate(m, sys, ds, hnn.EvalConfig{}); err != nil {
			return err
		}
		ms[i] = m
	}
	fmt.Printf("   mass-spring, MLP 32-32 tanh, 400 steps (paper: 200-200, 2,000 steps); RK4 rollouts, t ∈ [0, 20]\n")
	fmt.Printf("   %-9s %10s %12s %9s %12s\n", "model", "test loss", "energy MSE", "diverged", "paper")
	for i, name := range []string{"baseline", "HNN"} {
		fmt.Printf("   %-9s %10.3g %12.3g %9s %12.3g\n", name, rs[i].TestLoss, rs[i].EnergyMSE,
			fmt.Sprintf("%d/%d", rs[i].Diverged, rs[i].Rollouts), []float64{1.71e-1, 3.84e-4}[i])
	}
	fmt.Printf("   the HNN's energy error is %.0f× smaller with the same data, size and training\n", rs[0].EnergyMSE/rs[1].EnergyMSE)

	const T, steps = 20.0, 400
	x0 := ds.TestStart[:2]
	var series []plotting.Series
	for k, f := range []hnn.Field{sys, ms[0], ms[1]} {
		tr, err := hnn.Rollout(f, x0, T, steps, hnn.RK4())
		if err != nil && !errors.Is(err, hnn.ErrNotFinite) {
			return err
		}
		e := make([]float64, len(tr.X))
		for i, x := range tr.X {
			e[i] = sys.Energy(x)
		}
		series = append(series, plotting.Series{Name: []string{"truth", "baseline", "HNN"}[k], X: tr.T, Y: e, Dashed: k == 0})
	}
	return plotting.Lines(filepath.Join(out, "hnn-energy.png"),
		plotting.Figure{Title: "mass-spring: true energy along RK4 rollouts", XLabel: "time t", YLabel: "true energy H = q² + p²",
			LegendLeft: true}, series...)
}
