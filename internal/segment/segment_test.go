package segment

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/rng"
)

// input makes a float64 matrix input node holding a copy of data.
func input(g *G.ExprGraph, name string, data []float64, r, c int) *G.Node {
	v := tensor.New(tensor.WithShape(r, c), tensor.WithBacking(append([]float64(nil), data...)))
	return G.NewMatrix(g, tensor.Float64, G.WithShape(r, c), G.WithName(name), G.WithValue(v))
}

func randn(r *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	return x
}

// build applies op to an input x (rows, f) and returns loss = Σ c ⊙ y²
// (a nonlinear scalar so that the gradient depends on the op's values).
type build func(x *G.Node) (*G.Node, error)

// runLoss runs loss(op(x)) and, with grad set, ∂loss/∂x.
func runLoss(t *testing.T, op build, x []float64, rows, f int, c []float64, grad bool) (float64, []float64, []float64) {
	t.Helper()
	g := G.NewGraph()
	xn := input(g, "x", x, rows, f)
	y, err := op(xn)
	if err != nil {
		t.Fatal(err)
	}
	s := y.Shape()
	cn := input(g, "c", c, s[0], s[1])
	sq, err := G.Square(y)
	if err != nil {
		t.Fatal(err)
	}
	prod, err := G.HadamardProd(sq, cn)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := G.Sum(prod)
	if err != nil {
		t.Fatal(err)
	}
	var lv, yv G.Value
	G.Read(loss, &lv)
	G.Read(y, &yv)
	if grad {
		if _, err := G.Grad(loss, xn); err != nil {
			t.Fatal(err)
		}
	}
	m := G.NewTapeMachine(g, G.BindDualValues(xn))
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	l := float64(*lv.(*G.F64))
	yd := append([]float64(nil), yv.Data().([]float64)...)
	var dx []float64
	if grad {
		d, err := xn.Grad()
		if err != nil {
			t.Fatal(err)
		}
		dx = append([]float64(nil), d.Data().([]float64)...)
	}
	return l, yd, dx
}

// checkGradFD compares the op's gradient with 4th-order central finite
// differences of the same graph's forward pass.
func checkGradFD(t *testing.T, op build, x []float64, rows, f, outRows int, tol float64) {
	t.Helper()
	r := rng.New(7)
	c := randn(r, outRows*f)
	_, _, dx := runLoss(t, op, x, rows, f, c, true)
	const h = 1e-3
	xp := append([]float64(nil), x...)
	at := func(i int, d float64) float64 {
		xp[i] = x[i] + d
		l, _, _ := runLoss(t, op, xp, rows, f, c, false)
		xp[i] = x[i]
		return l
	}
	worst := 0.0
	for i := range x {
		fd := (-at(i, 2*h) + 8*at(i, h) - 8*at(i, -h) + at(i, -2*h)) / (12 * h)
		worst = max(worst, math.Abs(fd-dx[i])/(1+math.Abs(fd)))
	}
	if worst > tol {
		t.Fatalf("gradient vs finite differences: worst relative error %.3g > %.3g", worst, tol)
	}
	t.Logf("gradient vs finite differences: worst relative error %.2g", worst)
}

func TestSumMatchesIncidence(t *testing.T) {
	// Against a dense incidence matrix product out = Aᵀ x, A[e,s] = w[e]
	// when seg[e] = s; sizes the gnn package does not use.
	r := rng.New(1)
	for _, tc := range []struct{ e, n, f int }{{1, 1, 1}, {7, 3, 2}, {300, 17, 5}, {1000, 600, 3}} {
		seg := make([]int, tc.e)
		for i := range seg {
			seg[i] = r.IntN(tc.n)
		}
		x := randn(r, tc.e*tc.f)
		w := randn(r, tc.e)
		for _, weighted := range []bool{false, true} {
			ww := w
			if !weighted {
				ww = nil
			}
			op := func(xn *G.Node) (*G.Node, error) { return WeightedSum(xn, seg, ww, tc.n) }
			_, y, _ := runLoss(t, op, x, tc.e, tc.f, make([]float64, tc.n*tc.f), false)
			want := make([]float64, tc.n*tc.f)
			for e, s := range seg {
				we := 1.0
				if weighted {
					we = w[e]
				}
				for k := range tc.f {
					want[s*tc.f+k] += we * x[e*tc.f+k]
				}
			}
			for i := range want {
				if math.Abs(y[i]-want[i]) > 1e-12*(1+math.Abs(want[i])) {
					t.Fatalf("%+v weighted=%v: out[%d] = %v, want %v", tc, weighted, i, y[i], want[i])
				}
			}
		}
	}
}

