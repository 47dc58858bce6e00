package gcnn_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/gcnn"
)

// TestGroupLaw: Act is an action, Act(a·b) = Act(a)∘Act(b), on images and
// on feature maps, for every pair of elements; Inv undoes; R⁴ = F² = 1.
func TestGroupLaw(t *testing.T) {
	for _, grp := range []gcnn.Group{gcnn.Z2, gcnn.P4, gcnn.P4M} {
		n := grp.Order()
		const b, h, w = 2, 5, 3
		c := 2 * n
		x := randn(7, b*c*h*w)
		for _, onGroup := range []bool{false, true} {
			for a := 0; a < n; a++ {
				for e := 0; e < n; e++ {
					y1, h1, w1, err := gcnn.Act(grp, e, x, b, c, h, w, onGroup)
					if err != nil {
						t.Fatal(err)
					}
					y2, _, _, err := gcnn.Act(grp, a, y1, b, c, h1, w1, onGroup)
					if err != nil {
						t.Fatal(err)
					}
					y3, _, _, err := gcnn.Act(grp, grp.Mul(a, e), x, b, c, h, w, onGroup)
					if err != nil {
						t.Fatal(err)
					}
					for i := range y2 {
						if y2[i] != y3[i] {
							t.Fatalf("%v: Act(%d)∘Act(%d) ≠ Act(%d) (onGroup %t)", grp, a, e, grp.Mul(a, e), onGroup)
						}
					}
				}
				if grp.Mul(a, grp.Inv(a)) != 0 || grp.Mul(grp.Inv(a), a) != 0 {
					t.Errorf("%v: %d·Inv(%d) is not the identity", grp, a, a)
				}
			}
		}
	}
	// A quarter turn of a 2×3 image, by hand: rows (1 2 3; 4 5 6) become
	// (3 6; 2 5; 1 4) (counter-clockwise, numpy's rot90).
	y, h, w, err := gcnn.Act(gcnn.P4, 1, []float64{1, 2, 3, 4, 5, 6}, 1, 1, 2, 3, false)
	if err != nil || h != 3 || w != 2 {
		t.Fatal(err, h, w)
	}
	for i, v := range []float64{3, 6, 2, 5, 1, 4} {
		if y[i] != v {
			t.Fatalf("rot90 = %v", y)
		}
	}
	// The mirror (element 4 of P4M) flips columns.
	y, _, _, _ = gcnn.Act(gcnn.P4M, 4, []float64{1, 2, 3, 4, 5, 6}, 1, 1, 2, 3, false)
	for i, v := range []float64{3, 2, 1, 6, 5, 4} {
		if y[i] != v {
			t.Fatalf("mirror = %v", y)
		}
	}
}

// TestBrokenSymmetryIsRefused: a stride-2 convolution on an even size and
// a 2×2 max-pool on an odd size are errors; with NoSymmetryCheck the
// stride-2 layer runs and is measurably not equivariant, which is why it is
// refused.
func TestBrokenSymmetryIsRefused(t *testing.T) {
	g := G.NewGraph()
	even := tensorNode(g, "even", tensor.Float64, randn(1, 1*2*8*8), 1, 2, 8, 8)
	odd := tensorNode(g, "odd", tensor.Float64, randn(2, 1*8*7*7), 1, 8, 7, 7)
	w := tensorNode(g, "w", tensor.Float64, randn(3, 3*2*3*3), 3, 2, 3, 3)
	if _, err := gcnn.Lift(even, w, nil, gcnn.P4, gcnn.Conv{Stride: 2}); !errors.Is(err, gcnn.ErrInput) || !strings.Contains(err.Error(), "breaks P4 equivariance") {
		t.Errorf("stride 2 on size 8: %v", err)
	}
	odd2 := tensorNode(g, "odd2", tensor.Float64, randn(5, 1*2*7*7), 1, 2, 7, 7)
	if _, err := gcnn.Lift(odd2, w, nil, gcnn.P4, gcnn.Conv{Stride: 2, Pad: 1}); err != nil {
		t.Errorf("stride 2, pad 1 on size 7 keeps the symmetry (7+2−3 = 6 is even): %v", err)
	}
	if _, err := gcnn.Lift(even, w, nil, gcnn.Z2, gcnn.Conv{Stride: 2}); err != nil {
		t.Errorf("Z2 has no rotations to break: %v", err)
	}
	if _, err := gcnn.MaxPool(odd, 2, gcnn.P4M); !errors.Is(err, gcnn.ErrInput) || !strings.Contains(err.Error(), "breaks P4M equivariance") {
		t.Errorf("2×2 pool on size 7: %v", err)
	}
	// With the check off, the layer is built and breaks the symmetry.
	x := randn(4, 1*2*8*8)
	run := func(x []float64) []float64 {
		g := G.NewGraph()
		xn := tensorNode(g, "x", tensor.Float64, x, 1, 2, 8, 8)
		wn := tensorNode(g, "w", tensor.Float64, randn(3, 3*2*3*3), 3, 2, 3, 3)
		y, err := gcnn.Lift(xn, wn, nil, gcnn.P4, gcnn.Conv{Stride: 2, NoSymmetryCheck: true})
		if err != nil {
			t.Fatal(err)
		}
		var v G.Value
		G.Read(y, &v)
		m := G.NewTapeMachine(g)
		defer m.Close()
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
		return asFloat64(v)
	}
	gx, _, _, _ := gcnn.Act(gcnn.P4, 1, x, 1, 2, 8, 8, false)
	want, _, _, _ := gcnn.Act(gcnn.P4, 1, run(x), 1, 12, 3, 3, true)
	got := run(gx)
	var d float64
	for i := range got {
		d = math.Max(d, math.Abs(got[i]-want[i]))
	}
	if d < 0.1 {
		t.Errorf("stride 2 on an even size differs from equivariance by only %.2g", d)
	}
}

