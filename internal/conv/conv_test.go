package conv

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/rng"
)

func randn(r *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	return x
}

// node makes an input node of dtype dt holding a copy of data.
func node(g *G.ExprGraph, name string, dt tensor.Dtype, data []float64, shape ...int) *G.Node {
	var v *tensor.Dense
	if dt == tensor.Float32 {
		d := make([]float32, len(data))
		for i, x := range data {
			d[i] = float32(x)
		}
		v = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))
	} else {
		v = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), data...)))
	}
	return G.NewTensor(g, dt, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(v))
}

// floats reads a value as float64s.
func floats(t *testing.T, v G.Value) []float64 {
	t.Helper()
	switch d := v.Data().(type) {
	case []float64:
		return append([]float64(nil), d...)
	case []float32:
		out := make([]float64, len(d))
		for i, x := range d {
			out[i] = float64(x)
		}
		return out
	}
	t.Fatalf("value of type %T", v.Data())
	return nil
}

// direct is the convolution by its definition.
func direct(x, w, b []float64, B, C, H, W, O, KH, KW, s, p int) ([]float64, int, int) {
	HO, WO := (H+2*p-KH)/s+1, (W+2*p-KW)/s+1
	y := make([]float64, B*O*HO*WO)
	for n := 0; n < B; n++ {
		for o := 0; o < O; o++ {
			for i := 0; i < HO; i++ {
				for j := 0; j < WO; j++ {
					var acc float64
					if b != nil {
						acc = b[o]
					}
					for c := 0; c < C; c++ {
						for a := 0; a < KH; a++ {
							for e := 0; e < KW; e++ {
								ii, jj := i*s-p+a, j*s-p+e
								if ii < 0 || ii >= H || jj < 0 || jj >= W {
									continue
								}
								acc += x[((n*C+c)*H+ii)*W+jj] * w[((o*C+c)*KH+a)*KW+e]
							}
						}
					}
					y[((n*O+o)*HO+i)*WO+j] = acc
				}
			}
		}
	}
	return y, HO, WO
}

type convCase struct {
	B, C, H, W, O, KH, KW, S, P int
	bias                        bool
}

var convCases = []convCase{
	{2, 3, 7, 7, 4, 3, 3, 1, 0, true},
	{3, 2, 8, 6, 5, 3, 3, 1, 1, false},
	{2, 2, 9, 8, 3, 2, 4, 2, 1, true},
	{1, 1, 5, 5, 2, 5, 5, 1, 0, true},
	{9, 2, 6, 7, 3, 3, 2, 3, 2, true}, // more samples than chunks
}

// wideCases are layers wide enough for full tiles of every kernel beside
// padded row and column tiles; too large for finite differences, their
// float32 gradients are checked against the float64 ones (TestConvPathsAgree).
var wideCases = []convCase{
	{2, 9, 11, 10, 13, 3, 3, 1, 0, true},
	{3, 7, 9, 12, 17, 2, 3, 1, 2, false},
	{9, 16, 8, 8, 16, 3, 3, 1, 1, true},
}

// runConv builds loss = Σ c ⊙ y² over y = Conv2D(x, w, b) and returns the
// output and the gradients of x, w and b.
func runConv(t *testing.T, k convCase, dt tensor.Dtype, x, w, b, c []float64) (y, dx, dw, db []float64) {
	return runConvWith(t, k, dt, x, w, b, c, Options{}, false)
}

