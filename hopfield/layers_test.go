package hopfield

import (
	"math"
	"testing"

	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/rng"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// input makes a float64 input node of the given shape with N(0,1) values.
func input(g *G.ExprGraph, name string, seed uint64, shape ...int) *G.Node {
	r := rng.New(seed)
	n := 1
	for _, s := range shape {
		n *= s
	}
	data := make([]float64, n)
	for i := range data {
		data[i] = r.NormFloat64()
	}
	t := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
	return G.NewTensor(g, tensor.Float64, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(t))
}

// checkGradients compares the gradients of loss = Σ out ⊙ C (C random)
// with respect to wrt, from gorgonia's Grad, with central finite
// differences of the loss (step 1e-5: truncation ≈ h²·|f‴| ≈ 1e-10,
// rounding ≈ 1e-16/h·|f| ≈ 1e-11; tolerance 1e-7 absolute plus 1e-6
// relative).
func checkGradients(t *testing.T, g *G.ExprGraph, out *G.Node, wrt []*G.Node) {
	t.Helper()
	c := input(g, "fd_weights", 99, out.Shape()...)
	loss := G.Must(G.Sum(G.Must(G.HadamardProd(out, c))))
	var lv G.Value
	G.Read(loss, &lv)
	if _, err := G.Grad(loss, wrt...); err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	run := func() float64 {
		t.Helper()
		m.Reset()
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
		return lv.Data().(float64)
	}
	run()
	grads := make([][]float64, len(wrt))
	for k, n := range wrt {
		gv, err := n.Grad()
		if err != nil {
			t.Fatal(err)
		}
		grads[k] = append([]float64(nil), gv.Data().([]float64)...)
	}
	for k, gk := range grads {
		big := 0.0
		for _, v := range gk {
			big = math.Max(big, math.Abs(v))
		}
		if big < 1e-3 {
			t.Fatalf("%s: gradient is ~0 (max %v): the check would be vacuous", wrt[k].Name(), big)
		}
	}
	const h = 1e-5
	for k, n := range wrt {
		x := n.Value().Data().([]float64)
		for i := range x {
			x0 := x[i]
			x[i] = x0 + h
			fp := run()
			x[i] = x0 - h
			fm := run()
			x[i] = x0
			want := (fp - fm) / (2 * h)
			if d := math.Abs(grads[k][i] - want); d > 1e-7+1e-6*math.Abs(want) {
				t.Errorf("%s[%d]: Grad %v, finite differences %v", n.Name(), i, grads[k][i], want)
			}
		}
	}
}

// gorgonia's SoftMax backward along a chosen axis of a 3-D tensor (the
// layers use axes 1 and 2) agrees with finite differences.
func TestSoftMaxGradientByAxis(t *testing.T) {
	for _, axis := range []int{1, 2} {
		g := G.NewGraph()
		x := input(g, "x", 1, 2, 3, 4)
		y := G.Must(G.SoftMax(x, axis))
		checkGradients(t, g, y, []*G.Node{x})
	}
}

// BatchedMatMul's backward for the transposition flags the layers use.
func TestBatchedMatMulGradient(t *testing.T) {
	for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}} {
		g := G.NewGraph()
		a := input(g, "a", 2, 2, 3, 4)
		if tr[0] {
			a = input(g, "a", 2, 2, 4, 3)
		}
		b := input(g, "b", 3, 2, 4, 5)
		if tr[1] {
			b = input(g, "b", 3, 2, 5, 4)
		}
		z := G.Must(G.BatchedMatMul(a, b, tr[0], tr[1]))
		checkGradients(t, g, z, []*G.Node{a, b})
	}
}

func TestHopfieldGradients(t *testing.T) {
	for _, norm := range []bool{false, true} {
		testHopfieldGradients(t, norm)
	}
}

func testHopfieldGradients(t *testing.T, norm bool) {
	g := G.NewGraph()
	h, err := NewHopfield(g, 5, 4, LayerConfig{DimK: 3, DimV: 2, Seed: 1, Normalize: norm})
	if err != nil {
		t.Fatal(err)
	}
	r := input(g, "r", 4, 2, 3, 5)
	y := input(g, "y", 5, 2, 6, 4)
	z, err := h.Forward(r, y)
	if err != nil {
		t.Fatal(err)
	}
	if !z.Shape().Eq(tensor.Shape{2, 3, 2}) {
		t.Fatalf("output shape %v, want (2, 3, 2)", z.Shape())
	}
	checkGradients(t, g, z, append(h.Params(), r, y))
}

func TestHopfieldPoolingGradients(t *testing.T) {
	for _, norm := range []bool{false, true} {
		testHopfieldPoolingGradients(t, norm)
	}
}

