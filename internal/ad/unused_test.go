package ad

import (
	"testing"

	G "gorgonia.org/gorgonia"
)

// TestUnusedGradSkipped: the gradient of the data x of the first layer (a
// constant, or a variable outside G.Grad's list) is a node nobody reads;
// it must not be computed (its buffer stays zero), while the parameters'
// gradients still are. Once a node reads it (a graph grown after the first
// run), a new machine computes it: it must then equal ∂loss/∂x by central
// differences.
func TestUnusedGradSkipped(t *testing.T) {
	const B, in = 6, 3
	for _, constX := range []bool{true, false} {
		g := G.NewGraph()
		m, err := NewMLP(g, "f", []int{in, 7, 5, 1}, Tanh, 3)
		if err != nil {
			t.Fatal(err)
		}
		randomizeBiases(t, m, 9)
		xd := randVec(4, B*in, 1)
		var x *G.Node
		if constX {
			x = G.NewConstant(matrixValue(B, in, xd), G.In(g))
		} else {
			x = G.NewMatrix(g, G.Float64, G.WithShape(B, in), G.WithName("x"), G.WithValue(matrixValue(B, in, xd)))
		}
		y, err := m.Forward(x)
		if err != nil {
			t.Fatal(err)
		}
		loss := sumWeighted(t, g, y, 5)
		grads, err := G.Grad(loss, m.Params()...)
		if err != nil {
			t.Fatal(err)
		}
		var strays []*G.Node
		for _, n := range g.AllNodes() {
			if o, ok := n.Op().(fop); ok && o.use != nil && !o.use.needed() {
				strays = append(strays, n)
			}
		}
		if len(strays) != 1 || strays[0].Op().(fop).kind != kLinT || !strays[0].Shape().Eq(x.Shape()) {
			t.Fatalf("const x %v: unread gradient nodes %v, want the one (%d,%d) LinT of x", constX, strays, B, in)
		}
		stray := strays[0]
		vm := G.NewTapeMachine(g, G.BindDualValues(m.Params()...))
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		for _, v := range stray.Value().Data().([]float64) {
			if v != 0 {
				t.Fatalf("const x %v: the unread gradient of x was computed: %v", constX, stray.Value())
			}
		}
		for i, gn := range grads {
			nz := false
			for _, v := range gn.Value().Data().([]float64) {
				nz = nz || v != 0
			}
			if !nz {
				t.Fatalf("const x %v: gradient of %v is all zero", constX, m.Params()[i])
			}
		}
		vm.Close()

		// A reader added after the first run: the gradient is computed.
		var gx, lv G.Value
		G.Read(stray, &gx)
		G.Read(loss, &lv)
		vm = G.NewTapeMachine(g)
		defer vm.Close()
		eval := func() float64 {
			vm.Reset()
			if err := vm.RunAll(); err != nil {
				t.Fatal(err)
			}
			return lv.Data().(float64)
		}
		eval()
		got := append([]float64(nil), gx.Data().([]float64)...)
		want := make([]float64, len(xd))
		const h = 1e-4
		for j := range xd {
			orig := xd[j]
			at := func(s float64) float64 { xd[j] = orig + s*h; return eval() }
			p2, p1, m1, m2 := at(2), at(1), at(-1), at(-2)
			xd[j] = orig
			want[j] = (-p2 + 8*p1 - 8*m1 + m2) / (12 * h)
		}
		// Measured: 4.5e-12 relative (4th-order differences, h = 1e-4).
		if e := relErr(got, want); e > 1e-9 {
			t.Errorf("const x %v: gradient of x once read: relative error %.3g\ngot  %v\nwant %v", constX, e, got, want)
		}
	}
}
