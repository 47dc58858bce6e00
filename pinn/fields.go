package pinn

import (
	"fmt"
	"math"

	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/fail"
	G "gorgonia.org/gorgonia"
)

// Node is a value in a residual's expression: u or one of its derivatives
// at the B points (a (B, 1) column), a coordinate, a source term, or an
// unknown coefficient (a scalar). It is gorgonia's node, named here so that
// a residual written with the Fields helpers needs no other import; any
// gorgonia op on it works too (report its error with Fields.Fail).
type Node = G.Node

// Fields gives a ResidualFunc the network's output u and its input
// derivatives at B points, each a (B, 1) node, the point coordinates, and
// the unknown coefficients (scalar nodes). Derivatives are exact (forward
// jets through the network, see internal/ad), in the domain's own
// coordinates, and include the hard-constraint transform when it is on.
//
// Its helpers write the residual as the maths reads: Add, Sub, Mul, Div,
// Scale, Shift, Neg, Pow, Square, Sqrt, Abs, Exp, Log, Log1p, Sin, Cos,
// Tanh, Sigmoid, Softplus and Const. A column and a scalar (an unknown coefficient or Const) combine
// elementwise. Accessors and helpers keep the first error and return nil
// after it; the error is reported when the residual returns. Indices are
// input indices: 0 … len(Space)−1 for x, len(Space) for t.
type Fields struct {
	b     *build.B
	dom   Domain
	pts   [][]float64
	jet   *jet // nil on the probe graph
	coef  map[string]*G.Node
	probe *needs // non-nil on the probe graph
	cache map[string]*G.Node
}

// needs records what a residual asked for on the probe graph.
type needs struct {
	first  bool
	second map[[2]int]bool // i ≤ j
}

// live reports whether f was made by the package and has no error yet. The
// methods of a zero Fields do nothing and return nil (Err says why).
func (f *Fields) live() bool { return f != nil && f.b != nil && f.b.OK() }

// Len returns B, the number of points.
func (f *Fields) Len() int {
	if f == nil {
		return 0
	}
	return len(f.pts)
}

// Points returns the points (x…, t) the fields are evaluated at. The slice
// must not be modified.
func (f *Fields) Points() [][]float64 {
	if f == nil {
		return nil
	}
	return f.pts
}

// Err returns the first error of an accessor or helper (one matching
// ErrZeroValue for a Fields not made by the package).
func (f *Fields) Err() error {
	if f == nil || f.b == nil {
		return errorf(ErrZeroValue, "nil or zero Fields (the package makes them for a ResidualFunc)")
	}
	return f.b.Err()
}

// Fail records err (if it is the first) so that the residual fails with it;
// for errors of gorgonia ops called directly.
func (f *Fields) Fail(err error) {
	if err != nil && f.live() {
		f.b.Fail(errorf(ErrCallback, "Problem.Residual: %w", err))
	}
}

func (f *Fields) failf(format string, a ...any) *Node {
	if f == nil || f.b == nil {
		return nil
	}
	return f.b.Failf(ErrCallback, "Problem.Residual: "+format, a...)
}

// placeholder returns the probe graph's stand-in (B, 1) node for key.
func (f *Fields) placeholder(key string) *Node {
	if n, ok := f.cache[key]; ok {
		return n
	}
	n := f.b.Constant(make([]float64, len(f.pts)), len(f.pts), 1)
	f.cache[key] = n
	return n
}

// U returns u at the points.
func (f *Fields) U() *Node {
	if !f.live() {
		return nil
	}
	if f.probe != nil {
		return f.placeholder("u")
	}
	return f.jet.u
}

// D returns ∂u/∂p_i for input index i (a spatial index or the time index).
func (f *Fields) D(i int) *Node {
	if !f.live() {
		return nil
	}
	if i < 0 || i >= f.dom.Dim() {
		return f.failf("derivative index %d out of range [0, %d)", i, f.dom.Dim())
	}
	if f.probe != nil {
		f.probe.first = true
		return f.placeholder(fmt.Sprintf("d%d", i))
	}
	return f.jet.first[i]
}

// D2 returns ∂²u/∂p_i∂p_j (pure when i = j, mixed otherwise).
func (f *Fields) D2(i, j int) *Node {
	if !f.live() {
		return nil
	}
	n := f.dom.Dim()
	if i < 0 || i >= n || j < 0 || j >= n {
		return f.failf("second-derivative indices (%d, %d) out of range [0, %d)", i, j, n)
	}
	if i > j {
		i, j = j, i
	}
	if f.probe != nil {
		f.probe.second[[2]int{i, j}] = true
		return f.placeholder(fmt.Sprintf("d%d_%d", i, j))
	}
	return f.jet.sec[[2]int{i, j}]
}