func testHopfieldPoolingGradients(t *testing.T, norm bool) {
	g := G.NewGraph()
	p, err := NewHopfieldPooling(g, 4, 2, LayerConfig{DimK: 3, DimV: 5, Seed: 2, Normalize: norm})
	if err != nil {
		t.Fatal(err)
	}
	y := input(g, "y", 6, 3, 7, 4)
	z, err := p.Forward(y)
	if err != nil {
		t.Fatal(err)
	}
	if !z.Shape().Eq(tensor.Shape{3, 2, 5}) {
		t.Fatalf("output shape %v, want (3, 2, 5)", z.Shape())
	}
	checkGradients(t, g, z, append(p.Params(), y))
}

func TestHopfieldLayerGradients(t *testing.T) {
	for _, norm := range []bool{false, true} {
		testHopfieldLayerGradients(t, norm)
	}
}

func testHopfieldLayerGradients(t *testing.T, norm bool) {
	g := G.NewGraph()
	l, err := NewHopfieldLayer(g, 4, 6, LayerConfig{DimK: 3, DimV: 2, Seed: 3, Normalize: norm})
	if err != nil {
		t.Fatal(err)
	}
	r := input(g, "r", 7, 2, 5, 4)
	z, err := l.Forward(r)
	if err != nil {
		t.Fatal(err)
	}
	if !z.Shape().Eq(tensor.Shape{2, 5, 2}) {
		t.Fatalf("output shape %v, want (2, 5, 2)", z.Shape())
	}
	checkGradients(t, g, z, append(l.Params(), r))
}

