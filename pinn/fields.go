package pinn

import (
	"fmt"
	"math"
	"sync/atomic"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Fields gives a ResidualFunc the network's output u and its input
// derivatives at B points, each a (B, 1) node, the point coordinates, and
// the unknown coefficients (scalar nodes). Derivatives are exact (forward
// jets through the network, see internal/ad), in the domain's own
// coordinates, and include the hard-constraint transform when it is on.
//
// Accessors and the arithmetic helpers keep the first error and return nil
// after it; the error is reported when the residual returns. Indices are
// input indices: 0 … len(Space)−1 for x, len(Space) for t.
type Fields struct {
	g     *G.ExprGraph
	dom   Domain
	pts   [][]float64
	jet   *jet // nil on the probe graph
	coef  map[string]*G.Node
	probe *needs // non-nil on the probe graph
	cache map[string]*G.Node
	err   error
}

// needs records what a residual asked for on the probe graph.
type needs struct {
	first  bool
	second map[[2]int]bool // i ≤ j
}

// jet holds u and its derivatives at a point set, as (B, 1) nodes.
type jet struct {
	u     *G.Node
	first map[int]*G.Node
	sec   map[[2]int]*G.Node
}

// Len returns B, the number of points.
func (f *Fields) Len() int { return len(f.pts) }

// Points returns the points (x…, t) the fields are evaluated at. The slice
// must not be modified.
func (f *Fields) Points() [][]float64 { return f.pts }

// Err returns the first error of an accessor or helper.
func (f *Fields) Err() error { return f.err }

// Fail records err (if it is the first) so that the residual fails with it;
// for errors of gorgonia ops called directly.
func (f *Fields) Fail(err error) {
	if f.err == nil && err != nil {
		f.err = err
	}
}

func (f *Fields) failf(format string, a ...any) *G.Node {
	f.Fail(fmt.Errorf("pinn: residual: "+format, a...))
	return nil
}

// placeholder returns the probe graph's stand-in (B, 1) node for key.
func (f *Fields) placeholder(key string) *G.Node {
	if n, ok := f.cache[key]; ok {
		return n
	}
	n := newColumn(f.g, "probe."+key, make([]float64, len(f.pts)))
	f.cache[key] = n
	return n
}

// U returns u at the points.
func (f *Fields) U() *G.Node {
	if f.err != nil {
		return nil
	}
	if f.probe != nil {
		return f.placeholder("u")
	}
	return f.jet.u
}

// D returns ∂u/∂p_i for input index i (a spatial index or the time index).
func (f *Fields) D(i int) *G.Node {
	if f.err != nil {
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
func (f *Fields) D2(i, j int) *G.Node {
	if f.err != nil {
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
func (f *Fields) Ut() *G.Node {
	if !f.dom.HasTime() {
		return f.failf("Ut on a steady problem (no time interval)")
	}
	return f.D(f.dom.TimeIndex())
}

// Utt returns ∂²u/∂t²; an error for a steady problem.
func (f *Fields) Utt() *G.Node {
	if !f.dom.HasTime() {
		return f.failf("Utt on a steady problem (no time interval)")
	}
	return f.D2(f.dom.TimeIndex(), f.dom.TimeIndex())
}

// Ux returns ∂u/∂x_i for spatial dimension i.
func (f *Fields) Ux(i int) *G.Node {
	if i < 0 || i >= len(f.dom.Space) {
		return f.failf("spatial index %d out of range [0, %d)", i, len(f.dom.Space))
	}
	return f.D(i)
}

// Uxx returns ∂²u/∂x_i² for spatial dimension i.
func (f *Fields) Uxx(i int) *G.Node {
	if i < 0 || i >= len(f.dom.Space) {
		return f.failf("spatial index %d out of range [0, %d)", i, len(f.dom.Space))
	}
	return f.D2(i, i)
}

// Laplacian returns Σ_i ∂²u/∂x_i² over the spatial dimensions.
func (f *Fields) Laplacian() *G.Node {
	var s *G.Node
	for i := range f.dom.Space {
		s = f.Add(s, f.Uxx(i))
	}
	return s
}

// X returns the coordinate x_i of the points as a (B, 1) constant.
func (f *Fields) X(i int) *G.Node {
	if i < 0 || i >= len(f.dom.Space) {
		return f.failf("spatial index %d out of range [0, %d)", i, len(f.dom.Space))
	}
	return f.coord(i)
}

// T returns the time of the points as a (B, 1) constant.
func (f *Fields) T() *G.Node {
	if !f.dom.HasTime() {
		return f.failf("T on a steady problem (no time interval)")
	}
	return f.coord(f.dom.TimeIndex())
}

func (f *Fields) coord(i int) *G.Node {
	if f.err != nil {
		return nil
	}
	return f.Source(func(p []float64) float64 { return p[i] })
}

// Source returns s(p) at the points as a (B, 1) constant: a forcing term or
// a variable coefficient. It fails on a NaN or infinite value.
func (f *Fields) Source(s func(p []float64) float64) *G.Node {
	if f.err != nil {
		return nil
	}
	if s == nil {
		return f.failf("nil source function")
	}
	v := make([]float64, len(f.pts))
	for k, p := range f.pts {
		v[k] = s(p)
		if math.IsNaN(v[k]) || math.IsInf(v[k], 0) {
			return f.failf("source term is %v at point %v", v[k], p)
		}
	}
	return newColumn(f.g, "", v)
}

// Coef returns the unknown coefficient called name, a scalar node.
func (f *Fields) Coef(name string) *G.Node {
	if f.err != nil {
		return nil
	}
	c, ok := f.coef[name]
	if !ok {
		return f.failf("no unknown coefficient %q in Problem.Unknowns", name)
	}
	return c
}

func (f *Fields) ok(ns ...*G.Node) bool {
	if f.err != nil {
		return false
	}
	for _, n := range ns {
		if n == nil {
			f.failf("nil node")
			return false
		}
	}
	return true
}

// Add returns a + b; a nil a (only) is treated as zero, for sums in loops.
func (f *Fields) Add(a, b *G.Node) *G.Node {
	if a == nil && f.err == nil {
		return b
	}
	if !f.ok(a, b) {
		return nil
	}
	r, err := G.Add(a, b)
	f.Fail(err)
	return r
}

// Sub returns a − b.
func (f *Fields) Sub(a, b *G.Node) *G.Node {
	if !f.ok(a, b) {
		return nil
	}
	r, err := G.Sub(a, b)
	f.Fail(err)
	return r
}

// Mul returns the elementwise product a ⊙ b, or the scaled column when one
// of them is a scalar (an unknown coefficient).
func (f *Fields) Mul(a, b *G.Node) *G.Node {
	if !f.ok(a, b) {
		return nil
	}
	var r *G.Node
	var err error
	if a.IsScalar() || b.IsScalar() {
		r, err = G.Mul(a, b)
	} else {
		r, err = G.HadamardProd(a, b)
	}
	f.Fail(err)
	return r
}

// Scale returns c·a.
func (f *Fields) Scale(c float64, a *G.Node) *G.Node {
	if !f.ok(a) {
		return nil
	}
	if c == 1 {
		return a
	}
	r, err := G.Mul(G.NewConstant(c), a)
	f.Fail(err)
	return r
}

// columnID numbers constant columns so that no two share a name (gorgonia
// deduplicates input nodes by name, type and shape).
var columnID atomic.Uint64

// newColumn adds a (len(v), 1) input node holding v.
func newColumn(g *G.ExprGraph, name string, v []float64) *G.Node {
	return newMatrix(g, name, len(v), 1, v)
}

func newMatrix(g *G.ExprGraph, name string, r, c int, v []float64) *G.Node {
	id := columnID.Add(1)
	return G.NewMatrix(g, G.Float64, G.WithShape(r, c), G.WithName(fmt.Sprintf("pinn.%s#%d", name, id)),
		G.WithValue(tensor.New(tensor.WithShape(r, c), tensor.WithBacking(v))))
}
