package build

import (
	"fmt"
	"strings"
	"sync/atomic"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	_ "github.com/physbias/physbias/internal/blas" // BLAS chosen at build time
	"github.com/physbias/physbias/internal/fail"
)

// constSerial numbers constants across all builders (see Constant).
var constSerial atomic.Uint64

// B builds expressions in one graph and keeps the first error. Make it with
// New; a B is not safe for concurrent use (neither is a gorgonia graph).
type B struct {
	g      *G.ExprGraph
	prefix string
	err    error
	consts int
	slices map[*G.Node]string // slice nodes made here, by their spec
}

// New returns a builder of expressions in g whose errors start with
// prefix (a package name such as "hnn").
func New(g *G.ExprGraph, prefix string) *B {
	return &B{g: g, prefix: prefix}
}

// Graph returns the graph the builder adds nodes to.
func (b *B) Graph() *G.ExprGraph { return b.g }

// Err returns the first error recorded, or nil.
func (b *B) Err() error { return b.err }

// OK reports whether no error has been recorded.
func (b *B) OK() bool { return b.err == nil }

// Fail records err unless an error is already recorded. err is kept as it
// is (it should already carry its package prefix).
func (b *B) Fail(err error) {
	if b.err == nil && err != nil {
		b.err = err
	}
}

// Failf records an error matching kind whose message is the builder's
// prefix, then the formatted text (use %w to wrap a cause), unless an error
// is already recorded. It returns nil, so a method can end with
// "return b.Failf(...)".
func (b *B) Failf(kind error, format string, args ...any) *G.Node {
	if b.err == nil {
		b.err = fail.Errorf(kind, b.prefix, format, args...)
	}
	return nil
}

// Do runs f, an op of the caller's own named what, unless an error is
// recorded: an error or a panic from f is recorded (matching
// fail.ErrInput) and Do returns nil.
func (b *B) Do(what string, f func() (*G.Node, error)) (n *G.Node) {
	if b.err != nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			b.Failf(fail.ErrInput, "%s: %v", what, r)
			n = nil
		}
	}()
	n, err := f()
	if err != nil {
		return b.Failf(fail.ErrInput, "%s: %w", what, err)
	}
	if n == nil {
		return b.Failf(fail.ErrInput, "%s returned no node", what)
	}
	return n
}

// ok checks that no error is recorded and that no operand is nil.
func (b *B) ok(what string, ns ...*G.Node) bool {
	if b.err != nil {
		return false
	}
	for i, n := range ns {
		if n == nil {
			b.Failf(fail.ErrInput, "%s: operand %d is nil", what, i)
			return false
		}
	}
	return true
}

func (b *B) unary(what string, f func(*G.Node) (*G.Node, error), x *G.Node) *G.Node {
	if !b.ok(what, x) {
		return nil
	}
	return b.Do(what, func() (*G.Node, error) { return f(x) })
}

func (b *B) binary(what string, f func(x, y *G.Node) (*G.Node, error), x, y *G.Node) *G.Node {
	if !b.ok(what, x, y) {
		return nil
	}
	return b.Do(what, func() (*G.Node, error) { return f(x, y) })
}

// Constant returns a constant float64 tensor of the given shape holding
// data (not copied; do not change it afterwards). Each constant gets a
// unique name.
func (b *B) Constant(data []float64, shape ...int) *G.Node {
	if b.err != nil {
		return nil
	}
	n := 1
	for _, d := range shape {
		if d <= 0 {
			return b.Failf(fail.ErrInput, "constant: shape %v has a non-positive dimension", shape)
		}
		n *= d
	}
	if n != len(data) {
		return b.Failf(fail.ErrInput, "constant: shape %v holds %d values, got %d", shape, n, len(data))
	}
	// Names are unique in the process, not only in this builder: two
	// builders on one graph would otherwise name constants alike, and
	// gorgonia merges same-named inputs of one shape into one node. (A
	// constant joins the graph only when an op uses it, so the graph cannot
	// be asked which names are taken.)
	b.consts++
	name := fmt.Sprintf("%s_const_%d_%d", b.prefix, b.consts, constSerial.Add(1))
	return b.Do("constant", func() (*G.Node, error) {
		t := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
		return G.NewConstant(t, G.In(b.g), G.WithName(name)), nil
	})
}

// Scalar returns the constant float64 scalar c.
func (b *B) Scalar(c float64) *G.Node {
	if b.err != nil {
		return nil
	}
	return G.NewConstant(c, G.In(b.g))
}

// Add returns x + y (same shapes, or a scalar and a tensor).
func (b *B) Add(x, y *G.Node) *G.Node { return b.binary("add", G.Add, x, y) }

