package pinn

import (
	"context"
	"math"
	"testing"
)

func TestBalanceWeightsRule(t *testing.T) {
	w, err := BalanceWeights([]float64{1, 3, 0, 4})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{8, 8.0 / 3, 1, 2}
	for k := range w {
		if math.Abs(w[k]-want[k]) > 1e-15 {
			t.Errorf("weights %v, want %v", w, want)
		}
	}
	if _, err := BalanceWeights(nil); err == nil {
		t.Error("no terms: no error")
	}
}

// TestBalanceEqualises checks that after balancing the weighted terms'
// gradients have about equal norms: λ_k‖∇L_k‖ = Σ_j‖∇L_j‖ for every k at
// the update (α = 0 makes the update exact), on Allen–Cahn with its soft
// initial and periodic terms.
func TestBalanceEqualises(t *testing.T) {
	m, err := New(AllenCahnProblem(64, 32), Config{Hidden: []int{12, 12}, Collocation: 128, Seed: 2,
		Balance: &Balance{Every: 10, Alpha: 1e-300}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), TrainConfig{Phases: []Phase{Adam{Steps: 11, LR: 1e-3}}}); err != nil {
		t.Fatal(err)
	}
	// The last update ran before step 11, at the parameters after step 10.
	// Recompute the norms at the parameters now (one step later): the
	// weighted norms agree to about the change of one step.
	n, err := m.norms.norms(m)
	if err != nil {
		t.Fatal(err)
	}
	w := m.Weights()
	var prods []float64
	for k, name := range m.st.names {
		prods = append(prods, w[name]*n[k])
	}
	t.Logf("weights %v, λ‖∇L‖ %.4g", w, prods)
	for _, p := range prods {
		// Measured: spread 4% one Adam step after the update.
		if math.Abs(p/prods[0]-1) > 0.1 {
			t.Errorf("weighted gradient norms %v are not equal", prods)
		}
	}
	if len(w) != 4 {
		t.Errorf("weights of %d terms, want 4 (residual, initial, periodic u and u_x)", len(w))
	}
}
