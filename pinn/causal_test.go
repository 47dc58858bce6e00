package pinn

import (
	"context"
	"errors"
	"math"
	"testing"
)

// TestCausalWeightsRule checks the rule itself: w_1 = 1, w non-increasing
// in time for any losses, and every weight → 1 as the losses fall to 0.
func TestCausalWeightsRule(t *testing.T) {
	losses := []float64{0.3, 2, 0, 1e-3, 5, 0.7, 0.01}
	for _, eps := range []float64{0, 1e-2, 1, 100} {
		for _, scale := range []float64{1, 1e-2, 1e-4, 1e-8, 0} {
			l := make([]float64, len(losses))
			for i := range l {
				l[i] = losses[i] * scale
			}
			w, err := CausalWeights(eps, l)
			if err != nil {
				t.Fatal(err)
			}
			if w[0] != 1 {
				t.Errorf("ε = %v: w_1 = %v, want 1", eps, w[0])
			}
			for i := 1; i < len(w); i++ {
				if w[i] > w[i-1] {
					t.Errorf("ε = %v: w increases in time: %v", eps, w)
				}
			}
			// min w = exp(−ε Σ L) exactly, which → 1 as the losses fall.
			want := math.Exp(-eps * scale * (0.3 + 2 + 0 + 1e-3 + 5 + 0.7))
			if d := math.Abs(w[len(w)-1] - want); d > 1e-15 {
				t.Errorf("ε = %v, scale %v: min w = %v, want %v", eps, scale, w[len(w)-1], want)
			}
			if scale == 0 && w[len(w)-1] != 1 {
				t.Errorf("zero loss: weights %v, want all 1", w)
			}
		}
	}
}

// TestCausalTraining trains Allen–Cahn with causal weights on a small
// network: the weights in use are non-increasing in time at every check,
// and min w rises as the residual falls (ε fixed at 1 so the rise is not
// a change of ε).
func TestCausalTraining(t *testing.T) {
	m, err := New(AllenCahnProblem(64, 32), Config{Hidden: []int{16, 16}, Collocation: 256, Seed: 3,
		Fourier: Fourier{Periodic: []int{0}}, Constraints: Hard, Causal: &Causal{Slabs: 8, Eps: []float64{1}}})
	if err != nil {
		t.Fatal(err)
	}
	var mins []float64
	for round := 0; round < 4; round++ {
		if _, err := m.Train(context.Background(), TrainConfig{Phases: []Phase{Adam{Steps: 50, LR: 5e-3}}}); err != nil {
			t.Fatal(err)
		}
		eps, _, w, err := m.CausalState()
		if err != nil {
			t.Fatal(err)
		}
		if eps != 1 || len(w) != 8 || w[0] != 1 {
			t.Fatalf("ε = %v, weights %v", eps, w)
		}
		for i := 1; i < len(w); i++ {
			if w[i] > w[i-1] {
				t.Errorf("round %d: weights increase in time: %v", round, w)
			}
		}
		mins = append(mins, w[len(w)-1])
	}
	t.Logf("min w after each round: %.3g", mins)
	// Measured: 4.9e-4, 0.048, 0.27, 0.39.
	for k := 1; k < len(mins); k++ {
		if !(mins[k] > mins[k-1]) {
			t.Errorf("min w %v: want it rising as the loss falls", mins)
		}
	}
	if !(mins[len(mins)-1] > 0.2) {
		t.Errorf("min w %v: want it above 0.2 after 200 steps", mins)
	}
}

// TestCausalSchedule checks the stopping rule: on a problem the network
// meets almost at once (heat equation, small ε schedule, lax δ), the
// schedule runs through and stops training with StopCausal.
func TestCausalSchedule(t *testing.T) {
	p, err := Heat{Kappa: 0.1}.Problem(1, 32)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(p, Config{Hidden: []int{8}, Collocation: 128, Seed: 1, Constraints: Hard,
		Causal: &Causal{Slabs: 4, Eps: []float64{1e-3, 1e-2}, Delta: 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := m.Train(context.Background(), TrainConfig{Phases: []Phase{Adam{Steps: 500, LR: 1e-2}, LBFGS{MaxIter: 10}}})
	if err != nil {
		t.Fatal(err)
	}
	if h.Stop != StopCausal || len(h.Phases) != 1 || len(h.Loss()) >= 500 {
		t.Errorf("stop %q after %d phases and %d steps, want %q in the first phase", h.Stop, len(h.Phases), len(h.Loss()), StopCausal)
	}
	if _, idx, _, _ := m.CausalState(); idx != 1 {
		t.Errorf("schedule index %d, want 1 (the last ε)", idx)
	}
}

func TestCausalBadInput(t *testing.T) {
	p := AllenCahnProblem(16, 16)
	steady := Problem{Domain: Domain{Space: []Interval{{0, 1}}}, Residual: func(f *Fields) (*Node, error) { return f.Uxx(0), nil },
		Conditions: []Condition{{Kind: Dirichlet, Dim: 0}}}
	for _, c := range []struct {
		name string
		p    Problem
		cfg  Config
	}{
		{"ε < 0", p, Config{Causal: &Causal{Eps: []float64{1, -1}}}},
		{"ε NaN", p, Config{Causal: &Causal{Eps: []float64{math.NaN()}}}},
		{"empty schedule", p, Config{Causal: &Causal{Eps: []float64{}}}},
		{"negative slabs", p, Config{Causal: &Causal{Slabs: -2}}},
		{"empty slabs", p, Config{Collocation: 10, Causal: &Causal{Slabs: 20}}},
		{"delta", p, Config{Causal: &Causal{Delta: 1}}},
		{"steady", steady, Config{Causal: &Causal{}}},
		{"balance every", p, Config{Balance: &Balance{Every: -1}}},
		{"balance alpha", p, Config{Balance: &Balance{Alpha: 1}}},
	} {
		if c.cfg.Collocation == 0 {
			c.cfg.Collocation = 64
		}
		if _, err := New(c.p, c.cfg); !errors.Is(err, ErrInput) {
			t.Errorf("%s: got %v, want ErrInput", c.name, err)
		}
	}
	if _, err := CausalWeights(-1, []float64{1}); !errors.Is(err, ErrInput) {
		t.Errorf("CausalWeights(ε < 0): %v", err)
	}
	if _, err := CausalWeights(1, nil); !errors.Is(err, ErrInput) {
		t.Errorf("CausalWeights(zero slabs): %v", err)
	}
	if _, err := CausalWeights(1, []float64{math.NaN()}); !errors.Is(err, ErrNotFinite) {
		t.Errorf("CausalWeights(NaN): %v", err)
	}
}
