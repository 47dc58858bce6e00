package lnn_test

import (
	"context"
	"fmt"
	"math"

	"github.com/physbias/physbias/lnn"
)

// The true double pendulum: its exact q̈ at one state, and the energy along
// a 10 s RK4 rollout (conserved to the integrator's accuracy).
func ExampleDoublePendulum() {
	p := lnn.DoublePendulum{} // m1 = m2 = l1 = l2 = 1, g = 9.8
	x0 := []float64{1, -0.5, 0, 0.3}
	qdd := make([]float64, 2)
	if err := p.Accel(x0, qdd); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("q̈ = (%.4f, %.4f)\n", qdd[0], qdd[1])
	sys, err := p.System()
	if err != nil {
		fmt.Println(err)
		return
	}
	traj, err := lnn.Rollout(sys, x0, 10, 10000, lnn.RK4())
	if err != nil {
		fmt.Println(err)
		return
	}
	e0, _ := p.Energy(x0)
	e1, _ := p.Energy(traj.X[len(traj.X)-1])
	fmt.Printf("E(0) = %.4f, |E(10) − E(0)| < 1e-8: %v\n", e0, math.Abs(e1-e0) < 1e-8)
	// Output:
	// q̈ = (-8.4787, 5.2981)
	// E(0) = -19.1452, |E(10) − E(0)| < 1e-8: true
}

// Train a small LNN on (q, q̇, q̈) sampled along double-pendulum
// trajectories, then roll it out and read the true energy along the
// predicted trajectory.
func ExampleModel_Train() {
	sys, err := lnn.DoublePendulum{}.System()
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := sys.Paper // 100 training and 20 test trajectories of 5 s
	cfg.Trajectories, cfg.TestTrajectories, cfg.Seed = 20, 2, 1
	data, err := lnn.Simulate(sys, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := lnn.New(2, lnn.Config{Kind: lnn.LNN, Hidden: []int{32, 32}, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	before, _ := m.Loss(data.Test)
	tc := lnn.PaperTrainConfig()
	tc.Steps, tc.Seed = 1000, 1
	if _, err := m.Train(context.Background(), data, tc); err != nil {
		fmt.Println(err)
		return
	}
	after, _ := m.Loss(data.Test)
	fmt.Println("test loss on q̈ fell more than 10×:", after < before/10)
	met, err := lnn.Evaluate(m, sys, data.Test, lnn.EvalConfig{T: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d rollouts of %d points; energy drift below 20%%: %v\n", met.Rollouts, met.Points, met.MaxEnergyErr < 0.2)
	// Output:
	// test loss on q̈ fell more than 10×: true
	// 2 rollouts of 201 points; energy drift below 20%: true
}
