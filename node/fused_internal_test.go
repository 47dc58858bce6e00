package node

import (
	"math"
	"testing"
)

// TestTapeBound: past the tape's bound (tapeBytes, lowered here to 7
// records) backprop's later steps keep no activations and evaluate f again
// in their reverse pass; the gradient is the same to rounding (within
// 1e-14 relative norm-wise, measured 7e-16) and the kept states stop growing.
func TestTapeBound(t *testing.T) {
	m, err := New(2, Config{Hidden: []int{16, 16}, TimeInput: true, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	y0 := []float64{0.5, -0.3, 1.0, 0.2, -0.7, 0.8}
	ts := []float64{0, 0.4, 1.1}
	cot := [][]float64{nil, {0.3, -1, 0.5, 0.2, 0.1, -0.4}, {1, 0.7, -0.6, 0.4, -0.2, 0.9}}
	for _, s := range []Solver{RK4(), DormandPrince()} {
		o := Options{Dt: 0.05}
		if s.name == DormandPrince().name {
			o = Options{RTol: 1e-8, ATol: 1e-8}
		}
		full, err := m.Gradient(y0, ts, cot, s, o, Backprop)
		if err != nil {
			t.Fatal(err)
		}
		fm := m.fused[key(3, nil)]
		fm.slab = nil
		old := tapeBytes
		tapeBytes = 7 * fm.recBytes()
		bounded, err := m.Gradient(y0, ts, cot, s, o, Backprop)
		tapeBytes = old
		if err != nil {
			t.Fatal(err)
		}
		if len(fm.slab) > 7 {
			t.Errorf("%s: the slab holds %d records past a bound of 7", s.name, len(fm.slab))
		}
		d := max(normRel(bounded.Theta, full.Theta), normRel(bounded.Y0, full.Y0), math.Abs(bounded.T-full.T)/math.Abs(full.T))
		t.Logf("%s: bounded tape (held %d B, full %d B) differs by %.3g relative", s.name, bounded.HeldBytes, full.HeldBytes, d)
		if d > 1e-14 || bounded.HeldBytes >= full.HeldBytes {
			t.Errorf("%s: bounded tape: gradient differs by %.3g relative; held %d B against %d B", s.name, d, bounded.HeldBytes, full.HeldBytes)
		}
	}
}

// normRel returns ‖a − b‖∞ / ‖b‖∞.
func normRel(a, b []float64) float64 {
	d, n := 0.0, 0.0
	for i := range b {
		d = math.Max(d, math.Abs(a[i]-b[i]))
		n = math.Max(n, math.Abs(b[i]))
	}
	return d / n
}
