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

// TestTapeBoundTerms is TestTapeBound with terms integrated beside the
// state (the kinetic energy, Hutchinson's Frobenius norm and trace, the
// exact trace and Kelly's K = 3 by Taylor mode), whose records hold
// tangents and jets: past the bound the gradient is the same to rounding
// (within 1e-14 relative norm-wise, measured 1.1e-15) and the slab stops
// growing.
func TestTapeBoundTerms(t *testing.T) {
	m, err := New(2, Config{Hidden: []int{16, 16}, TimeInput: true, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	terms := []term{termKinetic, termFrobenius, termTrace, termTraceHutch, kellyTerm(3)}
	y0 := []float64{0.5, -0.3, 1.0, 0.2, -0.7, 0.8}
	eps := []float64{0.3, -1.1, 0.7, 0.4, -0.2, 1.3}
	ts := []float64{0, 0.4, 1.1}
	cotOf := func(ys [][]float64) ([][]float64, error) {
		c := make([]float64, len(ys[2]))
		for i := range c {
			c[i] = math.Sin(float64(i) + 1)
		}
		return [][]float64{nil, nil, c}, nil
	}
	o := Options{Dt: 0.05}
	full, err := m.grad(3, terms, nil, eps, y0, ts, nil, RK4(), o, Backprop, cotOf)
	if err != nil {
		t.Fatal(err)
	}
	fm := m.fused[key(3, terms)]
	fm.slab = nil
	old := tapeBytes
	tapeBytes = 7 * fm.recBytes()
	bounded, err := m.grad(3, terms, nil, eps, y0, ts, nil, RK4(), o, Backprop, cotOf)
	tapeBytes = old
	if err != nil {
		t.Fatal(err)
	}
	if len(fm.slab) > 7 {
		t.Errorf("the slab holds %d records past a bound of 7", len(fm.slab))
	}
	d := max(normRel(bounded.gtheta, full.gtheta), normRel(bounded.y0bar, full.y0bar), math.Abs(bounded.tbar-full.tbar)/math.Abs(full.tbar))
	t.Logf("bounded tape (held %d B, full %d B) differs by %.3g relative", bounded.held, full.held, d)
	if d > 1e-14 || bounded.held >= full.held {
		t.Errorf("bounded tape: gradient differs by %.3g relative; held %d B against %d B", d, bounded.held, full.held)
	}
}
