package node

import (
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// gb builds graph expressions and keeps the first error, so that graph code
// reads as a sequence of operations and checks once.
type gb struct {
	g   *G.ExprGraph
	err error
}

func (b *gb) fail(err error, what string) *G.Node {
	if b.err == nil && err != nil {
		b.err = errorf(ErrInput, "graph: %s: %w", what, err)
	}
	return nil
}

func (b *gb) do(what string, f func() (*G.Node, error)) *G.Node {
	if b.err != nil {
		return nil
	}
	n, err := f()
	if err != nil {
		return b.fail(err, what)
	}
	return n
}

// input makes a named float64 input node of the given shape backed by data
// (allocated when nil), and returns it with its backing slice.
func (b *gb) input(g *G.ExprGraph, name string, data []float64, shape ...int) (*G.Node, []float64) {
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

// constant is an input node holding fixed values (unique name required:
// gorgonia deduplicates input nodes by name, type and shape).
func (b *gb) constant(data []float64, name string, shape ...int) *G.Node {
	if b.err != nil {
		return nil
	}
	n, _ := b.input(b.g, name, data, shape...)
	return n
}

func (b *gb) concat1(x, y *G.Node) *G.Node {
	return b.do("concat", func() (*G.Node, error) { return G.Concat(1, x, y) })
}

func (b *gb) hadamard(x, y *G.Node) *G.Node {
	return b.do("product", func() (*G.Node, error) { return G.HadamardProd(x, y) })
}

func (b *gb) add(x, y *G.Node) *G.Node {
	return b.do("sum", func() (*G.Node, error) { return G.Add(x, y) })
}

func (b *gb) sub(x, y *G.Node) *G.Node {
	return b.do("difference", func() (*G.Node, error) { return G.Sub(x, y) })
}

func (b *gb) square(x *G.Node) *G.Node {
	return b.do("square", func() (*G.Node, error) { return G.Square(x) })
}

func (b *gb) sum(x *G.Node, along ...int) *G.Node {
	return b.do("sum", func() (*G.Node, error) { return G.Sum(x, along...) })
}

func (b *gb) reshape(x *G.Node, shape ...int) *G.Node {
	return b.do("reshape", func() (*G.Node, error) { return G.Reshape(x, tensor.Shape(shape)) })
}

func (b *gb) scale(x *G.Node, s float64) *G.Node {
	return b.do("scale", func() (*G.Node, error) { return G.Mul(x, G.NewConstant(s)) })
}

// rowSums returns the sums of the rows of x (B, n) as (B, 1).
func (b *gb) rowSums(x *G.Node) *G.Node {
	if b.err != nil {
		return nil
	}
	B := x.Shape()[0]
	return b.reshape(b.sum(x, 1), B, 1)
}

// zerosLike is an input node of zeros of x's shape in x's graph.
func (b *gb) zerosLike(x *G.Node, name string) *G.Node {
	if b.err != nil {
		return nil
	}
	n, _ := b.input(x.Graph(), name, nil, x.Shape()...)
	return n
}
