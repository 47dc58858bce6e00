package linalg

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// sizes covers a single system, a batch just at and above 256 (gorgonia's
// slice hashing wraps at 256, so per-element bugs past 255 would show), and
// the system sizes 1 to MaxN.
var sizes = []struct{ nb, n int }{
	{1, 1}, {1, 2}, {1, 4}, {1, 16},
	{256, 1}, {256, 2}, {256, 4}, {256, 16},
	{300, 1}, {300, 2}, {300, 4}, {300, 16},
}

// TestSolveMatchesGonum compares Solve and SolveT with gonum's
// mat.VecDense.SolveVec on well-conditioned random systems. Both are
// backward stable and cond(A) = O(10), so they agree to a few ulps; 1e-10
// relative to max|x| leaves a wide margin.
func TestSolveMatchesGonum(t *testing.T) {
	for _, sz := range sizes {
		for _, trans := range []bool{false, true} {
			t.Run(fmt.Sprintf("B=%d/n=%d/trans=%t", sz.nb, sz.n, trans), func(t *testing.T) {
				nb, n := sz.nb, sz.n
				a, b := wellConditioned(newRand(uint64(100*nb+n)), nb, n)
				g := G.NewGraph()
				an := input(g, "A", a, nb, n, n)
				bn := input(g, "b", b, nb, n)
				x, err := solveFunc(trans)(an, bn)
				if err != nil {
					t.Fatal(err)
				}
				if !x.Shape().Eq(tensor.Shape{nb, n}) {
					t.Fatalf("shape %v, want (%d, %d)", x.Shape(), nb, n)
				}
				xr := read(x)
				if err := run(g); err != nil {
					t.Fatal(err)
				}
				got := xr.data(t)
				var worst float64
				for i := range nb {
					want := gonumSolve(t, a[i*n*n:(i+1)*n*n], b[i*n:i*n+n], n, trans)
					e := maxRelErr(got[i*n:i*n+n], want, 1)
					worst = math.Max(worst, e)
					if e > 1e-10 {
						t.Fatalf("batch element %d: got %v, gonum %v (rel err %.3g)", i, got[i*n:i*n+n], want, e)
					}
				}
				t.Logf("max rel err vs gonum %.2g", worst)
			})
		}
	}
}

// TestSolveStridedInput feeds the Op a transposed view (a strided tensor)
// directly: it must solve with the viewed matrix, i.e. Aᵀ.
func TestSolveStridedInput(t *testing.T) {
	const nb, n = 3, 4
	a, b := wellConditioned(newRand(7), nb, n)
	at := tensor.New(tensor.WithShape(nb, n, n), tensor.WithBacking(append([]float64(nil), a...)))
	if err := at.T(0, 2, 1); err != nil {
		t.Fatal(err)
	}
	bt := tensor.New(tensor.WithShape(nb, n), tensor.WithBacking(append([]float64(nil), b...)))
	v, err := solveOp{}.Do(at, bt)
	if err != nil {
		t.Fatal(err)
	}
	got := v.Data().([]float64)
	for i := range nb {
		want := gonumSolve(t, a[i*n*n:(i+1)*n*n], b[i*n:i*n+n], n, true)
		if e := maxRelErr(got[i*n:i*n+n], want, 1); e > 1e-10 {
			t.Fatalf("batch element %d: got %v, want %v", i, got[i*n:i*n+n], want)
		}
	}
}

// TestSolveRerun runs one machine twice with new inputs: the second run
// writes into the memory of the first (UsePreallocDo) and must still be right.
func TestSolveRerun(t *testing.T) {
	const nb, n = 300, 3
	g := G.NewGraph()
	a1, b1 := wellConditioned(newRand(1), nb, n)
	an := input(g, "A", a1, nb, n, n)
	bn := input(g, "b", b1, nb, n)
	x, err := Solve(an, bn)
	if err != nil {
		t.Fatal(err)
	}
	xr := read(x)
	m := G.NewTapeMachine(g)
	defer m.Close()
	for run := range 3 {
		a, b := wellConditioned(newRand(uint64(10+run)), nb, n)
		if err := G.Let(an, tensor.New(tensor.WithShape(nb, n, n), tensor.WithBacking(a))); err != nil {
			t.Fatal(err)
		}
		if err := G.Let(bn, tensor.New(tensor.WithShape(nb, n), tensor.WithBacking(b))); err != nil {
			t.Fatal(err)
		}
		if err := m.RunAll(); err != nil {
			t.Fatal(err)
		}
		got := xr.data(t)
		for i := range nb {
			want := gonumSolve(t, a[i*n*n:(i+1)*n*n], b[i*n:i*n+n], n, false)
			if e := maxRelErr(got[i*n:i*n+n], want, 1); e > 1e-10 {
				t.Fatalf("run %d, batch element %d: got %v, want %v", run, i, got[i*n:i*n+n], want)
			}
		}
		m.Reset()
	}
}

