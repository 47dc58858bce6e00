package gcnn_test

import (
	"fmt"
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/gcnn"
	"github.com/physbias/physbias/internal/rng"
)

// tensorNode makes an input node of dtype dt holding data.
func tensorNode(g *G.ExprGraph, name string, dt tensor.Dtype, data []float64, shape ...int) *G.Node {
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

func randn(seed uint64, n int) []float64 {
	r := rng.New(seed)
	x := make([]float64, n)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	return x
}

// scaled multiplies x by √(2/fanIn).
func scaled(x []float64, fanIn int) []float64 {
	s := math.Sqrt(2 / float64(fanIn))
	for i := range x {
		x[i] *= s
	}
	return x
}

func asFloat64(v G.Value) []float64 {
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
	panic(fmt.Sprintf("value of type %T", v.Data()))
}

// stage is one recorded layer output: its node and how the group acts on
// it (0: feature maps on the group, 1: images, 2: invariant).
type stage struct {
	name string
	n    *G.Node
	kind int
}

// net builds a network on x that uses every layer kind and returns its
// stages. Odd sizes get a stride-2 convolution, even sizes a 2×2 max-pool,
// the places where each keeps the symmetry.
func net(t *testing.T, g *G.ExprGraph, x *G.Node, grp gcnn.Group, dt tensor.Dtype, odd bool) []stage {
	t.Helper()
	n := grp.Order()
	must := func(y *G.Node, err error) *G.Node {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return y
	}
	// He-scaled weights keep every layer's values of order 1, so the float32
	// tolerance is an absolute one on numbers of that size.
	w1 := tensorNode(g, "w1", dt, scaled(randn(11, 4*3*3*3), 27), 4, 3, 3, 3)
	b1 := tensorNode(g, "b1", dt, randn(12, 4), 4)
	w2 := tensorNode(g, "w2", dt, scaled(randn(13, 5*4*n*3*3), 4*n*9), 5, 4, n, 3, 3)
	w3 := tensorNode(g, "w3", dt, scaled(randn(14, 3*5*n*2*2), 5*n*4), 3, 5, n, 2, 2)
	b3 := tensorNode(g, "b3", dt, randn(15, 3), 3)
	var st []stage
	if odd {
		h := must(gcnn.Lift(x, w1, b1, grp, gcnn.Conv{Pad: 1}))
		st = append(st, stage{"lift", h, 0})
		h = must(G.Rectify(h))
		h = must(gcnn.GroupConv(h, w2, nil, grp, gcnn.Conv{Stride: 2}))
		st = append(st, stage{"group conv stride 2", h, 0})
		h = must(G.Tanh(h))
		h = must(gcnn.GroupConv(h, w3, b3, grp, gcnn.Conv{}))
		st = append(st, stage{"group conv 2×2", h, 0})
		p := must(gcnn.GroupPool(h, grp, gcnn.Max))
		st = append(st, stage{"group max-pool", p, 1})
		st = append(st, stage{"global mean-pool", must(gcnn.GlobalPool(p, gcnn.Mean)), 2})
		return st
	}
	h := must(gcnn.Lift(x, w1, b1, grp, gcnn.Conv{}))
	st = append(st, stage{"lift", h, 0})
	h = must(G.Rectify(h))
	h = must(gcnn.MaxPool(h, 2, grp))
	st = append(st, stage{"max-pool 2×2", h, 0})
	h = must(gcnn.GroupConv(h, w2, nil, grp, gcnn.Conv{Pad: 1}))
	st = append(st, stage{"group conv padded", h, 0})
	h = must(G.Tanh(h))
	h = must(gcnn.GroupConv(h, w3, b3, grp, gcnn.Conv{}))
	st = append(st, stage{"group conv 2×2", h, 0})
	p := must(gcnn.GroupPool(h, grp, gcnn.Mean))
	st = append(st, stage{"group mean-pool", p, 1})
	st = append(st, stage{"global max-pool", must(gcnn.GlobalPool(p, gcnn.Max)), 2})
	return st
}

// TestEquivariance: for every element g of P4 and P4M, on odd and even
// (and non-square) sizes, in float64 and float32, every layer's output on
// the transformed input equals the group's action on its output on the
// input, and the pooled network's output is invariant.
func TestEquivariance(t *testing.T) {
	for _, grp := range []gcnn.Group{gcnn.P4, gcnn.P4M} {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			for _, hw := range [][2]int{{9, 9}, {8, 8}, {11, 7}, {10, 12}} {
				odd := hw[0]%2 == 1
				t.Run(fmt.Sprintf("%v/%v/%dx%d", grp, dt, hw[0], hw[1]), func(t *testing.T) {
					equivariance(t, grp, dt, hw[0], hw[1], odd)
				})
			}
		}
	}
}

func equivariance(t *testing.T, grp gcnn.Group, dt tensor.Dtype, h, w int, odd bool) {
	const b, c = 2, 3
	x0 := randn(uint64(h*w), b*c*h*w)
	// One graph per orientation (odd rotations swap the sides).
	run := func(x []float64, hh, ww int) [][]float64 {
		g := G.NewGraph()
		xn := tensorNode(g, "x", dt, x, b, c, hh, ww)
		st := net(t, g, xn, grp, dt, odd)
		vals := make([]G.Value, len(st))
		for i := range st {
			G.Read(st[i].n, &vals[i])
		}
		m := G.NewTapeMachine(g)
		defer m.Close()
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
		out := make([][]float64, len(st))
		for i, v := range vals {
			out[i] = asFloat64(v)
		}
		return out
	}
	g0 := G.NewGraph()
	stages := net(t, g0, tensorNode(g0, "x", dt, x0, b, c, h, w), grp, dt, odd)
	base := run(x0, h, w)
	// Measured ≤ 1.2e-14 in float64 and ≤ 6.4e-6 in float32 (rounding of
	// sums taken in another order); the issue asks for 1e-10 and 1e-4.
	tol := 1e-13
	if dt == tensor.Float32 {
		tol = 3e-5
	}
	worst := 0.0
	for e := 1; e < grp.Order(); e++ {
		gx, gh, gw, err := gcnn.Act(grp, e, x0, b, c, h, w, false)
		if err != nil {
			t.Fatal(err)
		}
		moved := run(gx, gh, gw)
		for i, s := range stages {
			sh := s.n.Shape()
			want := base[i]
			if s.kind < 2 {
				if want, _, _, err = gcnn.Act(grp, e, base[i], sh[0], sh[1], sh[2], sh[3], s.kind == 0); err != nil {
					t.Fatal(err)
				}
			}
			var d, scale float64
			for k := range want {
				d = math.Max(d, math.Abs(moved[i][k]-want[k]))
				scale = math.Max(scale, math.Abs(want[k]))
			}
			worst = math.Max(worst, d)
			if d > tol || scale < 1e-3 {
				t.Errorf("element %d: %s differs from the transformed output by %.2g (values up to %.2g)", e, s.name, d, scale)
			}
		}
	}
	t.Logf("largest difference %.2g", worst)
}
