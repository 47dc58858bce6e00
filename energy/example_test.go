package energy_test

import (
	"context"
	"fmt"
	"math"

	"github.com/physbias/physbias/energy"
)

// An RBM learns 3×3 bars and stripes; its exact log-likelihood approaches
// the best possible, −log 14.
func ExampleRBM_Train() {
	data, _ := energy.BarsAndStripes(3)
	m, err := energy.New(energy.Config{Visible: 9, Hidden: 16, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = m.Train(context.Background(), data, energy.TrainConfig{
		Steps: 5000, LR: 0.1, FinalLR: 0.001, BatchSize: len(data), Persistent: true, Seed: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	logZ, _ := m.LogPartition()
	ll, _ := m.LogLikelihood(data, logZ)
	fmt.Printf("log-likelihood %.1f nats, best %.1f\n", ll, -math.Log(14))
	// Output: log-likelihood -3.0 nats, best -2.6
}

// AIS estimates log Z of an RBM too large to enumerate on both layers;
// here the hidden layer is small enough to check it exactly.
func ExampleRBM_AIS() {
	m, _ := energy.New(energy.Config{Visible: 40, Hidden: 12, InitStd: 0.3, Seed: 3})
	exact, _ := m.LogPartition()
	betas, _ := energy.Schedule(1000)
	res, err := m.AIS(context.Background(), energy.AISConfig{Runs: 100, Betas: betas, Seed: 4})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("exact %.1f, AIS %.1f, inside the ±3σ bar: %v\n", exact, res.LogZ, res.Lower <= exact && exact <= res.Upper)
	// Output: exact 37.7, AIS 37.7, inside the ±3σ bar: true
}

// Metropolis-adjusted Langevin samples a user's energy: here a Gaussian
// with variance 2, E(x) = x²/4.
func ExampleLangevin() {
	e := energy.Energy{Dim: 1,
		E:    func(x []float64) float64 { return x[0] * x[0] / 4 },
		Grad: func(x, g []float64) { g[0] = x[0] / 2 }}
	start := make([][]float64, 5000)
	for i := range start {
		start[i] = []float64{0}
	}
	res, err := energy.Langevin(e, start, energy.LangevinConfig{Steps: 200, StepSize: 0.1, Metropolis: true, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	var v float64
	for _, x := range res.X {
		v += x[0] * x[0]
	}
	fmt.Printf("variance %.1f\n", v/float64(len(res.X)))
	// Output: variance 2.0
}

// The hinge loss is zero once the most offending wrong answer's energy is
// a margin above the correct one's; below that, its gradient lowers the
// correct answer and raises the wrong one.
func ExampleLoss_Value() {
	hinge := energy.Loss{Kind: energy.Hinge, Margin: 1}
	for _, gap := range []float64{2, 0.5} {
		v, dPos, dNeg := hinge.Value(0, gap)
		fmt.Printf("E⁻ − E⁺ = %.1f: loss %.1f, ∂/∂E⁺ %.0f, ∂/∂E⁻ %.0f\n", gap, v, dPos, dNeg)
	}
	// Output:
	// E⁻ − E⁺ = 2.0: loss 0.0, ∂/∂E⁺ 0, ∂/∂E⁻ 0
	// E⁻ − E⁺ = 0.5: loss 0.5, ∂/∂E⁺ 1, ∂/∂E⁻ -1
}
