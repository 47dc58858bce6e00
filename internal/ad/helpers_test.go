package ad

import (
	"fmt"
	"math"
	"testing"

	"github.com/physbias/physbias/internal/rng"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// allActs lists every activation, for table tests.
var allActs = []Activation{Identity, Tanh, Softplus, Sigmoid, Sin}

// netShapes are the depths and widths every derivative is tested on: no
// hidden layer, one, two and three hidden layers of different widths.
var netShapes = [][]int{{3, 1}, {3, 5, 1}, {2, 7, 6, 1}, {4, 4, 3, 5, 1}}

// vecShapes have vector outputs, for Jacobians, VJPs, JVPs and Derivatives.
var vecShapes = [][]int{{3, 2}, {3, 6, 5, 3}, {2, 4, 4, 4, 2}}

// randomizeBiases replaces the zero biases by U(−0.5, 0.5) values so that
// tests exercise bias gradients and points away from symmetric ones.
func randomizeBiases(t *testing.T, m *MLP, seed uint64) {
	t.Helper()
	r := rng.New(seed)
	for _, b := range m.b {
		d, err := nodeData(b)
		if err != nil {
			t.Fatal(err)
		}
		for i := range d {
			d[i] = r.Float64() - 0.5
		}
	}
}

func randVec(seed uint64, n int, scale float64) []float64 {
	r := rng.New(seed)
	v := make([]float64, n)
	for i := range v {
		v[i] = scale * (2*r.Float64() - 1)
	}
	return v
}

func matrixValue(rows, cols int, data []float64) tensor.Tensor {
	return tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(data))
}

// relErr is ‖got−want‖∞ / ‖want‖∞. When ‖want‖∞ < 1e-8 (e.g. the zero
// second derivatives of a linear network) it returns the absolute error
// ‖got−want‖∞ scaled by 1e3 instead, so that a tolerance of 1e-6 means 1e-9
// absolute: above the ≈1e-10 rounding noise of fd2 on O(1) values.
func relErr(got, want []float64) float64 {
	if len(got) != len(want) {
		return math.Inf(1)
	}
	var d, s float64
	for i := range got {
		d = math.Max(d, math.Abs(got[i]-want[i]))
		s = math.Max(s, math.Abs(want[i]))
		if math.IsNaN(got[i]) || math.IsNaN(want[i]) {
			return math.Inf(1)
		}
	}
	if s < 1e-8 {
		return d * 1e3
	}
	return d / s
}

// fd1 is the 4th-order central difference f′(x) ≈ [−f(x+2h)+8f(x+h)−8f(x−h)+f(x−2h)]/(12h),
// applied to a vector function: it returns df/dx_i for every output.
// Truncation error is h⁴f⁽⁵⁾/30, rounding about ε|f|/h.
func fd1(f func(x []float64) []float64, x []float64, i int, h float64) []float64 {
	xx := append([]float64(nil), x...)
	at := func(s float64) []float64 {
		xx[i] = x[i] + s*h
		return f(xx)
	}
	p2, p1, m1, m2 := at(2), at(1), at(-1), at(-2)
	out := make([]float64, len(p1))
	for k := range out {
		out[k] = (-p2[k] + 8*p1[k] - 8*m1[k] + m2[k]) / (12 * h)
	}
	return out
}

// fd2 is the 4th-order central second difference
// f″(x) ≈ [−f(x+2h)+16f(x+h)−30f(x)+16f(x−h)−f(x−2h)]/(12h²).
func fd2(f func(x []float64) []float64, x []float64, i int, h float64) []float64 {
	xx := append([]float64(nil), x...)
	at := func(s float64) []float64 {
		xx[i] = x[i] + s*h
		return f(xx)
	}
	p2, p1, c, m1, m2 := at(2), at(1), at(0), at(-1), at(-2)
	out := make([]float64, len(p1))
	for k := range out {
		out[k] = (-p2[k] + 16*p1[k] - 30*c[k] + 16*m1[k] - m2[k]) / (12 * h * h)
	}
	return out
}

// graphRun holds a graph, its input x and reads of some nodes.
type graphRun struct {
	g     *G.ExprGraph
	x     *G.Node
	reads []*G.Value
	nodes []*G.Node
	vm    G.VM
}

func (r *graphRun) read(n *G.Node) int {
	v := new(G.Value)
	r.reads = append(r.reads, v)
	k := len(r.reads) - 1
	G.Read(n, v)
	r.nodes = append(r.nodes, n)
	return k
}

// run evaluates the graph at x (B rows) and returns the read values.
func (r *graphRun) run(t *testing.T, x []float64) [][]float64 {
	t.Helper()
	if r.vm == nil {
		r.vm = G.NewTapeMachine(r.g)
	}
	s := r.x.Shape()
	if err := G.Let(r.x, matrixValue(s[0], s[1], append([]float64(nil), x...))); err != nil {
		t.Fatal(err)
	}
	r.vm.Reset()
	if err := r.vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	out := make([][]float64, len(r.reads))
	for k, v := range r.reads {
		if *v == nil {
			t.Fatalf("node %d (%v) not read", k, r.nodes[k])
		}
		switch d := (*v).Data().(type) {
		case []float64:
			out[k] = append([]float64(nil), d...)
		case float64:
			out[k] = []float64{d}
		default:
			t.Fatalf("node %d holds %T", k, d)
		}
	}
	return out
}

func newNet(t *testing.T, sizes []int, act Activation, batch int, seed uint64) (*MLP, *graphRun) {
	t.Helper()
	g := G.NewGraph()
	m, err := NewMLP(g, "f", sizes, act, seed)
	if err != nil {
		t.Fatal(err)
	}
	randomizeBiases(t, m, seed+1000)
	x := G.NewMatrix(g, G.Float64, G.WithShape(batch, sizes[0]), G.WithName("x"))
	return m, &graphRun{g: g, x: x}
}

func name(sizes []int, act Activation) string { return fmt.Sprintf("%v/%v", sizes, act) }

// row returns row b of a row-major (B, n) slice.
func row(d []float64, b, n int) []float64 { return d[b*n : (b+1)*n] }

func matrixValue3(a, b, c int, data []float64) tensor.Tensor {
	return tensor.New(tensor.WithShape(a, b, c), tensor.WithBacking(data))
}

// newActCache is a cache for every derivative order (the fused passes ask
// newActCacheOrder for the order they need).
func newActCache() *actCache { return newActCacheOrder(0) }
