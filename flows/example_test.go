package flows_test

import (
	"context"
	"fmt"
	"math"

	"github.com/physbias/physbias/flows"
)

// A user's own separable Hamiltonian: the harmonic oscillator
// H = p²/2 + q²/2. Leapfrog is volume preserving and LeapfrogInverse undoes
// it to rounding.
func ExampleLeapfrog() {
	h := flows.Separable{
		Dim:   1,
		GradK: func(p, g []float64) { copy(g, p) },
		GradV: func(q, g []float64) { copy(g, q) },
	}
	q, p := []float64{1}, []float64{0}
	// A quarter period, t = π/2, in 157 steps of 0.01: (1, 0) → (0, −1).
	if err := flows.Leapfrog(h, q, p, 0.01, 157); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("after t = 1.57: q = %.3f, p = %.3f\n", q[0], p[0])
	if err := flows.LeapfrogInverse(h, q, p, 0.01, 157); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("back at (1, 0) within 1e-12: %v\n", math.Abs(q[0]-1) < 1e-12 && math.Abs(p[0]) < 1e-12)
	// Output:
	// after t = 1.57: q = 0.001, p = -1.000
	// back at (1, 0) within 1e-12: true
}

// Train a Neural Hamiltonian Flow on the two moons and compare its test
// log-likelihood (an importance-weighted lower bound) with the density's
// exact value.
func ExampleNHF() {
	train, _ := flows.TwoMoons.Sample(4000, 1)
	test, _ := flows.TwoMoons.Sample(500, 2)
	m, err := flows.NewNHF(2, flows.NHFConfig{Hidden: []int{16, 16}, Leapfrog: 6, StepSize: 0.3, EvalSamples: 16, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	before, _ := m.LogProb(test)
	if _, err := m.Train(context.Background(), train, flows.TrainConfig{Steps: 200, BatchSize: 128, LR: 5e-3}); err != nil {
		fmt.Println(err)
		return
	}
	after, _ := m.LogProb(test)
	exact, _ := flows.TwoMoons.LogProb(test)
	fmt.Printf("test log-likelihood: untrained %.1f, trained %.1f, exact %.1f\n", meanOf(before), meanOf(after), meanOf(exact))
	// Output:
	// test log-likelihood: untrained -4.8, trained -3.3, exact -2.3
}

// Train the RealNVP baseline on the ring of Gaussians; its log-density is
// exact.
func ExampleRealNVP() {
	train, _ := flows.GaussianRing.Sample(4000, 1)
	test, _ := flows.GaussianRing.Sample(500, 2)
	m, err := flows.NewRealNVP(2, flows.RealNVPConfig{Layers: 4, Hidden: []int{16, 16}, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := m.Train(context.Background(), train, flows.TrainConfig{Steps: 200, BatchSize: 128, LR: 5e-3}); err != nil {
		fmt.Println(err)
		return
	}
	lp, _ := m.LogProb(test)
	exact, _ := flows.GaussianRing.LogProb(test)
	fmt.Printf("%d parameters; test log-likelihood %.1f, exact %.1f\n", m.NumParams(), meanOf(lp), meanOf(exact))
	// Output:
	// 2568 parameters; test log-likelihood -3.2, exact -2.1
}

// The package's 2-D densities and their exact log-densities at a point.
func ExampleDensity() {
	for _, d := range flows.Densities() {
		lp, _ := d.LogProb([]float64{2.5, 0})
		fmt.Printf("%-16s log p(2.5, 0) = %.3f\n", d, lp[0])
	}
	// Output:
	// gaussian-ring    log p(2.5, 0) = -1.145
	// two-moons        log p(2.5, 0) = -3.917
	// concentric-rings log p(2.5, 0) = -14.053
	// checkerboard     log p(2.5, 0) = -Inf
}
