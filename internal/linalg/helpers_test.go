package linalg

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/physbias/physbias/internal/rng"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// wellConditioned returns nb random n×n systems (row-major A, then b) that
// are far from singular: a strictly diagonally dominant matrix
// (off-diagonal entries in (−1, 1), diagonal n + 1 + U(−1, 1)) whose rows
// are then shuffled, so partial pivoting has to swap rows. Each row's
// diagonal exceeds the sum of its off-diagonal magnitudes by at least 1 (by
// about n/2 on average), so ‖A⁻¹‖∞ < 1, the condition number is O(1)–O(10)
// and comparisons and finite differences
// hold to near machine precision (DESIGN.md: random matrices from a network
// can be near-singular, these cannot).
func wellConditioned(r *rand.Rand, nb, n int) (a, b []float64) {
	a = make([]float64, nb*n*n)
	b = make([]float64, nb*n)
	row := make([]float64, n*n)
	for i := range nb {
		for k := range row {
			row[k] = 2*r.Float64() - 1
		}
		for k := range n {
			row[k*n+k] += float64(n + 1)
		}
		p := r.Perm(n)
		ai := a[i*n*n : (i+1)*n*n]
		for k, src := range p {
			copy(ai[k*n:k*n+n], row[src*n:src*n+n])
		}
		for k := range n {
			b[i*n+k] = 2*r.Float64() - 1
		}
	}
	return a, b
}

// gonumSolve solves the n×n system a x = b (or aᵀ x = b) with gonum.
func gonumSolve(t testing.TB, a, b []float64, n int, trans bool) []float64 {
	t.Helper()
	am := mat.NewDense(n, n, append([]float64(nil), a...))
	var m mat.Matrix = am
	if trans {
		m = am.T()
	}
	var x mat.VecDense
	if err := x.SolveVec(m, mat.NewVecDense(n, append([]float64(nil), b...))); err != nil {
		t.Fatalf("gonum solve: %v", err)
	}
	return x.RawVector().Data
}

// input makes a float64 input node of the given shape holding data.
func input(g *G.ExprGraph, name string, data []float64, shape ...int) *G.Node {
	v := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), data...)))
	return G.NewTensor(g, tensor.Float64, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(v))
}

// reader reads a node's value out of a run (the tape machine may reuse the
// memory of intermediate nodes, so Value() after RunAll is not safe).
type reader struct {
	v G.Value
}

func (r *reader) data(t testing.TB) []float64 {
	t.Helper()
	d, ok := r.v.Data().([]float64)
	if !ok {
		t.Fatalf("read value is %T", r.v.Data())
	}
	return append([]float64(nil), d...)
}

func read(n *G.Node) *reader {
	r := new(reader)
	G.Read(n, &r.v)
	return r
}

// run compiles g into a tape machine and runs it once.
func run(g *G.ExprGraph) error {
	m := G.NewTapeMachine(g)
	defer m.Close()
	return m.RunAll()
}

// solveFunc returns SolveT when trans is set, Solve otherwise.
func solveFunc(trans bool) func(a, b *G.Node) (*G.Node, error) {
	if trans {
		return SolveT
	}
	return Solve
}

// uniform returns k values uniform in [−1, 1) drawn from r.
func uniform(r *rand.Rand, k int) []float64 {
	s := make([]float64, k)
	for i := range s {
		s[i] = 2*r.Float64() - 1
	}
	return s
}

// weightedGrads adds the loss L = Σ W ⊙ out to g, runs g once and returns
// ∂L/∂x from gorgonia's Grad for each x of xs.
func weightedGrads(t testing.TB, g *G.ExprGraph, w, out *G.Node, xs ...*G.Node) [][]float64 {
	t.Helper()
	prod, err := G.HadamardProd(w, out)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := G.Sum(prod)
	if err != nil {
		t.Fatal(err)
	}
	grads, err := G.Grad(loss, xs...)
	if err != nil {
		t.Fatal(err)
	}
	rs := make([]*reader, len(grads))
	for i, gr := range grads {
		rs[i] = read(gr)
	}
	if err := run(g); err != nil {
		t.Fatal(err)
	}
	got := make([][]float64, len(rs))
	for i, r := range rs {
		got[i] = r.data(t)
	}
	return got
}

// fdGrad returns the central differences of l with respect to every
// coordinate of v, with step h.
func fdGrad(l func() float64, v []float64, h float64) []float64 {
	fd := make([]float64, len(v))
	for k := range v {
		fd[k] = centralDiff(l, v, k, h)
	}
	return fd
}

// maxRelErr returns max|got−want| / max(max|want|, floor).
func maxRelErr(got, want []float64, floor float64) float64 {
	var num, den float64
	for i := range want {
		num = math.Max(num, math.Abs(got[i]-want[i]))
		den = math.Max(den, math.Abs(want[i]))
	}
	return num / math.Max(den, floor)
}

// centralDiff returns (f(x+h e_k) − f(x−h e_k)) / 2h for one coordinate k of
// x, restoring x afterwards.
func centralDiff(f func() float64, x []float64, k int, h float64) float64 {
	x0 := x[k]
	x[k] = x0 + h
	fp := f()
	x[k] = x0 - h
	fm := f()
	x[k] = x0
	return (fp - fm) / (2 * h)
}

func newRand(seed uint64) *rand.Rand { return rng.New(seed) }