// Ut returns ∂u/∂t; an error for a steady problem.
func (f *Fields) Ut() *Node {
	if !f.live() {
		return nil
	}
	if !f.dom.HasTime() {
		return f.failf("Ut on a steady problem (no time interval)")
	}
	return f.D(f.dom.TimeIndex())
}

// Utt returns ∂²u/∂t²; an error for a steady problem.
func (f *Fields) Utt() *Node {
	if !f.live() {
		return nil
	}
	if !f.dom.HasTime() {
		return f.failf("Utt on a steady problem (no time interval)")
	}
	return f.D2(f.dom.TimeIndex(), f.dom.TimeIndex())
}

// Ux returns ∂u/∂x_i for spatial dimension i.
func (f *Fields) Ux(i int) *Node {
	if !f.live() {
		return nil
	}
	if i < 0 || i >= len(f.dom.Space) {
		return f.failf("spatial index %d out of range [0, %d)", i, len(f.dom.Space))
	}
	return f.D(i)
}

// Uxx returns ∂²u/∂x_i² for spatial dimension i.
func (f *Fields) Uxx(i int) *Node {
	if !f.live() {
		return nil
	}
	if i < 0 || i >= len(f.dom.Space) {
		return f.failf("spatial index %d out of range [0, %d)", i, len(f.dom.Space))
	}
	return f.D2(i, i)
}

// Laplacian returns Σ_i ∂²u/∂x_i² over the spatial dimensions.
func (f *Fields) Laplacian() *Node {
	if !f.live() {
		return nil
	}
	var s *Node
	for i := range f.dom.Space {
		s = f.Add(s, f.Uxx(i))
	}
	return s
}

// X returns the coordinate x_i of the points as a (B, 1) constant.
func (f *Fields) X(i int) *Node {
	if !f.live() {
		return nil
	}
	if i < 0 || i >= len(f.dom.Space) {
		return f.failf("spatial index %d out of range [0, %d)", i, len(f.dom.Space))
	}
	return f.coord(i)
}

// T returns the time of the points as a (B, 1) constant.
func (f *Fields) T() *Node {
	if !f.live() {
		return nil
	}
	if !f.dom.HasTime() {
		return f.failf("T on a steady problem (no time interval)")
	}
	return f.coord(f.dom.TimeIndex())
}

func (f *Fields) coord(i int) *Node {
	if !f.live() {
		return nil
	}
	return f.Source(func(p []float64) float64 { return p[i] })
}

// Source returns s(p) at the points as a (B, 1) constant: a forcing term or
// a variable coefficient. It fails on a NaN or infinite value (ErrNotFinite)
// and recovers a panic of s (ErrCallback).
func (f *Fields) Source(s func(p []float64) float64) *Node {
	if !f.live() {
		return nil
	}
	if s == nil {
		return f.failf("nil source function")
	}
	v := make([]float64, len(f.pts))
	var err error
	func() {
		defer fail.Recover(&err, "pinn", "Fields.Source function")
		for k, p := range f.pts {
			v[k] = s(p)
			if math.IsNaN(v[k]) || math.IsInf(v[k], 0) {
				err = errorf(ErrNotFinite, "Problem.Residual: source term is %v at point %v", v[k], p)
				return
			}
		}
	}()
	if err != nil {
		f.b.Fail(err)
		return nil
	}
	return f.b.Constant(v, len(v), 1)
}

// Coef returns the unknown coefficient called name, a scalar node.
func (f *Fields) Coef(name string) *Node {
	if !f.live() {
		return nil
	}
	c, ok := f.coef[name]
	if !ok {
		return f.failf("no unknown coefficient %q in Problem.Unknowns", name)
	}
	return c
}

// Const returns the constant c as a scalar node, to combine with columns
// (Add(u, Const(1)) is 1 + u).
func (f *Fields) Const(c float64) *Node {
	if !f.live() {
		return nil
	}
	if math.IsNaN(c) || math.IsInf(c, 0) {
		f.b.Fail(errorf(ErrNotFinite, "Problem.Residual: Const(%v)", c))
		return nil
	}
	return f.b.Scalar(c)
}