// Sub returns x − y (same shapes, or a scalar and a tensor).
func (b *B) Sub(x, y *G.Node) *G.Node { return b.binary("subtract", G.Sub, x, y) }

// Mul returns the product of x and y: matrix–matrix, matrix–vector,
// vector dot product, or scalar times tensor (gorgonia's Mul).
func (b *B) Mul(x, y *G.Node) *G.Node { return b.binary("product", G.Mul, x, y) }

// HadamardProd returns the elementwise product of x and y.
func (b *B) HadamardProd(x, y *G.Node) *G.Node {
	return b.binary("elementwise product", G.HadamardProd, x, y)
}

// HadamardDiv returns the elementwise quotient x / y.
func (b *B) HadamardDiv(x, y *G.Node) *G.Node {
	return b.binary("elementwise quotient", G.HadamardDiv, x, y)
}

// Scale returns c·x.
func (b *B) Scale(c float64, x *G.Node) *G.Node {
	if !b.ok("scale", x) {
		return nil
	}
	if c == 1 {
		return x
	}
	return b.Mul(b.Scalar(c), x)
}

// Shift returns x + c elementwise.
func (b *B) Shift(x *G.Node, c float64) *G.Node {
	if !b.ok("shift", x) {
		return nil
	}
	return b.Add(x, b.Scalar(c))
}

// BroadcastAdd returns x + y after broadcasting x along the axes in left
// and y along the axes in right (gorgonia's broadcast patterns).
func (b *B) BroadcastAdd(x, y *G.Node, left, right []byte) *G.Node {
	return b.binary("broadcast add", func(x, y *G.Node) (*G.Node, error) { return G.BroadcastAdd(x, y, left, right) }, x, y)
}

// BroadcastSub returns x − y with broadcasting (see BroadcastAdd).
func (b *B) BroadcastSub(x, y *G.Node, left, right []byte) *G.Node {
	return b.binary("broadcast subtract", func(x, y *G.Node) (*G.Node, error) { return G.BroadcastSub(x, y, left, right) }, x, y)
}

// BroadcastHadamardProd returns x ⊙ y with broadcasting (see BroadcastAdd).
func (b *B) BroadcastHadamardProd(x, y *G.Node, left, right []byte) *G.Node {
	return b.binary("broadcast elementwise product", func(x, y *G.Node) (*G.Node, error) {
		return G.BroadcastHadamardProd(x, y, left, right)
	}, x, y)
}

// BroadcastHadamardDiv returns x ⊘ y with broadcasting (see BroadcastAdd).
func (b *B) BroadcastHadamardDiv(x, y *G.Node, left, right []byte) *G.Node {
	return b.binary("broadcast elementwise quotient", func(x, y *G.Node) (*G.Node, error) {
		return G.BroadcastHadamardDiv(x, y, left, right)
	}, x, y)
}

// Neg returns −x.
func (b *B) Neg(x *G.Node) *G.Node { return b.unary("negate", G.Neg, x) }

// Exp returns exp(x) elementwise.
func (b *B) Exp(x *G.Node) *G.Node { return b.unary("exp", G.Exp, x) }

// Log returns the natural logarithm of x elementwise.
func (b *B) Log(x *G.Node) *G.Node { return b.unary("log", G.Log, x) }

// Log1p returns log(1 + x) elementwise.
func (b *B) Log1p(x *G.Node) *G.Node { return b.unary("log1p", G.Log1p, x) }

// Tanh returns tanh(x) elementwise.
func (b *B) Tanh(x *G.Node) *G.Node { return b.unary("tanh", G.Tanh, x) }

// Sin returns sin(x) elementwise.
func (b *B) Sin(x *G.Node) *G.Node { return b.unary("sin", G.Sin, x) }

// Cos returns cos(x) elementwise.
func (b *B) Cos(x *G.Node) *G.Node { return b.unary("cos", G.Cos, x) }

// Square returns x² elementwise.
func (b *B) Square(x *G.Node) *G.Node { return b.unary("square", G.Square, x) }

// Sqrt returns √x elementwise.
func (b *B) Sqrt(x *G.Node) *G.Node { return b.unary("sqrt", G.Sqrt, x) }

// Abs returns |x| elementwise.
func (b *B) Abs(x *G.Node) *G.Node { return b.unary("abs", G.Abs, x) }

// Softplus returns log(1 + eˣ) elementwise.
func (b *B) Softplus(x *G.Node) *G.Node { return b.unary("softplus", G.Softplus, x) }

