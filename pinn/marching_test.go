package pinn

import (
	"context"
	"errors"
	"math"
	"testing"
)

// TestMarchHeat marches the heat equation through 3 windows and compares
// with the closed form; under hard constraints the windows join exactly.
func TestMarchHeat(t *testing.T) {
	h := Heat{Kappa: 0.1}
	p, err := h.Problem(1, 32)
	if err != nil {
		t.Fatal(err)
	}
	var hist []History
	mr, err := March(context.Background(), p, Config{Hidden: []int{16, 16}, Collocation: 200, Seed: 1, Constraints: Hard}, 3,
		func(k int, m *Model) error {
			h, err := m.Train(context.Background(), TrainConfig{Phases: []Phase{Adam{Steps: 200, LR: 5e-3}, LBFGS{MaxIter: 200}}})
			hist = append(hist, h)
			return err
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 || len(mr.Windows()) != 3 {
		t.Fatalf("%d histories, %d windows", len(hist), len(mr.Windows()))
	}
	pts, err := p.Domain.Grid(41, 31)
	if err != nil {
		t.Fatal(err)
	}
	u, err := mr.Predict(pts)
	if err != nil {
		t.Fatal(err)
	}
	ref := make([]float64, len(pts))
	for k, q := range pts {
		ref[k] = h.U(q[0], q[1])
	}
	e, err := RelativeL2(u, ref)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("relative L2 over 3 windows: %.3g", e)
	// Measured: 5.6e-5.
	if e > 3e-4 {
		t.Errorf("relative L2 %.3g, want ≤ 3e-4", e)
	}
	// Continuity: window 2 starts from window 1's solution at t = 1/3.
	ws := mr.Windows()
	for _, x := range []float64{0.1, 0.5, 0.77} {
		q := [][]float64{{x, 1.0 / 3}}
		a, _ := ws[0].Predict(q)
		b, _ := ws[1].Predict(q)
		if d := math.Abs(a[0] - b[0]); d > 1e-12 {
			t.Errorf("windows 1 and 2 differ by %.3g at x = %v, t = 1/3", d, x)
		}
	}
	if _, err := March(context.Background(), p, Config{}, 0, nil); !errors.Is(err, ErrInput) {
		t.Errorf("zero windows: %v", err)
	}
	_, err = March(context.Background(), p, Config{Hidden: []int{4}, Collocation: 16}, 2, func(int, *Model) error { panic("boom") })
	if !errors.Is(err, ErrCallback) {
		t.Errorf("panicking train: %v", err)
	}
}
