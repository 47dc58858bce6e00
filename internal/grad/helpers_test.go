package grad

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/rng"
)

// must stops the test on a graph-building error.
func must(t testing.TB) func(*G.Node, error) *G.Node {
	return func(n *G.Node, err error) *G.Node {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
}

// input returns a float64 input node of shape s holding data.
func input(g *G.ExprGraph, name string, s tensor.Shape, data []float64) *G.Node {
	if s.IsScalar() {
		return G.NewScalar(g, G.Float64, G.WithName(name), G.WithValue(data[0]))
	}
	d := append([]float64(nil), data...)
	return G.NewTensor(g, G.Float64, s.Dims(), G.WithShape(s...), G.WithName(name),
		G.WithValue(tensor.New(tensor.WithShape(s...), tensor.WithBacking(d))))
}

func uniform(seed uint64, n int, lo, hi float64) []float64 {
	r := rng.New(seed)
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*r.Float64()
	}
	return v
}

// evaluator runs a graph and reads nodes' values.
type evaluator struct {
	t     testing.TB
	vm    G.VM
	vals  []G.Value
	nodes []*G.Node
}

// newEvaluator compiles g to read nodes; create it after the graph is built.
func newEvaluator(t testing.TB, g *G.ExprGraph, nodes ...*G.Node) *evaluator {
	t.Helper()
	e := &evaluator{t: t, vals: make([]G.Value, len(nodes)), nodes: nodes}
	for i, n := range nodes {
		G.Read(n, &e.vals[i])
	}
	e.vm = G.NewTapeMachine(g)
	t.Cleanup(func() { e.vm.Close() })
	return e
}

// run runs the graph and returns copies of the read values, flattened.
func (e *evaluator) run() [][]float64 {
	e.t.Helper()
	if err := e.vm.RunAll(); err != nil {
		e.t.Fatal(err)
	}
	defer e.vm.Reset()
	out := make([][]float64, len(e.vals))
	for i, v := range e.vals {
		out[i] = flat(e.t, v)
	}
	return out
}

func flat(t testing.TB, v G.Value) []float64 {
	t.Helper()
	switch x := v.(type) {
	case *G.F64:
		return []float64{float64(*x)}
	case tensor.Tensor:
		d, ok := x.Data().([]float64)
		if !ok {
			if f, ok := x.Data().(float64); ok {
				return []float64{f}
			}
			t.Fatalf("value of type %T", x.Data())
		}
		return append([]float64(nil), d...)
	}
	t.Fatalf("value %T", v)
	return nil
}

// data returns the backing slice of an input node's value, to perturb.
func data(t testing.TB, x *G.Node) []float64 {
	t.Helper()
	switch v := x.Value().(type) {
	case tensor.Tensor:
		return v.Data().([]float64)
	}
	t.Fatalf("input %v has no tensor value", x)
	return nil
}

// fdJacobian returns the 4th-order central finite-difference Jacobian of
// the values of F (read by e at index k) with respect to the elements of the
// input x, row-major (len(F), len(x)).
func fdJacobian(t testing.TB, e *evaluator, k int, x *G.Node, h float64) [][]float64 {
	t.Helper()
	eval := func() []float64 { return e.run()[k] }
	var xs []float64
	var setScalar func(float64)
	if x.IsScalar() {
		v := float64(*x.Value().(*G.F64))
		xs = []float64{v}
		setScalar = func(a float64) {
			if err := G.Let(x, a); err != nil {
				t.Fatal(err)
			}
		}
	} else {
		xs = data(t, x)
	}
	set := func(i int, a float64) {
		if setScalar != nil {
			setScalar(a)
		} else {
			xs[i] = a
		}
	}
	f0 := eval()
	J := make([][]float64, len(f0))
	for r := range J {
		J[r] = make([]float64, len(xs))
	}
	for i := range xs {
		x0 := xs[i]
		set(i, x0-2*h)
		fm2 := eval()
		set(i, x0-h)
		fm1 := eval()
		set(i, x0+h)
		fp1 := eval()
		set(i, x0+2*h)
		fp2 := eval()
		set(i, x0)
		for r := range J {
			J[r][i] = (fm2[r] - 8*fm1[r] + 8*fp1[r] - fp2[r]) / (12 * h)
		}
	}
	return J
}

// checkJacobian checks that the node J (read at index kJ, row-major
// (len(F), len(x))) is the Jacobian of F (index kF) with respect to x, against
// 4th-order finite differences, to tol relative to max(1, |J|). It returns the
// largest error seen. It also checks that two runs give identical values (a
// node overwritten in place would not).
func checkJacobian(t testing.TB, e *evaluator, kF, kJ int, x *G.Node, h, tol float64, what string) float64 {
	t.Helper()
	v1 := e.run()
	v2 := e.run()
	for k := range v1 {
		for i := range v1[k] {
			if v1[k][i] != v2[k][i] && !(math.IsNaN(v1[k][i]) && math.IsNaN(v2[k][i])) {
				t.Fatalf("%s: node %d element %d differs between two runs: %v, %v", what, k, i, v1[k][i], v2[k][i])
			}
		}
	}
	fd := fdJacobian(t, e, kF, x, h)
	got := v1[kJ]
	if len(got) != len(fd)*len(fd[0]) {
		t.Fatalf("%s: derivative has %d elements, want %d×%d", what, len(got), len(fd), len(fd[0]))
	}
	worst := 0.0
	for r := range fd {
		for c := range fd[r] {
			g := got[r*len(fd[r])+c]
			err := math.Abs(g-fd[r][c]) / math.Max(1, math.Abs(fd[r][c]))
			if math.IsNaN(g) || err > tol {
				t.Errorf("%s: [%d,%d] = %.12g, finite differences %.12g (error %.2g > %.2g)", what, r, c, g, fd[r][c], err, tol)
			}
			worst = math.Max(worst, err)
		}
	}
	return worst
}
