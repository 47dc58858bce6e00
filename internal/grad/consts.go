package grad

import (
	"fmt"
	"math"
	"strconv"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// constName names a scalar constant of this package: gorgonia merges
// constants by name, so the name holds the type and the exact bits.
func constName(typ string, v float64) string {
	return "grad." + typ + "." + strconv.FormatUint(math.Float64bits(v), 16)
}

// pattern returns a constant of shape s and n's type holding 1 at the
// flat positions where on(i) is true and 0 elsewhere. key names the pattern:
// constants are merged by name, so equal keys must mean equal contents.
func pattern(n *G.Node, s tensor.Shape, key string, on func(i int) bool) (*G.Node, error) {
	if !isFloat(n) {
		return nil, inputf("type %v, want float64 or float32", n.Dtype())
	}
	size := shapeSize(s)
	var back any
	switch n.Dtype() {
	case tensor.Float64:
		d := make([]float64, size)
		for i := range d {
			if on(i) {
				d[i] = 1
			}
		}
		back = d
	default:
		d := make([]float32, size)
		for i := range d {
			if on(i) {
				d[i] = 1
			}
		}
		back = d
	}
	name := fmt.Sprintf("grad.%s%v%v", key, n.Dtype(), s)
	if s.IsScalar() {
		return scalarConst(n.Graph(), n.Dtype(), 1)
	}
	t := tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(back))
	return n.Graph().AddNode(G.NewConstant(t, G.In(n.Graph()), G.WithName(name))), nil
}

// unit returns the constant eᵢ of shape s: 1 at flat position i.
func unit(n *G.Node, s tensor.Shape, i int) (*G.Node, error) {
	return pattern(n, s, fmt.Sprintf("e%d", i), func(k int) bool { return k == i })
}

// column returns the constant of shape (B, m) with ones in column j.
func column(n *G.Node, s tensor.Shape, j int) (*G.Node, error) {
	m := s[len(s)-1]
	return pattern(n, s, fmt.Sprintf("col%d", j), func(k int) bool { return k%m == j })
}

// ones returns a constant of shape s filled with ones.
func ones(n *G.Node, s tensor.Shape) (*G.Node, error) {
	return pattern(n, s, "ones", func(int) bool { return true })
}

// scalarConst returns a scalar constant v of type dt in g. Constants are
// merged by name, so the name carries the type and the value in full.
func scalarConst(g *G.ExprGraph, dt tensor.Dtype, v float64) (*G.Node, error) {
	switch dt {
	case tensor.Float64:
		return g.AddNode(G.NewConstant(v, G.In(g), G.WithName(constName("f64", v)))), nil
	case tensor.Float32:
		return g.AddNode(G.NewConstant(float32(v), G.In(g), G.WithName(constName("f32", v)))), nil
	}
	return nil, inputf("constant of type %v: want float64 or float32", dt)
}

// zerosLike returns a zero constant of w's shape and type.
func zerosLike(w *G.Node) (*G.Node, error) {
	if w.IsScalar() {
		return scalarConst(w.Graph(), w.Dtype(), 0)
	}
	s := w.Shape()
	t := tensor.New(tensor.WithShape(s...), tensor.Of(w.Dtype()))
	return w.Graph().AddNode(G.NewConstant(t, G.In(w.Graph()), G.WithName("grad.zeros"+w.Dtype().String()+fmt.Sprint(s)))), nil
}
