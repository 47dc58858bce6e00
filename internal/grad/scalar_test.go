package grad

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
)

// TestCubeThirdOrder: d/dx, d², d³ of x·x·x at x = 2 are 12, 12, 6 exactly;
// gorgonia's nested Grad gives 4 for the second (internal/ad's
// TestNestedGradDefect).
func TestCubeThirdOrder(t *testing.T) {
	must := must(t)
	g := G.NewGraph()
	x := G.NewScalar(g, G.Float64, G.WithName("x"), G.WithValue(2.0))
	f := must(G.HadamardProd(must(G.HadamardProd(x, x)), x))
	d := []*G.Node{f}
	for k := 0; k < 3; k++ {
		r, err := Grad(d[k], x)
		if err != nil {
			t.Fatal(err)
		}
		d = append(d, r[0])
	}
	// the fourth derivative is zero: Grad reports no path
	if _, err := Grad(d[3], x); err == nil {
		t.Fatal("fourth derivative of x³: want ErrNoPath, got nil")
	}
	v := newEvaluator(t, g, d...).run()
	want := []float64{8, 12, 12, 6}
	for k := range want {
		if v[k][0] != want[k] {
			t.Errorf("d^%d(x³)/dx^%d at 2 = %v, want %v", k, k, v[k][0], want[k])
		}
	}
}

// TestTanhThirdOrder: tanh′ = 1−t², tanh″ = −2t(1−t²), tanh‴ = −2(1−t²)(1−3t²).
func TestTanhThirdOrder(t *testing.T) {
	must := must(t)
	for _, x0 := range []float64{-1.3, 0.2, 0.7, 2.5} {
		g := G.NewGraph()
		x := G.NewScalar(g, G.Float64, G.WithName("x"), G.WithValue(x0))
		d := []*G.Node{must(G.Tanh(x))}
		for k := 0; k < 3; k++ {
			r, err := Grad(d[k], x)
			if err != nil {
				t.Fatal(err)
			}
			d = append(d, r[0])
		}
		v := newEvaluator(t, g, d...).run()
		th := math.Tanh(x0)
		s := 1 - th*th
		want := []float64{th, s, -2 * th * s, -2 * s * (1 - 3*th*th)}
		for k := range want {
			// measured: within 2 ulp-scale (≤ 2e-16)
			if e := math.Abs(v[k][0] - want[k]); e > 1e-15 {
				t.Errorf("tanh^(%d)(%v) = %.17g, want %.17g (error %.2g)", k, x0, v[k][0], want[k], e)
			}
		}
	}
}
