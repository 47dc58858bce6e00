package node_test

import (
	"context"
	"fmt"
	"math"

	"github.com/physbias/physbias/node"
)

// Solve a user's system adaptively: exponential decay, read at three times
// from the dense output.
func ExampleSolve() {
	decay := func(t float64, y, dydt []float64) error {
		dydt[0] = -y[0]
		return nil
	}
	sol, err := node.Solve(decay, []float64{1}, []float64{0, 1, 2}, node.DormandPrince(), node.Options{RTol: 1e-9, ATol: 1e-12})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, t := range sol.T {
		fmt.Printf("y(%g) = %.6f (exact %.6f)\n", t, sol.Y[i][0], math.Exp(-t))
	}
	// Output:
	// y(0) = 1.000000 (exact 1.000000)
	// y(1) = 0.367879 (exact 0.367879)
	// y(2) = 0.135335 (exact 0.135335)
}

// Missing tolerances are an error, never a silent default.
func ExampleSolve_noTolerance() {
	f := func(t float64, y, dydt []float64) error { dydt[0] = -y[0]; return nil }
	_, err := node.Solve(f, []float64{1}, []float64{0, 1}, node.DormandPrince(), node.Options{})
	fmt.Println(err)
	// Output:
	// node: adaptive steps need RTol and ATol: there is no default accuracy; set both (e.g. RTol 1e-6, ATol 1e-9) or a fixed step Dt
}

// The gradient of y(1)₀ with respect to y(0) by the adjoint method and by
// backpropagation through the solver.
func ExampleModel_Gradient() {
	m, err := node.New(2, node.Config{Hidden: []int{16}, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	y0, ts := []float64{0.5, -0.5}, []float64{0, 1}
	cot := [][]float64{nil, {1, 0}} // L = y(1)₀
	o := node.Options{RTol: 1e-10, ATol: 1e-10}
	for _, method := range []node.GradMethod{node.Adjoint, node.Backprop} {
		g, err := m.Gradient(y0, ts, cot, node.DormandPrince(), o, method)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-8v dL/dy0 = (%.6f, %.6f)\n", method, g.Y0[0], g.Y0[1])
	}
	// Output:
	// adjoint  dL/dy0 = (0.897886, -0.016678)
	// backprop dL/dy0 = (0.897886, -0.016678)
}

// Train a neural ODE on a trajectory of a damped rotation.
func ExampleModel_Train() {
	T := []float64{0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2}
	var y []float64
	for _, t := range T {
		a := math.Exp(-0.3 * t)
		y = append(y, a*math.Cos(2*t), -a*math.Sin(2*t))
	}
	m, err := node.New(2, node.Config{Hidden: []int{16}, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := m.Train(context.Background(), &node.Data{T: T, Y: [][]float64{y}},
		node.TrainConfig{Steps: 60, LR: 2e-2, Solver: node.RK4(), Options: node.Options{Dt: 0.25}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("loss fell below 10%% of its start: %v\n", h.Loss[len(h.Loss)-1] < h.Loss[0]/10)
	// Output:
	// loss fell below 10% of its start: true
}

// A continuous normalizing flow's log-density at two points, before any
// training.
func ExampleCNF_LogDensity() {
	c, err := node.NewCNF(2, node.CNFConfig{Hidden: []int{8}, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	lp, err := c.LogDensity([]float64{0, 0, 1, -1}, node.RK4(), node.Options{Dt: 0.1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("log p(0, 0) = %.2f, log p(1, −1) = %.2f\n", lp[0], lp[1])
	// Output:
	// log p(0, 0) = -2.35, log p(1, −1) = -3.18
}