// runConvWith is runConv with y = Conv2DWith(x, w, b, opt) when composed
// is false, and otherwise the same built from Conv2D, ReLU and MaxPool2D
// nodes; with opt.NoInputGrad dx is nil.
func runConvWith(t *testing.T, k convCase, dt tensor.Dtype, x, w, b, c []float64, opt Options, composed bool) (y, dx, dw, db []float64) {
	t.Helper()
	g := G.NewGraph()
	xn := node(g, "x", dt, x, k.B, k.C, k.H, k.W)
	wn := node(g, "w", dt, w, k.O, k.C, k.KH, k.KW)
	var bn *G.Node
	params := G.Nodes{xn, wn}
	if opt.NoInputGrad {
		params = G.Nodes{wn}
	}
	if k.bias {
		bn = node(g, "b", dt, b, k.O)
		params = append(params, bn)
	}
	var yn *G.Node
	var err error
	if composed {
		yn, err = Conv2D(xn, wn, bn, k.S, k.P)
		if err == nil && opt.ReLU {
			yn, err = ReLU(yn)
		}
		if err == nil && opt.MaxPool > 0 {
			yn, err = MaxPool2D(yn, opt.MaxPool)
		}
	} else {
		yn, err = Conv2DWith(xn, wn, bn, k.S, k.P, opt)
	}
	if err != nil {
		t.Fatal(err)
	}
	s := yn.Shape()
	cn := node(g, "c", dt, c, s...)
	loss := G.Must(G.Sum(G.Must(G.HadamardProd(G.Must(G.Square(yn)), cn))))
	var yv G.Value
	G.Read(yn, &yv)
	if _, err := G.Grad(loss, params...); err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	y = floats(t, yv)
	gr := func(n *G.Node) []float64 {
		v, err := n.Grad()
		if err != nil {
			t.Fatal(err)
		}
		return floats(t, v)
	}
	if !opt.NoInputGrad {
		dx = gr(xn)
	}
	dw = gr(wn)
	if k.bias {
		db = gr(bn)
	}
	return
}

// forPaths runs f once for every float32 convolution path this CPU has:
// im2col, and the direct path on each kernel set (AVX2, AVX-512).
func forPaths(t *testing.T, f func(path string)) {
	t.Helper()
	defer func(m int, k kernels) { minDirectCols, active = m, k }(minDirectCols, active)
	minDirectCols = 1 << 30
	f("im2col")
	if !haveKernel {
		return
	}
	minDirectCols = 1
	for _, k := range []kernels{kernelsAVX2, kernelsAVX512} {
		if k.name == "avx512" && !haveAVX512 {
			continue
		}
		active = k
		f("direct " + k.name)
	}
}

func maxAbs(a []float64) float64 {
	var m float64
	for _, v := range a {
		m = max(m, math.Abs(v))
	}
	return m
}

