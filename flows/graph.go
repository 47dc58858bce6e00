package flows

import (
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// gb builds graph expressions and keeps the first error, so that the
// equations read as maths; once err is set every method returns nil.
type gb struct {
	g   *G.ExprGraph
	err error
}

func (b *gb) do(what string, f func() (*G.Node, error)) *G.Node {
	if b.err != nil {
		return nil
	}
	n, err := f()
	if err != nil {
		b.err = errorf(ErrInput, "building the graph: %s: %w", what, err)
		return nil
	}
	return n
}

// input returns a (rows, cols) input matrix node backed by a new slice,
// which it also returns so the caller can write the batch into it.
func (b *gb) input(name string, rows, cols int) (*G.Node, []float64) {
	data := make([]float64, rows*cols)
	t := tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(data))
	return G.NewMatrix(b.g, G.Float64, G.WithShape(rows, cols), G.WithName(name), G.WithValue(t)), data
}

// matrix returns a constant (rows, cols) matrix node with a unique name.
func (b *gb) matrix(name string, data []float64, rows, cols int) *G.Node {
	t := tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(data))
	return G.NewConstant(t, G.WithName(name))
}

func (b *gb) scalar(v float64) *G.Node { return G.NewConstant(v) }

func (b *gb) mul(x, y *G.Node) *G.Node {
	return b.do("product", func() (*G.Node, error) { return G.Mul(x, y) })
}
func (b *gb) add(x, y *G.Node) *G.Node {
	return b.do("add", func() (*G.Node, error) { return G.Add(x, y) })
}
func (b *gb) sub(x, y *G.Node) *G.Node {
	return b.do("subtract", func() (*G.Node, error) { return G.Sub(x, y) })
}
func (b *gb) had(x, y *G.Node) *G.Node {
	return b.do("elementwise product", func() (*G.Node, error) { return G.HadamardProd(x, y) })
}
func (b *gb) exp(x *G.Node) *G.Node {
	return b.do("exp", func() (*G.Node, error) { return G.Exp(x) })
}
func (b *gb) tanh(x *G.Node) *G.Node {
	return b.do("tanh", func() (*G.Node, error) { return G.Tanh(x) })
}
func (b *gb) square(x *G.Node) *G.Node {
	return b.do("square", func() (*G.Node, error) { return G.Square(x) })
}
func (b *gb) sum(x *G.Node) *G.Node {
	return b.do("sum", func() (*G.Node, error) { return G.Sum(x) })
}

// scale returns c·x for a constant c.
func (b *gb) scale(x *G.Node, c float64) *G.Node { return b.mul(x, b.scalar(c)) }
