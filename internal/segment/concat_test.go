package segment

import (
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/rng"
)

// concatLoss runs loss = Σ c ⊙ y² for y = GatherConcat of three inputs
// (a (5,2) gathered with repeats, b (4,3) as is, u (2,1) gathered) and
// returns the loss, y and, with grad, the gradients of the three inputs.
func concatLoss(t *testing.T, a, b, u, c []float64, grad bool) (float64, []float64, [][]float64) {
	t.Helper()
	g := G.NewGraph()
	an, bn, un := input(g, "a", a, 5, 2), input(g, "b", b, 4, 3), input(g, "u", u, 2, 1)
	y, err := GatherConcat(Part{X: an, Idx: []int{0, 4, 4, 1}}, Part{X: bn}, Part{X: un, Idx: []int{1, 0, 1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	cn := input(g, "c", c, 4, 6)
	sq, _ := G.Square(y)
	p, _ := G.HadamardProd(sq, cn)
	loss, _ := G.Sum(p)
	var lv, yv G.Value
	G.Read(loss, &lv)
	G.Read(y, &yv)
	ins := G.Nodes{an, bn, un}
	if grad {
		if _, err := G.Grad(loss, ins...); err != nil {
			t.Fatal(err)
		}
	}
	m := G.NewTapeMachine(g, G.BindDualValues(ins...))
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	var ds [][]float64
	if grad {
		for _, n := range ins {
			d, err := n.Grad()
			if err != nil {
				t.Fatal(err)
			}
			ds = append(ds, append([]float64(nil), d.Data().([]float64)...))
		}
	}
	return float64(*lv.(*G.F64)), append([]float64(nil), yv.Data().([]float64)...), ds
}

func TestGatherConcat(t *testing.T) {
	r := rng.New(3)
	a, b, u, c := randn(r, 10), randn(r, 12), randn(r, 2), randn(r, 24)
	_, y, ds := concatLoss(t, a, b, u, c, true)
	ai, ui := []int{0, 4, 4, 1}, []int{1, 0, 1, 1}
	for row := range 4 {
		want := []float64{a[2*ai[row]], a[2*ai[row]+1], b[3*row], b[3*row+1], b[3*row+2], u[ui[row]]}
		for k, v := range want {
			if y[row*6+k] != v {
				t.Fatalf("row %d = %v, want %v", row, y[row*6:row*6+6], want)
			}
		}
	}
	// 4th-order central differences on every input; measured worst
	// relative error 3.3e-13, bound 3e-12.
	const h = 1e-3
	worst := 0.0
	xs := [][]float64{a, b, u}
	for p, x := range xs {
		for i := range x {
			at := func(d float64) float64 {
				old := x[i]
				x[i] = old + d
				l, _, _ := concatLoss(t, a, b, u, c, false)
				x[i] = old
				return l
			}
			fd := (-at(2*h) + 8*at(h) - 8*at(-h) + at(-2*h)) / (12 * h)
			worst = max(worst, math.Abs(fd-ds[p][i])/(1+math.Abs(fd)))
		}
	}
	t.Logf("worst relative error %.2g", worst)
	if worst > 3e-12 {
		t.Fatalf("gradient vs finite differences: worst relative error %.3g", worst)
	}
}

func TestGatherConcatBadInput(t *testing.T) {
	g := G.NewGraph()
	a, b := input(g, "a", make([]float64, 6), 3, 2), input(g, "b", make([]float64, 8), 4, 2)
	g2 := G.NewGraph()
	c := input(g2, "c", make([]float64, 6), 3, 2)
	for name, tc := range map[string]struct {
		parts []Part
		want  string
	}{
		"none":   {nil, "no parts"},
		"rows":   {[]Part{{X: a}, {X: b}}, "rows"},
		"range":  {[]Part{{X: a, Idx: []int{0, 3}}}, "out of range"},
		"graphs": {[]Part{{X: a}, {X: c}}, "graphs"},
		"nil":    {[]Part{{X: nil}}, "nil"},
	} {
		_, err := GatherConcat(tc.parts...)
		if err == nil || !strings.HasPrefix(err.Error(), "segment: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one naming %q", name, err, tc.want)
		}
	}
}