func TestLayerBadInput(t *testing.T) {
	g := G.NewGraph()
	x := tensorNode(g, "x", tensor.Float64, make([]float64, 2*3*9*9), 2, 3, 9, 9)
	x32 := tensorNode(g, "x32", tensor.Float32, make([]float64, 2*3*9*9), 2, 3, 9, 9)
	wl := tensorNode(g, "wl", tensor.Float64, make([]float64, 4*3*3*3), 4, 3, 3, 3)
	wl2 := tensorNode(g, "wl2", tensor.Float64, make([]float64, 4*2*3*3), 4, 2, 3, 3)
	wbig := tensorNode(g, "wbig", tensor.Float64, make([]float64, 4*3*11*11), 4, 3, 11, 11)
	wrect := tensorNode(g, "wrect", tensor.Float64, make([]float64, 4*3*3*2), 4, 3, 3, 2)
	h := tensorNode(g, "h", tensor.Float64, make([]float64, 2*16*7*7), 2, 16, 7, 7)
	wg := tensorNode(g, "wg", tensor.Float64, make([]float64, 5*4*4*3*3), 5, 4, 4, 3, 3)
	wg8 := tensorNode(g, "wg8", tensor.Float64, make([]float64, 5*2*8*3*3), 5, 2, 8, 3, 3)
	b := tensorNode(g, "b", tensor.Float64, make([]float64, 3), 3)
	for _, c := range []struct {
		name string
		f    func() (*G.Node, error)
		want string
	}{
		{"channels", func() (*G.Node, error) { return gcnn.Lift(x, wl2, nil, gcnn.P4, gcnn.Conv{}) }, "channels"},
		{"kernel larger", func() (*G.Node, error) { return gcnn.Lift(x, wbig, nil, gcnn.P4, gcnn.Conv{}) }, "larger"},
		{"rect kernel", func() (*G.Node, error) { return gcnn.Lift(x, wrect, nil, gcnn.P4, gcnn.Conv{}) }, "square"},
		{"dtype", func() (*G.Node, error) { return gcnn.Lift(x32, wl, nil, gcnn.P4, gcnn.Conv{}) }, "dtype"},
		{"bias", func() (*G.Node, error) { return gcnn.Lift(x, wl, b, gcnn.P4, gcnn.Conv{}) }, "bias"},
		{"no group", func() (*G.Node, error) { return gcnn.Lift(x, wl, nil, 0, gcnn.Conv{}) }, "not Z2, P4 or P4M"},
		{"stride", func() (*G.Node, error) { return gcnn.Lift(x, wl, nil, gcnn.P4, gcnn.Conv{Stride: -1}) }, "stride"},
		{"group mismatch", func() (*G.Node, error) { return gcnn.GroupConv(h, wg, nil, gcnn.P4M, gcnn.Conv{}) }, "another group"},
		{"group mismatch 2", func() (*G.Node, error) { return gcnn.GroupConv(h, wg8, nil, gcnn.P4, gcnn.Conv{}) }, "another group"},
		{"group channels", func() (*G.Node, error) { return gcnn.GroupConv(x, wg, nil, gcnn.P4, gcnn.Conv{}) }, "channels"},
		{"lifted filters", func() (*G.Node, error) { return gcnn.GroupConv(h, wl, nil, gcnn.P4, gcnn.Conv{}) }, "axes"},
		{"pool channels", func() (*G.Node, error) { return gcnn.GroupPool(x, gcnn.P4, gcnn.Max) }, "multiple"},
		{"pool rule", func() (*G.Node, error) { return gcnn.GroupPool(h, gcnn.P4, 0) }, "Max or Mean"},
		{"pool window", func() (*G.Node, error) { return gcnn.MaxPool(x, 10, gcnn.P4) }, "window"},
		{"nil", func() (*G.Node, error) { return gcnn.GlobalPool(nil, gcnn.Mean) }, "nil"},
	} {
		_, err := c.f()
		if !errors.Is(err, gcnn.ErrInput) || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "gcnn: ") || strings.Count(err.Error(), "gcnn:") != 1 {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
	if _, _, _, err := gcnn.Act(gcnn.P4, 4, make([]float64, 4), 1, 1, 2, 2, false); !errors.Is(err, gcnn.ErrInput) {
		t.Errorf("element 4 of P4: %v", err)
	}
	if _, _, _, err := gcnn.Act(gcnn.P4, 1, make([]float64, 5), 1, 1, 2, 2, false); !errors.Is(err, gcnn.ErrInput) {
		t.Errorf("wrong length: %v", err)
	}
}

// TestFilterGradientFD: the gradient of a loss through a P4M lift, group
// convolution and both poolings with respect to the shared base filters
// and biases matches 4th-order central differences.
func TestFilterGradientFD(t *testing.T) {
	grp := gcnn.P4M
	n := grp.Order()
	x := randn(21, 2*2*6*6)
	w1 := scaled(randn(22, 3*2*3*3), 18)
	b1 := randn(23, 3)
	w2 := scaled(randn(24, 2*3*n*2*2), 3*n*4)
	c := randn(25, 2*2)
	type res struct {
		loss       float64
		g1, gb, g2 []float64
	}
	eval := func(grad bool) res {
		g := G.NewGraph()
		xn := tensorNode(g, "x", tensor.Float64, x, 2, 2, 6, 6)
		w1n := tensorNode(g, "w1", tensor.Float64, w1, 3, 2, 3, 3)
		b1n := tensorNode(g, "b1", tensor.Float64, b1, 3)
		w2n := tensorNode(g, "w2", tensor.Float64, w2, 2, 3, n, 2, 2)
		cn := tensorNode(g, "c", tensor.Float64, c, 2, 2)
		h := G.Must(gcnn.Lift(xn, w1n, b1n, grp, gcnn.Conv{Pad: 1}))
		h = G.Must(gcnn.MaxPool(h, 2, grp))
		h = G.Must(G.Tanh(h))
		h = G.Must(gcnn.GroupConv(h, w2n, nil, grp, gcnn.Conv{}))
		h = G.Must(gcnn.GroupPool(h, grp, gcnn.Max))
		h = G.Must(gcnn.GlobalPool(h, gcnn.Mean))
		loss := G.Must(G.Sum(G.Must(G.HadamardProd(G.Must(G.Square(h)), cn))))
		var lv G.Value
		G.Read(loss, &lv)
		if grad {
			if _, err := G.Grad(loss, w1n, b1n, w2n); err != nil {
				t.Fatal(err)
			}
		}
		m := G.NewTapeMachine(g)
		defer m.Close()
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
		r := res{loss: lv.Data().(float64)}
		if grad {
			for _, p := range []struct {
				n   *G.Node
				dst *[]float64
			}{{w1n, &r.g1}, {b1n, &r.gb}, {w2n, &r.g2}} {
				v, err := p.n.Grad()
				if err != nil {
					t.Fatal(err)
				}
				*p.dst = asFloat64(v)
			}
		}
		return r
	}
	got := eval(true)
	var worst float64
	for _, p := range []struct {
		v    []float64
		grad []float64
	}{{w1, got.g1}, {b1, got.gb}, {w2, got.g2}} {
		// A step this small keeps every max-pool's choice fixed (at 1e-4 one
		// window's two largest values swap and the difference is 1.7e-2).
		const h = 1e-6
		for i := range p.v {
			v0 := p.v[i]
			f := func(d float64) float64 { p.v[i] = v0 + d; return eval(false).loss }
			fd := (-f(2*h) + 8*f(h) - 8*f(-h) + f(-2*h)) / (12 * h)
			p.v[i] = v0
			worst = math.Max(worst, math.Abs(fd-p.grad[i]))

		}
	}
	// Measured 4.5e-9, the rounding of the loss (1e-16·|loss|) over h.
	if worst > 2e-8 {
		t.Errorf("filter gradients differ from finite differences by %.2g", worst)
	}
	t.Logf("largest difference %.2g", worst)
}
