package pinn

import (
	"context"
	"math"
	"testing"
)

// TestRefineAddsWorstPoints checks residual-based adaptive refinement: the
// added points carry the largest residual of the candidates (the top one
// equals MaxAbs, all are above the mean), the collocation set grows by Add,
// the parameters carry over (the prediction is unchanged by the rebuild),
// and training continues on the larger set.
func TestRefineAddsWorstPoints(t *testing.T) {
	p, _ := Heat{Kappa: 0.1}.Problem(1, 20)
	m, err := New(p, Config{Hidden: []int{8, 8}, Collocation: 50, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), TrainConfig{Phases: []Phase{Adam{Steps: 50, LR: 1e-2}}}); err != nil {
		t.Fatal(err)
	}
	probe := [][]float64{{0.3, 0.2}, {0.7, 0.9}}
	before, _ := m.Predict(probe)
	r, err := m.Refine(Refinement{Candidates: 400, Add: 12})
	if err != nil {
		t.Fatal(err)
	}
	if r.Collocation != 62 || len(m.Collocation()) != 62 || len(r.Added) != 12 {
		t.Fatalf("collocation %d (%d), added %d; want 62, 12", r.Collocation, len(m.Collocation()), len(r.Added))
	}
	res, err := m.Residual(r.Added)
	if err != nil {
		t.Fatal(err)
	}
	var top float64
	for _, v := range res {
		top = math.Max(top, math.Abs(v))
		if math.Abs(v) < r.MeanAbs {
			t.Errorf("added point with |r| = %.3g below the candidates' mean %.3g", math.Abs(v), r.MeanAbs)
		}
	}
	if math.Abs(top-r.MaxAbs) > 1e-12*r.MaxAbs {
		t.Errorf("largest added |r| %.6g, candidates' max %.6g", top, r.MaxAbs)
	}
	after, _ := m.Predict(probe)
	for i := range before {
		if before[i] != after[i] {
			t.Errorf("prediction changed by the rebuild: %v → %v", before[i], after[i])
		}
	}
	if _, err := m.Train(context.Background(), TrainConfig{Phases: []Phase{Adam{Steps: 5}}}); err != nil {
		t.Fatal(err)
	}
}