// isScalar reports whether n holds one value.
func isScalar(n *Node) bool { return n.IsScalar() }

// elementwise applies a column–column op, or op's scalar form (gorgonia's
// Add, Sub, Mul, Div broadcast a scalar) when a or b is a scalar.
func (f *Fields) elementwise(what string, col func(x, y *Node) *Node, sc func(x, y *Node) (*Node, error), a, b *Node) *Node {
	if !f.live() {
		return nil
	}
	if a == nil || b == nil {
		return f.failf("%s of a nil node", what)
	}
	if isScalar(a) || isScalar(b) {
		return f.b.Do(what, func() (*Node, error) { return sc(a, b) })
	}
	return col(a, b)
}

// Add returns a + b; a nil a (only) is treated as zero, for sums in loops.
func (f *Fields) Add(a, b *Node) *Node {
	if !f.live() {
		return nil
	}
	if a == nil {
		if b == nil {
			return f.failf("add of a nil node")
		}
		return b
	}
	return f.elementwise("add", f.b.Add, G.Add, a, b)
}

// Sub returns a − b.
func (f *Fields) Sub(a, b *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.elementwise("subtract", f.b.Sub, G.Sub, a, b)
}

// Mul returns the elementwise product a ⊙ b, or the scaled column when one
// of them is a scalar (an unknown coefficient or a Const).
func (f *Fields) Mul(a, b *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.elementwise("multiply", f.b.HadamardProd, G.Mul, a, b)
}

// Div returns the elementwise quotient a / b (either may be a scalar). A
// zero in b gives Inf, which stops training with ErrNotFinite.
func (f *Fields) Div(a, b *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.elementwise("divide", f.b.HadamardDiv, G.Div, a, b)
}

// Scale returns c·a.
func (f *Fields) Scale(c float64, a *Node) *Node {
	if !f.live() {
		return nil
	}
	if a == nil {
		return f.failf("scale of a nil node")
	}
	return f.b.Scale(c, a)
}

// Shift returns a + c.
func (f *Fields) Shift(a *Node, c float64) *Node {
	if !f.live() {
		return nil
	}
	if a == nil {
		return f.failf("shift of a nil node")
	}
	return f.b.Shift(a, c)
}

// Neg returns −a.
func (f *Fields) Neg(a *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.unary("negate", f.b.Neg, a)
}

// Pow returns a^p elementwise for a constant p (a must be positive where p
// is not an integer).
func (f *Fields) Pow(a *Node, p float64) *Node {
	if !f.live() {
		return nil
	}
	return f.unary("power", func(x *Node) *Node { return f.b.Pow(x, p) }, a)
}

// Square returns a² elementwise.
func (f *Fields) Square(a *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.unary("square", f.b.Square, a)
}

// Sqrt returns √a elementwise.
func (f *Fields) Sqrt(a *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.unary("sqrt", f.b.Sqrt, a)
}

// Abs returns |a| elementwise.
func (f *Fields) Abs(a *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.unary("abs", f.b.Abs, a)
}

// Exp returns exp(a) elementwise.
func (f *Fields) Exp(a *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.unary("exp", f.b.Exp, a)
}

// Log returns the natural logarithm of a elementwise.
func (f *Fields) Log(a *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.unary("log", f.b.Log, a)
}

// Sin returns sin(a) elementwise.
func (f *Fields) Sin(a *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.unary("sin", f.b.Sin, a)
}

// Cos returns cos(a) elementwise.
func (f *Fields) Cos(a *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.unary("cos", f.b.Cos, a)
}

// Tanh returns tanh(a) elementwise.
func (f *Fields) Tanh(a *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.unary("tanh", f.b.Tanh, a)
}

// Log1p returns log(1 + a) elementwise.
func (f *Fields) Log1p(a *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.unary("log1p", f.b.Log1p, a)
}

// Sigmoid returns 1/(1 + e^{−a}) elementwise.
func (f *Fields) Sigmoid(a *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.unary("sigmoid", f.b.Sigmoid, a)
}

// Softplus returns log(1 + e^a) elementwise.
func (f *Fields) Softplus(a *Node) *Node {
	if !f.live() {
		return nil
	}
	return f.unary("softplus", f.b.Softplus, a)
}

func (f *Fields) unary(what string, op func(*Node) *Node, a *Node) *Node {
	if !f.live() {
		return nil
	}
	if a == nil {
		return f.failf("%s of a nil node", what)
	}
	return op(a)
}