// With Q = ξ and K = V = X, Associate is one update of the modern network
// (Modern.UpdateBatch), to rounding.
func TestAssociateIsModernUpdate(t *testing.T) {
	const b, d, p = 3, 5, 8
	m, xs := randomModern(t, p, d, 0.9, 12)
	g := G.NewGraph()
	q := input(g, "q", 13, b, 1, d)
	kv := make([]float64, 0, b*p*d)
	for i := 0; i < b; i++ {
		for _, x := range xs {
			kv = append(kv, x...)
		}
	}
	k := G.NewTensor(g, tensor.Float64, 3, G.WithShape(b, p, d), G.WithName("k"),
		G.WithValue(tensor.New(tensor.WithShape(b, p, d), tensor.WithBacking(kv))))
	z, err := Associate(q, k, k, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	var zv G.Value
	G.Read(z, &zv)
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	got := zv.Data().([]float64)
	qd := q.Value().Data().([]float64)
	for i := 0; i < b; i++ {
		want, _ := m.Update(qd[i*d : (i+1)*d])
		for j := range want {
			if math.Abs(got[i*d+j]-want[j]) > 1e-12 {
				t.Fatalf("query %d [%d]: layer %v, Modern.Update %v", i, j, got[i*d+j], want[j])
			}
		}
	}
}

func TestLayerErrors(t *testing.T) {
	g := G.NewGraph()
	if _, err := NewHopfield(g, 0, 3, LayerConfig{}); err == nil {
		t.Error("dimR = 0: no error")
	}
	if _, err := NewHopfieldPooling(g, 3, 1, LayerConfig{Beta: -1}); err == nil {
		t.Error("β < 0: no error")
	}
	if _, err := NewHopfieldLayer(g, 3, 0, LayerConfig{}); err == nil {
		t.Error("0 stored patterns: no error")
	}
	if _, err := NewHopfieldPooling(g, 3, 1, LayerConfig{DimK: -2}); err == nil {
		t.Error("DimK < 0: no error")
	}
	p, err := NewHopfieldPooling(g, 3, 1, LayerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewHopfieldPooling(g, 3, 1, LayerConfig{}); err == nil {
		t.Error("second layer with the same name: no error")
	}
	if _, err := p.Forward(input(g, "y4", 1, 2, 5, 4)); err == nil {
		t.Error("pooling of 4-dim patterns in a 3-dim layer: no error")
	}
	if _, err := p.Forward(input(g, "y2", 1, 5, 3)); err == nil {
		t.Error("pooling of a 2-D input: no error")
	}
	if _, err := p.Forward(input(G.NewGraph(), "other", 1, 2, 5, 3)); err == nil {
		t.Error("input from another graph: no error")
	}
	h, _ := NewHopfield(g, 2, 3, LayerConfig{})
	if _, err := h.Forward(input(g, "r", 1, 2, 4, 2), input(g, "y", 1, 3, 4, 3)); err == nil {
		t.Error("batch mismatch: no error")
	}
	l, _ := NewHopfieldLayer(g, 2, 5, LayerConfig{})
	if _, err := l.Forward(input(g, "r3", 1, 4, 3)); err == nil {
		t.Error("HopfieldLayer of 3-dim states in a 2-dim layer: no error")
	}
	q := input(g, "q", 1, 2, 1, 3)
	if _, err := Associate(q, q, q, 0); err == nil {
		t.Error("Associate with β = 0: no error")
	}
	if _, err := Associate(q, input(g, "k5", 1, 2, 4, 5), q, 1); err == nil {
		t.Error("Associate with mismatched shapes: no error")
	}
}

// Pitfall of gorgonia v0.9.18 kept as a test, so that an upgrade that
// fixes it is noticed: softmaxOp.WriteHash ignores isLog, so LogSoftMax(x,
// a) built after SoftMax(x, a) on the same node is deduplicated into the
// SoftMax node and silently returns probabilities, not log-probabilities.
// The layers here use SoftMax only.
func TestGorgoniaLogSoftMaxDedupPitfall(t *testing.T) {
	g := G.NewGraph()
	x := input(g, "x", 1, 2, 3)
	a := G.Must(G.SoftMax(x, 1))
	b := G.Must(G.LogSoftMax(x, 1))
	if a != b {
		t.Fatal("LogSoftMax after SoftMax is a distinct node now: the gorgonia pitfall is fixed; update DESIGN.md's list")
	}
}

// Pitfall of gorgonia v0.9.18 kept as a test: InverseSqrt's backward
// divides by y³ instead of multiplying (it returns −g/(2y³), not
// −g·y³/2): at x = 4, d/dx x^(−1/2) = −1/16 but gorgonia gives −4. The
// layer norm here uses Sqrt and a division instead.
func TestGorgoniaInverseSqrtGradPitfall(t *testing.T) {
	g := G.NewGraph()
	x := G.NewScalar(g, tensor.Float64, G.WithName("x"), G.WithValue(4.0))
	y := G.Must(G.InverseSqrt(x))
	if _, err := G.Grad(y, x); err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	gv, _ := x.Grad()
	got := gv.Data().(float64)
	if math.Abs(got-(-1.0/16)) < 1e-12 {
		t.Fatal("InverseSqrt's gradient is right now: the gorgonia pitfall is fixed; update DESIGN.md's list")
	}
	if math.Abs(got-(-4)) > 1e-12 {
		t.Fatalf("InverseSqrt gradient at 4 is %v; expected the known wrong −4 (right: −1/16)", got)
	}
}

// The layer norm used by LayerConfig.Normalize: zero mean, unit variance
// along the last axis, and gradients matching finite differences.
func TestLayerNorm(t *testing.T) {
	g := G.NewGraph()
	x := input(g, "x", 1, 2, 3, 5)
	b := build.New(g, "hopfield")
	y := layerNorm(b, x)
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	var yv G.Value
	G.Read(y, &yv)
	vm := G.NewTapeMachine(g)
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	vm.Close()
	d := yv.Data().([]float64)
	for r := 0; r < 6; r++ {
		var m, v float64
		for _, e := range d[r*5 : (r+1)*5] {
			m += e / 5
		}
		for _, e := range d[r*5 : (r+1)*5] {
			v += (e - m) * (e - m) / 5
		}
		// Unit variance up to the ε = 1e-5 in the denominator.
		if math.Abs(m) > 1e-12 || math.Abs(v-1) > 1e-4 {
			t.Errorf("row %d: mean %v, variance %v", r, m, v)
		}
	}
	g2 := G.NewGraph()
	x2 := input(g2, "x", 1, 2, 3, 5)
	checkGradients(t, g2, layerNorm(build.New(g2, "hopfield"), x2), []*G.Node{x2})
}

// Pitfall of gorgonia v0.9.18 kept as a test: an elementwise binary op
// (Add, Sub, BroadcastSub, …) applied to a Reshape of an input node
// overwrites the input node's value when the tape machine runs (the
// reshape aliases the input's memory and is treated as overwritable);
// unary ops such as Tanh and matrix products do not. The layers here
// only reshape inputs before matrix products and normalise before
// reshaping.
func TestGorgoniaReshapeAliasPitfall(t *testing.T) {
	g := G.NewGraph()
	x := input(g, "x", 1, 6, 4)
	before := append([]float64(nil), x.Value().Data().([]float64)...)
	r := G.Must(G.Reshape(x, tensor.Shape{4, 6}))
	G.Must(G.Add(r, G.NewConstant(1.0)))
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	after := x.Value().Data().([]float64)
	same := true
	for i := range before {
		same = same && before[i] == after[i]
	}
	if same {
		t.Fatal("Add on a Reshape of an input no longer overwrites the input: the gorgonia pitfall is fixed; update DESIGN.md's list")
	}
}
