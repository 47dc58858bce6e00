package flows

import (
	"math"
	"testing"
)

// The two moons' arc integral with LogProb's Simpson rule of 400 intervals per moon
// agrees with 50,000 intervals to 1e-5 relative wherever log p > −20.
func TestMoonQuadrature(t *testing.T) {
	pts := []float64{0, 0, 1, 0.5, -1.5, 0.3, 2.2, -0.6, 0.3, 1.4, -2.5, 0.5, 3, 1}
	a, err := TwoMoons.LogProb(pts)
	if err != nil {
		t.Fatal(err)
	}
	defer func(n int) { moonNodes = n }(moonNodes)
	moonNodes = 50000
	b, err := TwoMoons.LogProb(pts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		// Measured: at most 1.2e-7, at (3, 1) beyond the end of a moon.
		e := math.Abs(math.Exp(a[i]-b[i]) - 1)
		t.Logf("%v: %.2g", pts[2*i:2*i+2], e)
		if b[i] > -20 && e > 1e-5 {
			t.Errorf("point %v: log p %.10f with 400 intervals, %.10f with 50,000", pts[2*i:2*i+2], a[i], b[i])
		}
	}
}