// Sigmoid returns 1/(1 + e⁻ˣ) elementwise.
func (b *B) Sigmoid(x *G.Node) *G.Node { return b.unary("sigmoid", G.Sigmoid, x) }

// Pow returns x^p elementwise for a constant exponent p.
func (b *B) Pow(x *G.Node, p float64) *G.Node {
	if !b.ok("power", x) {
		return nil
	}
	switch p {
	case 1:
		return x
	case 2:
		return b.Square(x)
	}
	return b.Do("power", func() (*G.Node, error) { return G.Pow(x, G.NewConstant(p, G.In(b.g))) })
}

// Sum returns the sum of x over axes (all axes when none are given).
func (b *B) Sum(x *G.Node, axes ...int) *G.Node {
	if !b.ok("sum", x) {
		return nil
	}
	return b.Do("sum", func() (*G.Node, error) { return G.Sum(x, axes...) })
}

// Mean returns the mean of x over axes (all axes when none are given).
func (b *B) Mean(x *G.Node, axes ...int) *G.Node {
	if !b.ok("mean", x) {
		return nil
	}
	return b.Do("mean", func() (*G.Node, error) { return G.Mean(x, axes...) })
}

// Reshape returns x with the given shape (the same number of values).
func (b *B) Reshape(x *G.Node, shape ...int) *G.Node {
	if !b.ok("reshape", x) {
		return nil
	}
	return b.Do("reshape", func() (*G.Node, error) { return G.Reshape(x, tensor.Shape(shape)) })
}

// Transpose returns x with its axes permuted (reversed when none given).
func (b *B) Transpose(x *G.Node, axes ...int) *G.Node {
	if !b.ok("transpose", x) {
		return nil
	}
	return b.Do("transpose", func() (*G.Node, error) { return G.Transpose(x, axes...) })
}

// S is the slice [lo, hi) of one axis, for Slice; nil in Slice's list keeps
// a whole axis.
func S(lo, hi int) tensor.Slice { return G.S(lo, hi) }

// Slice returns the sub-tensor of x given one tensor.Slice per leading
// axis (S(lo, hi), or nil for a whole axis). It fails, instead of returning
// a wrong node, when gorgonia's modulo-256 slice hash would merge this
// slice with an earlier one of the same x (see the package documentation).
func (b *B) Slice(x *G.Node, s ...tensor.Slice) *G.Node {
	if !b.ok("slice", x) {
		return nil
	}
	var spec strings.Builder
	fmt.Fprintf(&spec, "%p", x)
	for _, r := range s {
		if r == nil {
			spec.WriteString("[:]")
		} else {
			fmt.Fprintf(&spec, "[%d:%d:%d]", r.Start(), r.End(), r.Step())
		}
	}
	n := b.Do("slice", func() (*G.Node, error) { return G.Slice(x, s...) })
	if n == nil {
		return nil
	}
	if b.slices == nil {
		b.slices = map[*G.Node]string{}
	}
	if old, seen := b.slices[n]; seen && old != spec.String() {
		return b.Failf(fail.ErrInput, "slice: gorgonia merged slice %s with the earlier slice %s of the same node "+
			"(its slice hash takes bounds modulo 256); reshape so the sliced axis is shorter than 256",
			strings.TrimPrefix(spec.String(), fmt.Sprintf("%p", x)), strings.TrimPrefix(old, fmt.Sprintf("%p", x)))
	}
	b.slices[n] = spec.String()
	return n
}

// Concat joins xs along axis. It fails when two blocks' bounds along the
// axis agree modulo 256, because gorgonia's gradient of Concat would then
// be wrong (see the package documentation).
func (b *B) Concat(axis int, xs ...*G.Node) *G.Node {
	if !b.ok("concat", xs...) {
		return nil
	}
	if len(xs) == 0 {
		return b.Failf(fail.ErrInput, "concat: no operands")
	}
	type bound struct{ lo, hi int }
	seen := map[bound]int{}
	off := 0
	for i, x := range xs {
		sh := x.Shape()
		if axis < 0 || axis >= len(sh) {
			return b.Failf(fail.ErrInput, "concat: axis %d out of range for operand %d of shape %v", axis, i, sh)
		}
		k := bound{off % 256, (off + sh[axis]) % 256}
		if j, dup := seen[k]; dup && len(xs) > 1 {
			return b.Failf(fail.ErrInput, "concat: blocks %d and %d have bounds equal modulo 256 along axis %d, "+
				"so gorgonia's gradient would be wrong; concat (1, …) blocks on a new leading axis instead", j, i, axis)
		}
		seen[k] = i
		off += sh[axis]
	}
	return b.Do("concat", func() (*G.Node, error) { return G.Concat(axis, xs...) })
}
