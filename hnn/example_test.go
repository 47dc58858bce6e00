package hnn_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/physbias/physbias/hnn"
)

// Example trains a Hamiltonian neural network and the baseline on the
// paper's mass-spring data (small networks, few steps) and compares the
// true energy along RK4 rollouts from the test initial states.
func Example() {
	sys := hnn.MassSpring()
	cfg := sys.Paper // the paper's data set: 50 trajectories of 30 points, σ = 0.1
	cfg.Seed = 1
	ds, err := hnn.Simulate(sys, cfg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d training pairs, %d test trajectories\n", ds.Len(), len(ds.TestStart)/ds.Dim)

	tc := hnn.PaperTrainConfig() // Adam, lr 1e-3, weight decay 1e-4
	tc.Steps = 300
	var energy [2]float64
	for i, baseline := range []bool{false, true} {
		m, err := hnn.New(ds.Dim, hnn.Config{Hidden: []int{32, 32}, Baseline: baseline})
		if err != nil {
			log.Fatal(err)
		}
		if _, err := m.Train(context.Background(), ds, tc); err != nil {
			log.Fatal(err)
		}
		r, err := hnn.Evaluate(m, sys, ds, hnn.EvalConfig{T: 20, Method: hnn.RK4()})
		if err != nil {
			log.Fatal(err)
		}
		energy[i] = r.EnergyMSE
	}
	fmt.Printf("HNN energy MSE < 1e-3: %v\n", energy[0] < 1e-3)
	fmt.Printf("baseline energy MSE > 1e-2: %v\n", energy[1] > 1e-2)
	// Output:
	// 750 training pairs, 25 test trajectories
	// HNN energy MSE < 1e-3: true
	// baseline energy MSE > 1e-2: true
}

// ExampleRollout integrates the true pendulum with the implicit midpoint
// rule, which is symplectic: the energy error stays bounded.
func ExampleRollout() {
	sys := hnn.Pendulum()
	x0 := []float64{1, 0}
	traj, err := hnn.Rollout(sys, x0, 100, 1000, hnn.ImplicitMidpoint())
	if err != nil {
		log.Fatal(err)
	}
	e0, worst := sys.Energy(x0), 0.0
	for _, x := range traj.X {
		worst = math.Max(worst, math.Abs(sys.Energy(x)-e0))
	}
	fmt.Printf("H(0) = %.4f, max |H(t) − H(0)| over 1,000 steps of 0.1 below 1e-3: %v\n", e0, worst < 1e-3)
	// Output:
	// H(0) = 0.9194, max |H(t) − H(0)| over 1,000 steps of 0.1 below 1e-3: true
}

// Example_ownSystem brings a system hnn does not ship — a quartic
// oscillator H = p²/2 + q⁴/4 — trains an HNN on it, saves the model, loads
// it back and checks the loaded model predicts bit for bit the same.
func Example_ownSystem() {
	sys := hnn.System{
		Name:   "quartic oscillator",
		Dof:    1,
		Energy: func(x []float64) float64 { return x[1]*x[1]/2 + x[0]*x[0]*x[0]*x[0]/4 },
		Grad: func(x, g []float64) {
			g[0] = x[0] * x[0] * x[0] // ∂H/∂q
			g[1] = x[1]               // ∂H/∂p
		},
		// r is a math/rand/v2 generator seeded from DataConfig.Seed.
		Initial: func(r *rand.Rand, x []float64) {
			x[0], x[1] = 2*r.Float64()-1, 2*r.Float64()-1
		},
		Separable: true, // H = T(p) + V(q): leapfrog and Yoshida4 apply
	}
	ds, err := hnn.Simulate(sys, hnn.DataConfig{Trajectories: 10, Points: 20, T: 4, TestFraction: 0.2, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	m, err := hnn.New(sys.Dim(), hnn.Config{Hidden: []int{16, 16}, Seed: 2})
	if err != nil {
		log.Fatal(err)
	}
	h, err := m.Train(context.Background(), ds, hnn.TrainConfig{Steps: 200, LR: 3e-3})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("loss fell tenfold:", h.Loss[len(h.Loss)-1] < h.Loss[0]/10)

	var file bytes.Buffer
	if err := m.Save(&file); err != nil {
		log.Fatal(err)
	}
	loaded, err := hnn.Load(&file)
	if err != nil {
		log.Fatal(err)
	}
	a, b := make([]float64, len(ds.TestX)), make([]float64, len(ds.TestX))
	if err := m.Deriv(ds.TestX, a); err != nil {
		log.Fatal(err)
	}
	if err := loaded.Deriv(ds.TestX, b); err != nil {
		log.Fatal(err)
	}
	fmt.Println("loaded model predicts the same:", slices.Equal(a, b))
	// Output:
	// loss fell tenfold: true
	// loaded model predicts the same: true
}
