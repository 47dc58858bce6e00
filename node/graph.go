package node

import (
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/build"
)

// newBuilder returns internal/build's builder on g, which keeps the first
// error of a graph's ops; its errors start with "node: ".
func newBuilder(g *G.ExprGraph) *build.B { return build.New(g, "node") }

// input makes a named float64 input node of the given shape backed by data
// (allocated when nil), and returns it with its backing slice.
func input(g *G.ExprGraph, name string, data []float64, shape ...int) (*G.Node, []float64) {
	size := 1
	for _, s := range shape {
		size *= s
	}
	if data == nil {
		data = make([]float64, size)
	}
	t := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
	return G.NewTensor(g, G.Float64, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(t)), data
}

// constant is an input node of b's graph holding fixed values (an input,
// not a gorgonia constant, so internal/grad's passes treat it as the
// kernels' other inputs; its name must be unique: gorgonia deduplicates
// input nodes by name, type and shape).
func constant(b *build.B, data []float64, name string, shape ...int) *G.Node {
	if !b.OK() {
		return nil
	}
	n, _ := input(b.Graph(), name, data, shape...)
	return n
}

// rowSums returns the sums of the rows of x (B, n) as (B, 1).
func rowSums(b *build.B, x *G.Node) *G.Node {
	if !b.OK() {
		return nil
	}
	return b.Reshape(b.Sum(x, 1), x.Shape()[0], 1)
}

// zerosLike is an input node of zeros of x's shape in x's graph.
func zerosLike(b *build.B, x *G.Node, name string) *G.Node {
	if !b.OK() {
		return nil
	}
	n, _ := input(x.Graph(), name, nil, x.Shape()...)
	return n
}
