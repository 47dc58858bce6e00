package grad

import (
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func TestDbgBMM(t *testing.T) {
	for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
		g := G.NewGraph()
		sa, sb := tensor.Shape{1, 2, 3}, tensor.Shape{1, 3, 2}
		if tr[0] {
			sa = tensor.Shape{1, 3, 2}
		}
		if tr[1] {
			sb = tensor.Shape{1, 2, 3}
		}
		a := input(g, "a", sa, uniform(1, 6, -1, 1))
		b := input(g, "b", sb, uniform(2, 6, -1, 1))
		c := G.Must(G.BatchedMatMul(a, b, tr[0], tr[1]))
		f := G.Must(G.Sum(G.Must(G.Cube(G.Must(G.Sin(c))))))
		w := orders(t, g, a, f, 1e-3, 1e-8, 3, "bmm")
		t.Logf("%v: %v", tr, w)
	}
}
