package energy

import (
	"math"
	"testing"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/rng"
)

// The batched evaluator agrees with internal/ad's Dense (the core's exact
// input gradient) on energies and input gradients, for every activation.
func TestBatchNetMatchesDense(t *testing.T) {
	for _, act := range []string{"softplus", "tanh", "sigmoid", "sin", "identity"} {
		m, err := NewMLP(MLPConfig{Dim: 3, Hidden: []int{7, 5}, Activation: act, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		r := rng.New(2)
		for i := range m.theta { // non-zero biases too
			m.theta[i] += 0.3 * r.NormFloat64()
		}
		if err := m.resnap(); err != nil {
			t.Fatal(err)
		}
		const n = 6
		x := make([]float64, n*3)
		for i := range x {
			x[i] = 2 * r.NormFloat64()
		}
		bn := newBatchNet(m.sizes, m.act, m.theta, n)
		e, g := make([]float64, n), make([]float64, n*3)
		bn.eval(x, e, g)
		var worst float64
		for k := range n {
			var y [1]float64
			gd := make([]float64, 3)
			if err := m.dense.Forward(x[k*3:(k+1)*3], y[:]); err != nil {
				t.Fatal(err)
			}
			if err := m.dense.InputGrad(x[k*3:(k+1)*3], gd); err != nil {
				t.Fatal(err)
			}
			worst = math.Max(worst, math.Abs(y[0]-e[k]))
			for i := range gd {
				worst = math.Max(worst, math.Abs(gd[i]-g[k*3+i]))
			}
		}
		// Measured ≤ 2e-15 (the same arithmetic in another order).
		if worst > 1e-12 {
			t.Errorf("%s: batched and Dense differ by %.2g", act, worst)
		}
	}
	_ = ad.Tanh
}

// MLPEnergy.Langevin (batched) follows the same chains as Langevin on
// AsEnergy (one point at a time): the same random numbers, and energies
// and gradients equal to rounding.
func TestBatchedLangevinMatches(t *testing.T) {
	m, err := NewMLP(MLPConfig{Dim: 2, Hidden: []int{8, 8}, Seed: 6})
	if err != nil {
		t.Fatal(err)
	}
	x0 := [][]float64{{0.1, -0.3}, {1, 2}, {-1.5, 0.4}}
	for _, mala := range []bool{false, true} {
		cfg := LangevinConfig{Steps: 50, StepSize: 0.05, Metropolis: mala, Seed: 3}
		a, err := m.Langevin(x0, cfg)
		if err != nil {
			t.Fatal(err)
		}
		e, _ := m.AsEnergy()
		b, err := Langevin(e, x0, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var worst float64
		for k := range a.X {
			for i := range a.X[k] {
				worst = math.Max(worst, math.Abs(a.X[k][i]-b.X[k][i]))
			}
		}
		// Measured ≤ 1e-15; acceptances equal.
		if worst > 1e-9 || a.Accepted != b.Accepted {
			t.Errorf("metropolis=%v: batched and per-point chains differ by %.2g, acceptance %v vs %v", mala, worst, a.Accepted, b.Accepted)
		}
	}
}
