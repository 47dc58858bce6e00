package lnn_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

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

// Example_ownSystem brings a system lnn does not ship — a particle on a
// spring with a quartic stiffening, q̈ = −q − q³ — trains an LNN on it,
// saves the model, loads it back and checks that the loaded model predicts
// bit for bit the same.
func Example_ownSystem() {
	sys := lnn.System{
		Name:         "stiffening spring",
		Dof:          1,
		Acceleration: func(x, qdd []float64) { qdd[0] = -x[0] - x[0]*x[0]*x[0] },
		Energy:       func(x []float64) float64 { return x[1]*x[1]/2 + x[0]*x[0]/2 + x[0]*x[0]*x[0]*x[0]/4 },
		MinEnergy:    0,
		// r is a math/rand/v2 generator seeded from DataConfig.Seed.
		Initial: func(r *rand.Rand, x []float64) { x[0], x[1] = 2*r.Float64()-1, 0 },
	}
	data, err := lnn.Simulate(sys, lnn.DataConfig{Trajectories: 10, TestTrajectories: 2, T: 5, Samples: 25, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := lnn.New(sys.Dof, lnn.Config{Hidden: []int{16, 16}, Seed: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := m.Train(context.Background(), data, lnn.TrainConfig{Steps: 300, LR: 1e-2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("loss fell tenfold:", h.Loss[len(h.Loss)-1] < h.Loss[0]/10)

	var file bytes.Buffer
	if err := m.Save(&file); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := lnn.Load(&file)
	if err != nil {
		fmt.Println(err)
		return
	}
	a, b := make([]float64, data.Test.Len()), make([]float64, data.Test.Len())
	if err := m.Accel(data.Test.X, a); err != nil {
		fmt.Println(err)
		return
	}
	if err := loaded.Accel(data.Test.X, b); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("loaded model predicts the same:", slices.Equal(a, b))
	// Output:
	// loss fell tenfold: true
	// loaded model predicts the same: true
}
