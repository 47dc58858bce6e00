package train

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

// TestEvalGradientFD: the gradient an evaluation leaves on the parameters
// matches central finite differences of the loss, and stays the same when
// the same point is evaluated again (Run zeroes gorgonia's accumulated
// gradients before each pass). Tolerance: the loss is a smooth quartic of
// size ~10, so a central difference with step 1e-6 is good to ~1e-8.
func TestEvalGradientFD(t *testing.T) {
	s, params := adamSession(t)
	x0, _ := Values(params)
	grad := func() []float64 {
		t.Helper()
		if _, err := s.eval(1); err != nil {
			t.Fatal(err)
		}
		var g []float64
		for _, n := range params {
			d, err := gradData(n)
			if err != nil {
				t.Fatal(err)
			}
			g = append(g, d...)
		}
		return g
	}
	g1 := grad()
	g2 := grad()
	f := func(x []float64) float64 {
		if err := SetValues(params, x); err != nil {
			t.Fatal(err)
		}
		l, err := s.eval(1)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	want := fd.Gradient(nil, f, x0, &fd.Settings{Formula: fd.Central, Step: 1e-6})
	for i := range want {
		if g1[i] != g2[i] {
			t.Errorf("θ[%d]: second evaluation gave gradient %g, first %g", i, g2[i], g1[i])
		}
		if math.Abs(g1[i]-want[i]) > 1e-8 {
			t.Errorf("θ[%d]: gradient %.10f, finite differences %.10f", i, g1[i], want[i])
		}
		// And the closed form.
		x := x0[i]
		if cf := adamA[i]*(x-adamC[i]) + 0.1*x*x*x; math.Abs(g1[i]-cf) > 1e-14 {
			t.Errorf("θ[%d]: gradient %.16f, closed form %.16f", i, g1[i], cf)
		}
	}
}

// TestGorgoniaAccumulates pins the gorgonia behaviour that eval works
// around: two RunAll calls without a solver step leave twice the gradient.
// If an upgrade changes this, eval's zeroing is still right, but DESIGN.md's
// pitfall note should be updated.
func TestGorgoniaAccumulates(t *testing.T) {
	s, params := adamSession(t)
	for i := 0; i < 2; i++ {
		if err := s.m.RunAll(); err != nil {
			t.Fatal(err)
		}
		s.m.Reset()
	}
	g, _ := gradData(params[0])
	x := adamX0[0]
	once := adamA[0]*(x-adamC[0]) + 0.1*x*x*x
	if math.Abs(g[0]-2*once) > 1e-14 {
		t.Errorf("after two RunAll calls the gradient is %g; one pass gives %g (accumulation would give %g)", g[0], once, 2*once)
	}
}
