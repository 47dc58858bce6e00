package energy

import (
	"math"
	"testing"

	"github.com/physbias/physbias/internal/rng"
)

// Dropping the all-zero columns from the products changes only the order
// of the sums: CD-1 and PCD-2 updates with and without packing agree to
// rounding, on sparse binary data where packing applies.
func TestPackedMatchesDense(t *testing.T) {
	for _, pcd := range []bool{false, true} {
		var ws [2][]float64
		for k, usePacked := range []bool{false, true} {
			m, err := New(Config{Visible: 40, Hidden: 13, InitStd: 0.3, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			for i := range m.b {
				m.b[i] = -3 // sparse model samples, so the negatives pack too
			}
			tc, _ := TrainConfig{BatchSize: 8, K: 2, Persistent: pcd, Momentum: 0.5, WeightDecay: 0.01}.withDefaults(Binary, 8)
			r := rng.New(5)
			s := m.newCD(tc, r)
			if !usePacked {
				s.pos.pk, s.neg.pk = nil, nil
			}
			for i := range s.pos.v { // pixels 0–9 and 30–39 always off
				if j := i % 40; j >= 10 && j < 30 && r.Float64() < 0.3 {
					s.pos.v[i] = 1
				}
			}
			if pcd {
				copy(s.neg.v, s.pos.v)
			}
			s.lr = tc.LR
			for range 3 {
				s.update()
			}
			if usePacked && !s.pos.pk.on {
				t.Fatal("packing did not apply to the positive batch")
			}
			ws[k] = append(append(append([]float64(nil), m.w...), m.b...), m.c...)
		}
		var worst float64
		for i := range ws[0] {
			worst = math.Max(worst, math.Abs(ws[0][i]-ws[1][i]))
		}
		// Measured ≤ 1e-16 (the sums differ in order only).
		if worst > 1e-12 {
			t.Errorf("persistent=%v: packed and dense updates differ by %.2g", pcd, worst)
		}
	}
}
