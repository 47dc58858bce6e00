package build

import (
	"errors"
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/fail"
)

// input returns a named float64 input node of the given shape and values.
func input(g *G.ExprGraph, name string, data []float64, shape ...int) *G.Node {
	t := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), data...)))
	return G.NodeFromAny(g, t, G.WithName(name))
}

func run(t *testing.T, g *G.ExprGraph, n *G.Node) []float64 {
	t.Helper()
	var v G.Value
	G.Read(n, &v)
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	switch v := v.(type) {
	case *G.F64:
		return []float64{float64(*v)}
	case tensor.Tensor:
		return append([]float64(nil), v.Data().([]float64)...)
	}
	t.Fatalf("value %T", v)
	return nil
}

// TestOpsValues checks every elementwise op against math on the same input.
func TestOpsValues(t *testing.T) {
	x := []float64{0.3, 1.7, 0.9, 2.4}
	cases := []struct {
		name string
		op   func(b *B, n *G.Node) *G.Node
		f    func(float64) float64
	}{
		{"exp", (*B).Exp, math.Exp},
		{"log", (*B).Log, math.Log},
		{"log1p", (*B).Log1p, math.Log1p},
		{"tanh", (*B).Tanh, math.Tanh},
		{"sin", (*B).Sin, math.Sin},
		{"cos", (*B).Cos, math.Cos},
		{"square", (*B).Square, func(v float64) float64 { return v * v }},
		{"sqrt", (*B).Sqrt, math.Sqrt},
		{"neg", (*B).Neg, func(v float64) float64 { return -v }},
		{"abs", func(b *B, n *G.Node) *G.Node { return b.Abs(b.Neg(n)) }, math.Abs},
		{"softplus", (*B).Softplus, func(v float64) float64 { return math.Log1p(math.Exp(v)) }},
		{"sigmoid", (*B).Sigmoid, func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }},
		{"pow 3", func(b *B, n *G.Node) *G.Node { return b.Pow(n, 3) }, func(v float64) float64 { return v * v * v }},
		{"pow -0.5", func(b *B, n *G.Node) *G.Node { return b.Pow(n, -0.5) }, func(v float64) float64 { return 1 / math.Sqrt(v) }},
		{"scale", func(b *B, n *G.Node) *G.Node { return b.Scale(-2.5, n) }, func(v float64) float64 { return -2.5 * v }},
		{"shift", func(b *B, n *G.Node) *G.Node { return b.Shift(n, 4) }, func(v float64) float64 { return v + 4 }},
		{"x/(x+1)", func(b *B, n *G.Node) *G.Node { return b.HadamardDiv(n, b.Shift(n, 1)) }, func(v float64) float64 { return v / (v + 1) }},
		{"x*x-x", func(b *B, n *G.Node) *G.Node { return b.Sub(b.HadamardProd(n, n), n) }, func(v float64) float64 { return v*v - v }},
	}
	for _, c := range cases {
		g := G.NewGraph()
		b := New(g, "test")
		out := c.op(b, input(g, "x", x, 2, 2))
		if err := b.Err(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := run(t, g, out)
		for i, v := range x {
			// Elementwise float64 ops: a few ulps.
			if want := c.f(v); math.Abs(got[i]-want) > 1e-14*math.Max(1, math.Abs(want)) {
				t.Errorf("%s(%v) = %v, want %v", c.name, v, got[i], want)
			}
		}
	}
}

func TestReductionsAndShapes(t *testing.T) {
	g := G.NewGraph()
	b := New(g, "test")
	x := input(g, "x", []float64{1, 2, 3, 4, 5, 6}, 2, 3)
	rowSums := b.Sum(x, 1)
	mean := b.Mean(x)
	col := b.Slice(x, nil, S(1, 2))
	xt := b.Transpose(x)
	prod := b.Mul(x, xt) // (2,3)(3,2)
	cat := b.Concat(0, b.Reshape(x, 1, 6), b.Reshape(b.Scale(2, x), 1, 6))
	bias := b.Constant([]float64{10, 20, 30}, 3)
	bc := b.BroadcastAdd(x, b.Reshape(bias, 1, 3), nil, []byte{0})
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		n    *G.Node
		want []float64
	}{
		{rowSums, []float64{6, 15}},
		{mean, []float64{3.5}},
		{col, []float64{2, 5}},
		{prod, []float64{14, 32, 32, 77}},
		{cat, []float64{1, 2, 3, 4, 5, 6, 2, 4, 6, 8, 10, 12}},
		{bc, []float64{11, 22, 33, 14, 25, 36}},
	} {
		got := run(t, g, c.n)
		for i := range c.want {
			if got[i] != c.want[i] {
				t.Errorf("%v: got %v, want %v", c.n, got, c.want)
				break
			}
		}
	}
}

