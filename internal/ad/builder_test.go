package ad

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// builder keeps the first error of a chain of graph operations, so that the
// derivative code reads as maths. Once err is set every method returns nil.
//
// Nil nodes carry meaning in the tangent code: a nil tangent is zero and a
// nil σ′ is one (the identity activation), so zero terms are never built.
type builder struct {
	g   *G.ExprGraph
	err error
}

func (b *builder) fail(err error, what string) {
	if b.err == nil && err != nil {
		b.err = fmt.Errorf("ad: %s: %w", what, err)
	}
}

func (b *builder) ok(ns ...*G.Node) bool {
	if b.err != nil {
		return false
	}
	for _, n := range ns {
		if n == nil {
			return false
		}
	}
	return true
}

func (b *builder) matmul(x, w *G.Node) *G.Node {
	if !b.ok(x, w) {
		return nil
	}
	r, err := G.Mul(x, w)
	b.fail(err, "matrix product")
	return r
}

// matmulT returns x·wᵀ.
func (b *builder) matmulT(x, w *G.Node) *G.Node {
	if !b.ok(x, w) {
		return nil
	}
	wt, err := G.Transpose(w)
	if err != nil {
		b.fail(err, "transpose")
		return nil
	}
	r, err := G.Mul(x, wt)
	b.fail(err, "matrix product")
	return r
}

func (b *builder) addBias(z, bias *G.Node) *G.Node {
	if !b.ok(z, bias) {
		return nil
	}
	r, err := G.BroadcastAdd(z, bias, nil, []byte{0})
	b.fail(err, "bias")
	return r
}

// mul is the elementwise product; a nil factor means zero.
func (b *builder) mul(x, y *G.Node) *G.Node {
	if !b.ok(x, y) {
		return nil
	}
	r, err := G.HadamardProd(x, y)
	b.fail(err, "product")
	return r
}

// scale multiplies x by s (nil s means one).
func (b *builder) scale(s, x *G.Node) *G.Node {
	if x == nil {
		return nil
	}
	if s == nil {
		return x
	}
	return b.mul(s, x)
}

// add is the elementwise sum; nil terms are zero.
func (b *builder) add(x, y *G.Node) *G.Node {
	if b.err != nil {
		return nil
	}
	if x == nil {
		return y
	}
	if y == nil {
		return x
	}
	r, err := G.Add(x, y)
	b.fail(err, "sum")
	return r
}

func (b *builder) sub(x, y *G.Node) *G.Node {
	if !b.ok(x, y) {
		return nil
	}
	r, err := G.Sub(x, y)
	b.fail(err, "difference")
	return r
}

func (b *builder) unary(f func(*G.Node) (*G.Node, error), x *G.Node, what string) *G.Node {
	if !b.ok(x) {
		return nil
	}
	r, err := f(x)
	b.fail(err, what)
	return r
}

func (b *builder) scalar(v float64) *G.Node { return G.NewConstant(v) }

func (b *builder) constMatrix(rows, cols int, data []float64) *G.Node {
	t := tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(data))
	return G.NewConstant(t, G.In(b.g))
}

func (b *builder) reshape(x *G.Node, shape ...int) *G.Node {
	if !b.ok(x) {
		return nil
	}
	r, err := G.Reshape(x, tensor.Shape(shape))
	b.fail(err, "reshape")
	return r
}

// actDerivs holds σ(z) and its derivatives as nodes; nil S1 means one and
// nil S2, S3 mean zero (the identity).
type actDerivs struct{ S0, S1, S2, S3 *G.Node }

// activate builds σ(z) and its derivatives up to order (0..3).
func (b *builder) activate(a Activation, z *G.Node, order int) actDerivs {
	var d actDerivs
	if !b.ok(z) {
		return d
	}
	one := b.scalar(1)
	switch a {
	case Identity:
		d.S0 = z
	case Tanh:
		t := b.unary(G.Tanh, z, "tanh")
		d.S0 = t
		if order >= 1 {
			t2 := b.unary(G.Square, t, "square")
			d.S1 = b.sub(one, t2) // 1 − t²
			if order >= 2 {
				d.S2 = b.mul(b.scalar(-2), b.mul(t, d.S1)) // −2t(1−t²)
			}
			if order >= 3 {
				// −2(1−t²)(1−3t²)
				d.S3 = b.mul(b.scalar(-2), b.mul(d.S1, b.sub(one, b.mul(b.scalar(3), t2))))
			}
		}
	case Softplus, Sigmoid:
		s := b.unary(G.Sigmoid, z, "sigmoid")
		ds := b.mul(s, b.sub(one, s))                       // s(1−s)
		ds2 := b.mul(ds, b.sub(one, b.mul(b.scalar(2), s))) // s(1−s)(1−2s)
		if a == Softplus {
			d.S0 = b.unary(G.Softplus, z, "softplus")
			d.S1, d.S2, d.S3 = s, ds, ds2
		} else {
			d.S0, d.S1, d.S2 = s, ds, ds2
			if order >= 3 {
				d.S3 = b.mul(ds, b.sub(one, b.mul(b.scalar(6), ds))) // s(1−s)(1−6s(1−s))
			}
		}
	case square:
		d.S0 = b.unary(G.Square, z, "square")
		d.S1 = b.mul(b.scalar(2), z)
		d.S2 = b.scalar(2)
	case Sin:
		sn := b.unary(G.Sin, z, "sin")
		d.S0 = sn
		if order >= 1 {
			d.S1 = b.unary(G.Cos, z, "cos")
		}
		if order >= 2 {
			d.S2 = b.unary(G.Neg, sn, "neg")
		}
		if order >= 3 {
			d.S3 = b.unary(G.Neg, d.S1, "neg")
		}
	}
	return d
}