func TestGradientsFD(t *testing.T) {
	r := rng.New(2)
	const e, n, f = 11, 4, 3
	// segment 3 stays empty, segment 0 has repeated rows.
	seg := []int{0, 2, 0, 1, 0, 2, 1, 0, 2, 2, 1}
	x := randn(r, e*f)
	w := randn(r, e)
	// idx repeats rows of a (n, f) matrix.
	idx := []int{0, 0, 3, 1, 3, 3, 2, 0}
	xn := randn(r, n*f)
	// Measured worst relative errors 2e-13 to 3.2e-12 (h = 1e-3, 4th order,
	// the max one largest); bound 2e-11.
	cases := []struct {
		name       string
		op         build
		x          []float64
		rows, outs int
	}{
		{"Sum", func(x *G.Node) (*G.Node, error) { return Sum(x, seg, n) }, x, e, n},
		{"WeightedSum", func(x *G.Node) (*G.Node, error) { return WeightedSum(x, seg, w, n) }, x, e, n},
		{"Mean", func(x *G.Node) (*G.Node, error) { return Mean(x, seg, n) }, x, e, n},
		{"Max", func(x *G.Node) (*G.Node, error) { return Max(x, seg, n) }, x, e, n},
		{"Gather", func(x *G.Node) (*G.Node, error) { return Gather(x, idx) }, xn, n, len(idx)},
		{"WeightedGather", func(x *G.Node) (*G.Node, error) { return WeightedGather(x, idx, w[:len(idx)]) }, xn, n, len(idx)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkGradFD(t, tc.op, tc.x, tc.rows, f, tc.outs, 2e-11) })
	}
}

func TestGatherRepeatedIndexGradient(t *testing.T) {
	// DESIGN.md's ByIndices case: gathering [0,0,3,1,4,4] from 5 values
	// (here an (5,1) column) with upstream gradient 1,2,...,6 gives
	// [1+2, 4, 0, 3, 5+6] = [3 4 0 3 11].
	g := G.NewGraph()
	x := input(g, "x", []float64{1, 2, 3, 4, 5}, 5, 1)
	y, err := Gather(x, []int{0, 0, 3, 1, 4, 4})
	if err != nil {
		t.Fatal(err)
	}
	c := input(g, "c", []float64{1, 2, 3, 4, 5, 6}, 6, 1)
	p, _ := G.HadamardProd(y, c)
	loss, _ := G.Sum(p)
	if _, err := G.Grad(loss, x); err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g, G.BindDualValues(x))
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	d, _ := x.Grad()
	got := d.Data().([]float64)
	want := []float64{3, 4, 0, 3, 11}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("gradient %v, want %v", got, want)
		}
	}
}

func TestMaxValues(t *testing.T) {
	// Segments: 0 ← rows 0, 2; 1 ← row 1; 2 empty → 0; ties take the
	// first row; NaN loses to a number.
	nan := math.NaN()
	x := []float64{
		1, nan,
		-5, 2,
		3, -1,
	}
	seg := []int{0, 1, 0}
	op := func(xn *G.Node) (*G.Node, error) { return Max(xn, seg, 3) }
	_, y, _ := runLoss(t, op, x, 3, 2, make([]float64, 6), false)
	want := []float64{3, -1, -5, 2, 0, 0}
	for i := range want {
		if y[i] != want[i] {
			t.Fatalf("max = %v, want %v", y, want)
		}
	}
}

