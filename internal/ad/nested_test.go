package ad

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
)

// nestedSecond returns what gorgonia's nested Grad gives as d²f/dx² at x0,
// for f built from a scalar input node by build.
func nestedSecond(t *testing.T, x0 float64, build func(x *G.Node) (*G.Node, error)) float64 {
	t.Helper()
	g := G.NewGraph()
	x := G.NewScalar(g, G.Float64, G.WithName("x"), G.WithValue(x0))
	f, err := build(x)
	if err != nil {
		t.Fatal(err)
	}
	g1, err := G.Grad(f, x)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := G.Grad(g1[0], x)
	if err != nil {
		t.Fatal(err)
	}
	var v G.Value
	G.Read(g2[0], &v)
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	return v.Data().(float64)
}

// TestNestedGradDefect records that gorgonia v0.9.18's nested Grad is wrong,
// which is why this package builds input derivatives itself. If this test
// fails, an upgrade has changed the behaviour: check whether nested Grad now
// works and revisit the design (DESIGN.md, "Autodiff").
func TestNestedGradDefect(t *testing.T) {
	x0 := 0.7
	got := nestedSecond(t, x0, G.Tanh)
	th := math.Tanh(x0)
	d1, d2 := 1-th*th, -2*th*(1-th*th)
	t.Logf("tanh: nested Grad gives %.6f; tanh′ = %.6f, true tanh″ = %.6f", got, d1, d2)
	if math.Abs(got-d2) < 1e-9 {
		t.Fatalf("nested Grad now returns the right tanh″ (%.6f): gorgonia's defect is fixed, revisit internal/ad", got)
	}
	if math.Abs(got-d1) > 1e-12 {
		t.Fatalf("nested Grad of tanh gave %.6f, neither tanh′ (%.6f, the known defect) nor tanh″ (%.6f)", got, d1, d2)
	}

	got = nestedSecond(t, 2, func(x *G.Node) (*G.Node, error) {
		xx, err := G.HadamardProd(x, x)
		if err != nil {
			return nil, err
		}
		return G.HadamardProd(xx, x)
	})
	t.Logf("x·x·x at 2: nested Grad gives %g, true second derivative 12", got)
	if got == 12 {
		t.Fatalf("nested Grad now returns the right d²(x³)/dx² = 12: gorgonia's defect is fixed, revisit internal/ad")
	}
	if got != 4 {
		t.Fatalf("nested Grad of x·x·x at 2 gave %g, neither 4 (the known defect) nor 12", got)
	}
}