func maxAbsDiff(a, b []float64) float64 {
	var m float64
	for i := range a {
		m = max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

func TestConvMatchesDefinition(t *testing.T) {
	r := rng.New(1)
	for _, k := range append(convCases[:len(convCases):len(convCases)], wideCases...) {
		x := randn(r, k.B*k.C*k.H*k.W)
		w := randn(r, k.O*k.C*k.KH*k.KW)
		b := randn(r, k.O)
		if !k.bias {
			b = nil
		}
		want, HO, WO := direct(x, w, b, k.B, k.C, k.H, k.W, k.O, k.KH, k.KW, k.S, k.P)
		c := randn(r, len(want))
		y, _, _, _ := runConv(t, k, tensor.Float64, x, w, b, c)
		scale := max(1, maxAbs(want))
		// Summation order of the GEMM: measured ≤ 5.5e-16 relative to
		// the largest value (up to 52).
		if d := maxAbsDiff(y, want); d > 4e-15*scale {
			t.Errorf("%+v: float64 differs from the definition by %.2g (HO=%d WO=%d, largest %.2g)", k, d, HO, WO, scale)
		}
		forPaths(t, func(path string) {
			y32, _, _, _ := runConv(t, k, tensor.Float32, x, w, b, c)
			// Rounding x and w to float32 and float32 sums: measured
			// ≤ 3.1e-7 relative to the largest value, on every path.
			if d := maxAbsDiff(y32, want); d > 1.5e-6*scale {
				t.Errorf("%+v %s: float32 differs from the definition by %.2g (largest %.2g)", k, path, d, scale)
			}
		})
	}
}

// TestConvGradientsFD checks ∂x, ∂w, ∂b against 4th-order central
// differences of the loss Σ c ⊙ y² computed by the definition.
func TestConvGradientsFD(t *testing.T) {
	r := rng.New(2)
	for _, k := range convCases {
		x := randn(r, k.B*k.C*k.H*k.W)
		w := randn(r, k.O*k.C*k.KH*k.KW)
		var b []float64
		if k.bias {
			b = randn(r, k.O)
		}
		y0, _, _ := direct(x, w, b, k.B, k.C, k.H, k.W, k.O, k.KH, k.KW, k.S, k.P)
		c := randn(r, len(y0))
		loss := func() float64 {
			y, _, _ := direct(x, w, b, k.B, k.C, k.H, k.W, k.O, k.KH, k.KW, k.S, k.P)
			var s float64
			for i, v := range y {
				s += c[i] * v * v
			}
			return s
		}
		fd := func(v []float64) []float64 {
			const h = 1e-3
			out := make([]float64, len(v))
			for i := range v {
				v0 := v[i]
				f := func(d float64) float64 { v[i] = v0 + d; return loss() }
				out[i] = (-f(2*h) + 8*f(h) - 8*f(-h) + f(-2*h)) / (12 * h)
				v[i] = v0
			}
			return out
		}
		_, dx, dw, db := runConv(t, k, tensor.Float64, x, w, b, c)
		// Measured ≤ 1.3e-9 (the 4th-order rule's h⁴ error is zero for a
		// quadratic loss; what is left is rounding).
		for _, p := range []struct {
			name      string
			got, want []float64
		}{{"x", dx, fd(x)}, {"w", dw, fd(w)}, {"b", db, fd(b)}} {
			if d := maxAbsDiff(p.got, p.want); d > 5e-9 {
				t.Errorf("%+v: ∂%s differs from finite differences by %.2g", k, p.name, d)
			}
		}
		forPaths(t, func(path string) {
			_, dx32, dw32, db32 := runConv(t, k, tensor.Float32, x, w, b, c)
			// float32 against float64: measured ≤ 3.3e-5 on gradients up
			// to 300.
			for i, p := range [][2][]float64{{dx32, dx}, {dw32, dw}, {db32, db}} {
				if d := maxAbsDiff(p[0], p[1]); d > 1e-4 {
					t.Errorf("%+v %s: float32 ∂%s differs from float64 by %.2g", k, path, [3]string{"x", "w", "b"}[i], d)
				}
			}
		})
	}
}

// TestConvPathsAgree checks the float32 gradients of every path on the
// wide cases against the float64 ones (im2col, which TestConvGradientsFD
// checks against finite differences).
func TestConvPathsAgree(t *testing.T) {
	r := rng.New(4)
	for _, k := range wideCases {
		x := randn(r, k.B*k.C*k.H*k.W)
		w := randn(r, k.O*k.C*k.KH*k.KW)
		var b []float64
		if k.bias {
			b = randn(r, k.O)
		}
		y0, _, _ := direct(x, w, b, k.B, k.C, k.H, k.W, k.O, k.KH, k.KW, k.S, k.P)
		c := randn(r, len(y0))
		_, dx, dw, db := runConv(t, k, tensor.Float64, x, w, b, c)
		forPaths(t, func(path string) {
			_, dx32, dw32, db32 := runConv(t, k, tensor.Float32, x, w, b, c)
			// Measured ≤ 3.6e-7 relative to the largest gradient (up to
			// 1.8e3), on every path.
			for i, p := range [][2][]float64{{dx32, dx}, {dw32, dw}, {db32, db}} {
				if d := maxAbsDiff(p[0], p[1]); d > 1e-6*maxAbs(p[1]) {
					t.Errorf("%+v %s: float32 ∂%s differs from float64 by %.2g (largest %.2g)", k, path, [3]string{"x", "w", "b"}[i], d, maxAbs(p[1]))
				}
			}
		})
	}
}

// TestConvReLUFused checks Conv2DWith's ReLU and max-pool inside the op
// against Conv2D followed by the ReLU and MaxPool2D ops, values and
// gradients, on every path and in both dtypes; with NoInputGrad the
// filter and bias gradients are the same and no input gradient is made.
func TestConvReLUFused(t *testing.T) {
	r := rng.New(5)
	opts := []Options{{ReLU: true}, {ReLU: true, NoInputGrad: true}, {ReLU: true, MaxPool: 2},
		{MaxPool: 2, NoInputGrad: true}, {ReLU: true, MaxPool: 3}}
	for _, k := range append(convCases[:len(convCases):len(convCases)], wideCases...) {
		x := randn(r, k.B*k.C*k.H*k.W)
		w := randn(r, k.O*k.C*k.KH*k.KW)
		var b []float64
		if k.bias {
			b = randn(r, k.O)
		}
		_, ho, wo := direct(x, w, b, k.B, k.C, k.H, k.W, k.O, k.KH, k.KW, k.S, k.P)
		for _, opt := range opts {
			if opt.MaxPool > min(ho, wo) {
				continue
			}
			p := max(1, opt.MaxPool)
			c := randn(r, k.B*k.O*(ho/p)*(wo/p))
			for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
				forPaths(t, func(path string) {
					want := [4][]float64{}
					want[0], want[1], want[2], want[3] = runConvWith(t, k, dt, x, w, b, c, opt, true)
					got := [4][]float64{}
					got[0], got[1], got[2], got[3] = runConvWith(t, k, dt, x, w, b, c, opt, false)
					for i, name := range []string{"y", "∂x", "∂w", "∂b"} {
						if got[i] == nil && (opt.NoInputGrad && i == 1 || want[i] == nil) {
							continue
						}
						// The same products on the same masked values:
						// measured 0 (bit for bit).
						if d := maxAbsDiff(got[i], want[i]); d > 1e-12*max(1, maxAbs(want[i])) {
							t.Errorf("%+v %v %s %+v: %s differs from the separate ops by %.2g", k, dt, path, opt, name, d)
						}
					}
				})
			}
		}
	}
	// NoInputGrad: the derivative op computes no ∂x (its output is ∂w)
	// and ∂x cannot be asked for.
	g := G.NewGraph()
	xn := node(g, "x", tensor.Float32, randn(r, 2*3*8*8), 2, 3, 8, 8)
	wn := node(g, "w", tensor.Float32, randn(r, 4*3*9), 4, 3, 3, 3)
	y, err := Conv2DWith(xn, wn, nil, 1, 0, Options{ReLU: true, NoInputGrad: true})
	if err != nil {
		t.Fatal(err)
	}
	loss := G.Must(G.Sum(y))
	if _, err := G.Grad(loss, wn); err != nil {
		t.Fatal(err)
	}
	backs := 0
	for _, n := range g.AllNodes() {
		if b, ok := n.Op().(backOp); ok {
			backs++
			if !b.noDX || !n.Shape().Eq(wn.Shape()) {
				t.Errorf("NoInputGrad: the graph holds %v of shape %v", n, n.Shape())
			}
		}
	}
	if backs != 1 {
		t.Errorf("NoInputGrad: %d derivative ops, want 1", backs)
	}
	g2 := G.NewGraph()
	xn2 := node(g2, "x", tensor.Float32, randn(r, 2*3*8*8), 2, 3, 8, 8)
	wn2 := node(g2, "w", tensor.Float32, randn(r, 4*3*9), 4, 3, 3, 3)
	y2, err := Conv2DWith(xn2, wn2, nil, 1, 0, Options{NoInputGrad: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := G.Grad(G.Must(G.Sum(y2)), xn2, wn2); err == nil {
		t.Errorf("NoInputGrad: asking for ∂x gave no error")
	}
}

func TestGatherScatterFD(t *testing.T) {
	r := rng.New(3)
	x := randn(r, 12)
	idx := []int{0, 0, 3, 1, 4, 4, 11, 7, 4, 2}
	c := randn(r, len(idx))
	run := func(dt tensor.Dtype) (y, dx []float64) {
		g := G.NewGraph()
		xn := node(g, "x", dt, x, 3, 4)
		yn, err := Gather(xn, idx, 2, 5)
		if err != nil {
			t.Fatal(err)
		}
		// Scatter back and gather again, so both ops' derivatives are used.
		sn, err := Scatter(yn, idx, 3, 4)
		if err != nil {
			t.Fatal(err)
		}
		zn, err := Gather(sn, idx, 2, 5)
		if err != nil {
			t.Fatal(err)
		}
		cn := node(g, "c", dt, c, 2, 5)
		loss := G.Must(G.Sum(G.Must(G.HadamardProd(G.Must(G.Square(zn)), cn))))
		var yv G.Value
		G.Read(zn, &yv)
		if _, err := G.Grad(loss, xn); err != nil {
			t.Fatal(err)
		}
		m := G.NewTapeMachine(g)
		defer m.Close()
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
		gv, _ := xn.Grad()
		return floats(t, yv), floats(t, gv)
	}
	ref := func(x []float64) []float64 {
		s := make([]float64, 12)
		for i, k := range idx {
			s[k] += x[k]
			_ = i
		}
		z := make([]float64, len(idx))
		for i, k := range idx {
			z[i] = s[k]
		}
		return z
	}
	// s[k] = x[k]·(number of times k appears), z[i] = s[idx[i]].
	loss := func() float64 {
		z := ref(x)
		var l float64
		for i, v := range z {
			l += c[i] * v * v
		}
		return l
	}
	y, dx := run(tensor.Float64)
	if d := maxAbsDiff(y, ref(x)); d > 1e-15 {
		t.Errorf("gather/scatter values differ by %g", d)
	}
	const h = 1e-3
	for i := range x {
		x0 := x[i]
		f := func(d float64) float64 { x[i] = x0 + d; return loss() }
		want := (-f(2*h) + 8*f(h) - 8*f(-h) + f(-2*h)) / (12 * h)
		x[i] = x0
		// Measured 4e-12.
		if math.Abs(dx[i]-want) > 1e-9 {
			t.Errorf("∂x[%d] = %g, finite differences %g", i, dx[i], want)
		}
	}
	y32, dx32 := run(tensor.Float32)
	if d := maxAbsDiff(y32, y); d > 1e-5 {
		t.Errorf("float32 values differ by %g", d)
	}
	if d := maxAbsDiff(dx32, dx); d > 1e-4 {
		t.Errorf("float32 gradient differs by %g", d)
	}
}

// TestHashDistinguishes: two convolutions or gathers that differ in any
// parameter are different nodes of one graph.
func TestHashDistinguishes(t *testing.T) {
	g := G.NewGraph()
	x := node(g, "x", tensor.Float64, make([]float64, 1*2*9*9), 1, 2, 9, 9)
	w := node(g, "w", tensor.Float64, make([]float64, 3*2*3*3), 3, 2, 3, 3)
	seen := map[*G.Node]bool{}
	for _, sp := range [][2]int{{1, 0}, {1, 1}, {2, 0}, {2, 1}, {1, 257}, {257, 1}} {
		y, err := Conv2D(x, w, nil, sp[0], sp[1])
		if err != nil {
			t.Fatal(err)
		}
		if seen[y] {
			t.Errorf("stride %d pad %d merged with an earlier convolution", sp[0], sp[1])
		}
		seen[y] = true
	}
	v := node(g, "v", tensor.Float64, make([]float64, 600), 600)
	a, _ := Gather(v, []int{0, 1}, 2)
	b, _ := Gather(v, []int{0, 257}, 2)
	c, _ := Gather(v, []int{0, 513}, 2)
	if a == b || b == c || a == c {
		t.Error("gathers with different indices were merged")
	}
}

func TestBadInput(t *testing.T) {
	g := G.NewGraph()
	x := node(g, "x", tensor.Float64, make([]float64, 2*3*5*5), 2, 3, 5, 5)
	w := node(g, "w", tensor.Float64, make([]float64, 4*3*3*3), 4, 3, 3, 3)
	w2 := node(g, "w2", tensor.Float64, make([]float64, 4*2*3*3), 4, 2, 3, 3)
	big := node(g, "big", tensor.Float64, make([]float64, 4*3*7*7), 4, 3, 7, 7)
	w32 := node(g, "w32", tensor.Float32, make([]float64, 4*3*3*3), 4, 3, 3, 3)
	b := node(g, "b", tensor.Float64, make([]float64, 5), 5)
	v := node(g, "v", tensor.Float64, make([]float64, 6), 6)
	for _, c := range []struct {
		name string
		f    func() (*G.Node, error)
		want string
	}{
		{"channels", func() (*G.Node, error) { return Conv2D(x, w2, nil, 1, 0) }, "channels"},
		{"kernel", func() (*G.Node, error) { return Conv2D(x, big, nil, 1, 0) }, "larger"},
		{"stride", func() (*G.Node, error) { return Conv2D(x, w, nil, 0, 0) }, "stride"},
		{"pad", func() (*G.Node, error) { return Conv2D(x, w, nil, 1, -1) }, "padding"},
		{"dtype", func() (*G.Node, error) { return Conv2D(x, w32, nil, 1, 0) }, "dtype"},
		{"bias", func() (*G.Node, error) { return Conv2D(x, w, b, 1, 0) }, "bias"},
		{"nil", func() (*G.Node, error) { return Conv2D(nil, w, nil, 1, 0) }, "nil"},
		{"rank", func() (*G.Node, error) { return Conv2D(v, w, nil, 1, 0) }, "want (batch"},
		{"gather range", func() (*G.Node, error) { return Gather(v, []int{0, 6}, 2) }, "out of range"},
		{"gather size", func() (*G.Node, error) { return Gather(v, []int{0, 1}, 3) }, "indices"},
		{"scatter size", func() (*G.Node, error) { return Scatter(v, []int{0, 1}, 3) }, "indices"},
	} {
		_, err := c.f()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "conv: ") {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}