func TestHashDistinguishesIndices(t *testing.T) {
	// Two sums over index sets that differ only at entry 300 (beyond a
	// byte) must stay two nodes; DESIGN.md's sliceOp hashed modulo 256.
	const e = 400
	a := make([]int, e)
	b := make([]int, e)
	for i := range a {
		a[i] = i % 3
		b[i] = i % 3
	}
	b[300] = (b[300] + 1) % 3
	g := G.NewGraph()
	x := input(g, "x", make([]float64, e), e, 1)
	ya, err := Sum(x, a, 3)
	if err != nil {
		t.Fatal(err)
	}
	yb, err := Sum(x, b, 3)
	if err != nil {
		t.Fatal(err)
	}
	if ya == yb {
		t.Fatal("sums over different indices were merged into one node")
	}
	yc, _ := Sum(x, append([]int(nil), a...), 3)
	if yc != ya {
		t.Fatal("sums over equal indices were not merged (hash not a function of the contents)")
	}
	ym, _ := Mean(x, a, 3)
	if ym == ya {
		t.Fatal("mean merged with sum")
	}
}

func TestBadInput(t *testing.T) {
	g := G.NewGraph()
	x := input(g, "x", make([]float64, 6), 3, 2)
	v := G.NewVector(g, tensor.Float64, G.WithShape(3), G.WithName("v"))
	i32 := G.NewMatrix(g, tensor.Float32, G.WithShape(3, 2), G.WithName("f32"))
	cases := []struct {
		name string
		f    func() (*G.Node, error)
		want string
	}{
		{"out of range", func() (*G.Node, error) { return Sum(x, []int{0, 3, 1}, 3) }, "out of range"},
		{"negative", func() (*G.Node, error) { return Max(x, []int{0, -1, 1}, 3) }, "out of range"},
		{"rows", func() (*G.Node, error) { return Sum(x, []int{0, 1}, 3) }, "rows"},
		{"no segments", func() (*G.Node, error) { return Mean(x, []int{0, 0, 0}, 0) }, "segments"},
		{"empty index", func() (*G.Node, error) { return Gather(x, nil) }, "empty"},
		{"gather range", func() (*G.Node, error) { return Gather(x, []int{3}) }, "out of range"},
		{"weights", func() (*G.Node, error) { return WeightedSum(x, []int{0, 1, 2}, []float64{1, 2}, 3) }, "weights"},
		{"nan weight", func() (*G.Node, error) { return WeightedSum(x, []int{0, 1, 2}, []float64{1, math.NaN(), 2}, 3) }, "NaN"},
		{"vector", func() (*G.Node, error) { return Sum(v, []int{0, 1, 2}, 3) }, "matrix"},
		{"dtype", func() (*G.Node, error) { return Sum(i32, []int{0, 1, 2}, 3) }, "float64"},
		{"nil", func() (*G.Node, error) { return Max(nil, []int{0}, 1) }, "nil"},
	}
	for _, tc := range cases {
		_, err := tc.f()
		if err == nil || !strings.HasPrefix(err.Error(), "segment: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one starting with segment: and naming %q", tc.name, err, tc.want)
		}
	}
}

func TestIndicesCopied(t *testing.T) {
	seg := []int{0, 1, 1}
	g := G.NewGraph()
	x := input(g, "x", []float64{1, 2, 3}, 3, 1)
	y, err := Sum(x, seg, 2)
	if err != nil {
		t.Fatal(err)
	}
	seg[0] = 1 // must not change the op
	var yv G.Value
	G.Read(y, &yv)
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	if got := yv.Data().([]float64); got[0] != 1 || got[1] != 5 {
		t.Fatalf("sum = %v, want [1 5]", got)
	}
}