// TestSolveSingular checks that singular, numerically singular and
// non-finite systems make RunAll return an error naming the batch element,
// instead of panicking or writing Inf.
func TestSolveSingular(t *testing.T) {
	const nb, n = 300, 3
	cases := []struct {
		name    string
		spoil   func(a, b []float64) // spoils batch element 257
		wantSE  bool                 // a *SingularError is expected
		message string
	}{
		{"rank-deficient", func(a, b []float64) {
			for c := range n { // row 2 = 2·row 0
				a[2*n+c] = 2 * a[c]
			}
		}, true, "singular"},
		{"zero", func(a, b []float64) { clear(a) }, true, "singular"},
		{"nearly singular", func(a, b []float64) {
			for c := range n { // row 1 = row 0 + 1e-14·e_c: pivot ≈ 1e-14·max|A|
				a[n+c] = a[c]
			}
			a[n+1] += 1e-14
		}, true, "singular"},
		{"NaN in A", func(a, b []float64) { a[4] = math.NaN() }, true, "NaN or Inf"},
		{"Inf in A", func(a, b []float64) { a[0] = math.Inf(-1) }, true, "NaN or Inf"},
		{"NaN in b", func(a, b []float64) { b[1] = math.NaN() }, false, "right-hand side"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := wellConditioned(newRand(3), nb, n)
			const bad = 257
			c.spoil(a[bad*n*n:(bad+1)*n*n], b[bad*n:bad*n+n])
			g := G.NewGraph()
			x, err := Solve(input(g, "A", a, nb, n, n), input(g, "b", b, nb, n))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := G.Sum(x); err != nil {
				t.Fatal(err)
			}
			err = run(g)
			if err == nil {
				t.Fatal("RunAll succeeded on a singular system")
			}
			se, ok := AsSingular(err)
			if ok != c.wantSE {
				t.Fatalf("AsSingular = %t, want %t: %v", ok, c.wantSE, err)
			}
			var direct *SingularError
			if errors.As(err, &direct) && !ok {
				t.Fatal("errors.As finds the SingularError but AsSingular does not")
			}
			if se != nil && se.Batch != bad {
				t.Fatalf("SingularError.Batch = %d, want %d", se.Batch, bad)
			}
			if msg := err.Error(); !strings.Contains(msg, "batch element 257") || !strings.Contains(msg, c.message) ||
				!strings.Contains(msg, "linalg: Solve: ") {
				t.Fatalf("error %q does not name the batch element or the cause %q", msg, c.message)
			}
		})
	}
}

// TestSolveBuildErrors checks the errors Solve returns while the graph is
// built.
func TestSolveBuildErrors(t *testing.T) {
	g := G.NewGraph()
	mk := func(dt tensor.Dtype, shape ...int) *G.Node {
		return G.NewTensor(g, dt, len(shape), G.WithShape(shape...))
	}
	other := G.NewGraph()
	cases := []struct {
		name string
		a, b *G.Node
		want string
	}{
		{"nil A", nil, mk(tensor.Float64, 2, 3), "A is nil"},
		{"nil b", mk(tensor.Float64, 2, 3, 3), nil, "b is nil"},
		{"A rank 2", mk(tensor.Float64, 3, 3), mk(tensor.Float64, 2, 3), "want rank 3"},
		{"b rank 1", mk(tensor.Float64, 2, 3, 3), mk(tensor.Float64, 3), "want rank 2"},
		{"b rank 3", mk(tensor.Float64, 2, 3, 3), mk(tensor.Float64, 2, 3, 1), "want rank 2"},
		{"A not square", mk(tensor.Float64, 2, 3, 4), mk(tensor.Float64, 2, 3), "want (B, n, n)"},
		{"batch mismatch", mk(tensor.Float64, 2, 3, 3), mk(tensor.Float64, 4, 3), "to match A"},
		{"n mismatch", mk(tensor.Float64, 2, 3, 3), mk(tensor.Float64, 2, 4), "to match A"},
		{"n = 17", mk(tensor.Float64, 2, 17, 17), mk(tensor.Float64, 2, 17), "1 ≤ n ≤ 16"},
		{"float32", mk(tensor.Float32, 2, 3, 3), mk(tensor.Float32, 2, 3), "want float64"},
		{"float64 A, float32 b", mk(tensor.Float64, 2, 3, 3), mk(tensor.Float32, 2, 3), "want float64"},
		{"graphs", mk(tensor.Float64, 2, 3, 3), G.NewTensor(other, tensor.Float64, 2, G.WithShape(2, 3)), "different graphs"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, err := Solve(c.a, c.b)
			if err == nil {
				t.Fatalf("no error, got node %v", x)
			}
			if !strings.HasPrefix(err.Error(), "linalg: ") || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q, want one containing %q", err, c.want)
			}
		})
	}
	// n < 1 and an empty batch: gorgonia may refuse to build such nodes, so
	// the shape rule is checked where Solve applies it.
	for _, s := range [][2]tensor.Shape{{{2, 0, 0}, {2, 0}}, {{0, 2, 2}, {0, 2}}} {
		if _, err := (solveOp{}).InferShape(s[0], s[1]); err == nil {
			t.Errorf("InferShape(%v, %v) accepted an empty system", s[0], s[1])
		}
	}
}

