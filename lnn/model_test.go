package lnn

import "testing"

// TestGraphMatchesPlainGo: the q̈ of the training graph (internal/ad
// derivatives, linalg solve, gorgonia ops) and of the plain-Go rollout path
// (ad.Dense, jacNet, solveSmall) are the same maths in a different order
// of operations, for every kind, at untrained weights.
func TestGraphMatchesPlainGo(t *testing.T) {
	for _, k := range []Kind{LNN, DeLaN, Baseline} {
		m, err := New(2, Config{Kind: k, Hidden: []int{16, 16}, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		x := randStates(7, 8, 2)
		want := make([]float64, 16)
		if err := m.Accel(x, want); err != nil {
			t.Fatal(err)
		}
		got := graphAccel(t, m, x)
		e := relErr(got, want)
		t.Logf("%v: graph vs plain-Go q̈ rel err %.2g", k, e)
		// Rounding differences amplified by the condition number of the
		// learned mass matrix (untrained: up to ~1e3).
		if e > 1e-9 {
			t.Errorf("%v: graph vs plain-Go q̈ rel err %.2g > 1e-9", k, e)
		}
	}
}
