package lnn

import (
	"math"
	"testing"
)

// TestBatchMatchesOneByOne: Accel and Energy evaluate all the states of a
// call in one batched pass of each network; they give what they give state
// by state, for every kind, on a system of 3 coordinates (the shipped
// systems have 2). Measured: worst relative difference 5e-16 (LNN), 1.7e-15
// (DeLaN).
func TestBatchMatchesOneByOne(t *testing.T) {
	const n, B = 3, 11
	for _, k := range []Kind{LNN, DeLaN, Baseline} {
		c := Config{Kind: k, Hidden: []int{16, 16}, Seed: 9, TimeScale: 0.7}
		if k != Baseline {
			c.MassEps = 1
		}
		m, err := New(n, c)
		if err != nil {
			t.Fatal(err)
		}
		x := randStates(21, B, n)
		qdd := make([]float64, B*n)
		if err := m.Accel(x, qdd); err != nil {
			t.Fatal(err)
		}
		one := make([]float64, n)
		worst := 0.0
		for r := 0; r < B; r++ {
			if err := m.Accel(x[r*2*n:(r+1)*2*n], one); err != nil {
				t.Fatal(err)
			}
			worst = math.Max(worst, relErr(qdd[r*n:(r+1)*n], one))
		}
		if k != Baseline {
			e := make([]float64, B)
			if err := m.Energy(x, e); err != nil {
				t.Fatal(err)
			}
			for r := 0; r < B; r++ {
				e1 := make([]float64, 1)
				if err := m.Energy(x[r*2*n:(r+1)*2*n], e1); err != nil {
					t.Fatal(err)
				}
				worst = math.Max(worst, math.Abs(e[r]-e1[0])/(1+math.Abs(e1[0])))
			}
		}
		t.Logf("%v: batch vs one state at a time, worst rel diff %.2g", k, worst)
		if worst > 1e-12 {
			t.Errorf("%v: batch vs one state at a time, rel diff %.2g > 1e-12", k, worst)
		}
	}
}