// TestOpHashes checks that Ops differing in any parameter hash differently,
// so gorgonia's hash deduplication never merges them.
func TestOpHashes(t *testing.T) {
	ops := []G.Op{
		solveOp{}, solveOp{trans: true},
		outerOp{scale: 1}, outerOp{scale: -1}, outerOp{scale: 1 + 1.0/(1<<52)},
		matVecOp{scale: 1}, matVecOp{trans: true, scale: 1}, matVecOp{scale: -1}, matVecOp{trans: true, scale: -1},
	}
	seen := map[uint32]G.Op{}
	for _, op := range ops {
		h := op.Hashcode()
		if prev, ok := seen[h]; ok {
			t.Fatalf("%v and %v share hash %x", prev, op, h)
		}
		seen[h] = op
	}
}

// TestTwoSolvesDistinct builds several solves in one graph, with different
// shapes and with the same inputs transposed or not, and checks they stay
// distinct nodes with the right values and gradients.
func TestTwoSolvesDistinct(t *testing.T) {
	type sys struct {
		nb, n int
		trans bool
	}
	systems := []sys{{3, 2, false}, {5, 4, false}, {300, 2, false}, {300, 2, true}}
	g := G.NewGraph()
	var (
		as, bs [][]float64
		xs     []*G.Node
		xr     []*reader
		ins    G.Nodes
		loss   *G.Node
	)
	for k, s := range systems {
		a, b := wellConditioned(newRand(uint64(50+k)), s.nb, s.n)
		if k == 3 { // the same data as system 2, so only trans differs
			a, b = as[2], bs[2]
		}
		an := input(g, fmt.Sprintf("A%d", k), a, s.nb, s.n, s.n)
		bn := input(g, fmt.Sprintf("b%d", k), b, s.nb, s.n)
		if k == 3 {
			an, bn = ins[4], ins[5]
		}
		f := Solve
		if s.trans {
			f = SolveT
		}
		x, err := f(an, bn)
		if err != nil {
			t.Fatal(err)
		}
		for _, prev := range xs {
			if prev == x {
				t.Fatalf("system %d came back as an earlier node", k)
			}
		}
		sum, err := G.Sum(x)
		if err != nil {
			t.Fatal(err)
		}
		if loss == nil {
			loss = sum
		} else if loss, err = G.Add(loss, sum); err != nil {
			t.Fatal(err)
		}
		as, bs, xs = append(as, a), append(bs, b), append(xs, x)
		xr = append(xr, read(x))
		if k < 3 {
			ins = append(ins, an, bn)
		}
	}
	grads, err := G.Grad(loss, ins...)
	if err != nil {
		t.Fatal(err)
	}
	var gr []*reader
	for _, gn := range grads {
		gr = append(gr, read(gn))
	}
	if err := run(g); err != nil {
		t.Fatal(err)
	}
	for k, s := range systems {
		got := xr[k].data(t)
		for i := range s.nb {
			want := gonumSolve(t, as[k][i*s.n*s.n:(i+1)*s.n*s.n], bs[k][i*s.n:(i+1)*s.n], s.n, s.trans)
			if e := maxRelErr(got[i*s.n:(i+1)*s.n], want, 1); e > 1e-10 {
				t.Fatalf("system %d, batch element %d: got %v, want %v", k, i, got[i*s.n:(i+1)*s.n], want)
			}
		}
	}
	// ∂(Σx)/∂b = A⁻ᵀ1 for Solve and A⁻¹1 for SolveT; systems 2 and 3 share
	// b, so its gradient is the sum of both.
	ones := []float64{1, 1, 1, 1}
	for k := range 3 {
		s := systems[k]
		got := gr[2*k+1].data(t)
		for i := range s.nb {
			ai := as[k][i*s.n*s.n : (i+1)*s.n*s.n]
			want := gonumSolve(t, ai, ones[:s.n], s.n, true)
			if k == 2 {
				w2 := gonumSolve(t, ai, ones[:s.n], s.n, false)
				for j := range want {
					want[j] += w2[j]
				}
			}
			if e := maxRelErr(got[i*s.n:(i+1)*s.n], want, 1); e > 1e-10 {
				t.Fatalf("∂b of system %d, batch element %d: got %v, want %v", k, i, got[i*s.n:(i+1)*s.n], want)
			}
		}
	}
}