// TestFirstErrorKept: the first failing op is reported once, with the
// prefix, matching fail.ErrInput; later ops do nothing and return nil.
func TestFirstErrorKept(t *testing.T) {
	g := G.NewGraph()
	b := New(g, "lnn")
	x := input(g, "x", []float64{1, 2, 3, 4, 5, 6}, 2, 3)
	y := input(g, "y", []float64{1, 2, 3, 4}, 2, 2)
	bad := b.Add(x, y) // shape mismatch
	if bad != nil {
		t.Fatalf("failed op returned a node")
	}
	if n := b.Tanh(b.Reshape(x, 7)); n != nil {
		t.Fatal("op after an error returned a node")
	}
	err := b.Err()
	if err == nil || !errors.Is(err, fail.ErrInput) {
		t.Fatalf("want an error matching ErrInput, got %v", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "lnn: add: ") || strings.Count(msg, "lnn:") != 1 {
		t.Fatalf("message %q, want one prefix and the op named", msg)
	}
	// Fail does not replace the first error.
	b.Fail(errors.New("later"))
	if b.Err() != err {
		t.Fatal("Fail replaced the first error")
	}
}

func TestNilOperandAndPanic(t *testing.T) {
	g := G.NewGraph()
	b := New(g, "pinn")
	if b.Sin(nil) != nil || !errors.Is(b.Err(), fail.ErrInput) {
		t.Fatalf("nil operand: %v", b.Err())
	}
	b = New(g, "pinn")
	n := b.Do("my op", func() (*G.Node, error) { panic("boom") })
	if n != nil || !errors.Is(b.Err(), fail.ErrInput) || !strings.Contains(b.Err().Error(), "my op: boom") {
		t.Fatalf("panic not recovered into an error: %v", b.Err())
	}
	b = New(g, "pinn")
	b.Constant([]float64{1, 2}, 3)
	if !errors.Is(b.Err(), fail.ErrInput) {
		t.Fatalf("constant of wrong size: %v", b.Err())
	}
}

// TestSliceHashCollision: gorgonia merges Slice(a, S(0,256)) and
// Slice(a, S(256,512)); the builder must refuse the second.
func TestSliceHashCollision(t *testing.T) {
	g := G.NewGraph()
	b := New(g, "test")
	data := make([]float64, 512)
	for i := range data {
		data[i] = float64(i)
	}
	a := input(g, "a", data, 512)
	lo := b.Slice(a, S(0, 256))
	if b.Err() != nil {
		t.Fatal(b.Err())
	}
	// The same slice again is the same node, and fine.
	if again := b.Slice(a, S(0, 256)); again != lo || b.Err() != nil {
		t.Fatalf("repeating a slice: %v", b.Err())
	}
	hi := b.Slice(a, S(256, 512))
	if hi != nil || !errors.Is(b.Err(), fail.ErrInput) || !strings.Contains(b.Err().Error(), "modulo 256") {
		t.Fatalf("colliding slice not refused: node %v, err %v", hi, b.Err())
	}
	// Blocks of the same input with distinct bounds are fine.
	b = New(g, "test")
	if b.Slice(a, S(0, 100)) == nil || b.Slice(a, S(100, 200)) == nil || b.Err() != nil {
		t.Fatal(b.Err())
	}
}

func TestConcatGuard(t *testing.T) {
	g := G.NewGraph()
	b := New(g, "test")
	big := make([]float64, 256*2)
	x := input(g, "x", big, 256, 2)
	y := input(g, "y", big, 256, 2)
	z := input(g, "z", big, 256, 2)
	// Bounds [0,256), [256,512), [512,768) are all (0,0) modulo 256.
	if b.Concat(0, x, y, z) != nil || !errors.Is(b.Err(), fail.ErrInput) {
		t.Fatalf("concat with colliding gradient slices not refused: %v", b.Err())
	}
	b = New(g, "test")
	if b.Concat(0, b.Reshape(x, 1, 256, 2), b.Reshape(y, 1, 256, 2)) == nil || b.Err() != nil {
		t.Fatalf("concat of (1, …) blocks: %v", b.Err())
	}
}

// TestGradient: a first-order Grad through the builder's ops matches a
// 4th-order central finite difference.
func TestGradient(t *testing.T) {
	xs := []float64{0.4, -0.7, 1.1}
	f := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += math.Sin(x)*math.Exp(-x*x) + math.Pow(math.Log1p(x*x), 1.5)/(1+math.Tanh(x)*math.Tanh(x))
		}
		return s
	}
	g := G.NewGraph()
	b := New(g, "test")
	x := input(g, "x", xs, 3)
	t1 := b.HadamardProd(b.Sin(x), b.Exp(b.Neg(b.Square(x))))
	th := b.Tanh(x)
	t2 := b.HadamardDiv(b.Pow(b.Log1p(b.Square(x)), 1.5), b.Shift(b.HadamardProd(th, th), 1))
	loss := b.Sum(b.Add(t1, t2))
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	grads, err := G.Grad(loss, x)
	if err != nil {
		t.Fatal(err)
	}
	got := run(t, g, grads[0])
	h := 1e-3
	for i := range xs {
		at := func(d float64) float64 {
			v := append([]float64(nil), xs...)
			v[i] += d
			return f(v)
		}
		fd := (-at(2*h) + 8*at(h) - 8*at(-h) + at(-2*h)) / (12 * h)
		// Measured |diff| ≤ 3.4e-12 (fd truncation h⁴ and rounding); bound 1e-10.
		if math.Abs(got[i]-fd) > 1e-10 {
			t.Errorf("d/dx%d = %v, finite difference %v", i, got[i], fd)
		}
	}
}

// Two builders on one graph with the same prefix must not name their
// constants alike (gorgonia merges same-named inputs of one shape, and G.Grad
// then failed with "Inner dimensions do not match up").
func TestTwoBuildersOneGraphDistinctConstants(t *testing.T) {
	g := G.NewGraph()
	a := New(g, "p").Constant([]float64{1, 2}, 2, 1)
	b := New(g, "p").Constant([]float64{3, 4}, 2, 1)
	if a == nil || b == nil {
		t.Fatal("constant failed")
	}
	if a == b || a.Name() == b.Name() {
		t.Fatalf("two builders gave the same constant %q", a.Name())
	}
}
