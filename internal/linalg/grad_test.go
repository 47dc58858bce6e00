package linalg

import (
	"fmt"
	"math"
	"slices"
	"testing"

	G "gorgonia.org/gorgonia"
)

// Finite-difference settings shared by the gradient tests. With central
// differences, step h = 1e-6 and O(1) inputs of well-conditioned systems,
// the truncation error is O(h²)·|f‴| ≈ 1e-12 and the rounding error
// O(ε|f|/h) ≈ 1e-10, so a 1e-6 relative tolerance (relative to the largest
// gradient component of the batch element, floor 1) is far above the noise
// and far below any real mistake (a wrong sign, transpose or index moves
// components by O(1)).
const (
	fdStep = 1e-6
	fdTol  = 1e-6
)

// checked returns the batch elements whose every matrix entry is checked by
// finite differences: all of them for small systems, else the first ones,
// the middle and those around 256 (where gorgonia's slice hashing wraps).
func checked(nb, n int) []int {
	if n <= 4 {
		out := make([]int, nb)
		for i := range out {
			out[i] = i
		}
		return out
	}
	var out []int
	for _, i := range []int{0, 1, nb / 2, 254, 255, 256, 257, nb - 1} {
		if i >= 0 && i < nb && !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	return out
}

// TestSolveGradFD checks ∂L/∂A and ∂L/∂b of L = Σ W ⊙ x, x = Solve(A, b)
// (and SolveT), from gorgonia's Grad through the Op's SymDiff, against
// central differences of the same loss computed with gonum's solver.
func TestSolveGradFD(t *testing.T) {
	for _, sz := range sizes {
		for _, trans := range []bool{false, true} {
			t.Run(fmt.Sprintf("B=%d/n=%d/trans=%t", sz.nb, sz.n, trans), func(t *testing.T) {
				nb, n := sz.nb, sz.n
				r := newRand(uint64(1000*nb + n))
				a, b := wellConditioned(r, nb, n)
				w := uniform(r, nb*n)
				g := G.NewGraph()
				an := input(g, "A", a, nb, n, n)
				bn := input(g, "b", b, nb, n)
				wn := input(g, "W", w, nb, n)
				x, err := solveFunc(trans)(an, bn)
				if err != nil {
					t.Fatal(err)
				}
				grads := weightedGrads(t, g, wn, x, an, bn)
				gotA, gotB := grads[0], grads[1]

				var worst float64
				check := func(i int, ai, bi []float64, got []float64, v []float64, which string) {
					li := func() float64 {
						xi := gonumSolve(t, ai, bi, n, trans)
						var s float64
						for j, xj := range xi {
							s += w[i*n+j] * xj
						}
						return s
					}
					fd := fdGrad(li, v, fdStep)
					e := maxRelErr(got, fd, 1)
					worst = math.Max(worst, e)
					if e > fdTol {
						t.Fatalf("∂L/∂%s of batch element %d: Grad %v, finite differences %v (rel err %.3g)", which, i, got, fd, e)
					}
				}
				for i := range nb {
					ai := slices.Clone(a[i*n*n : (i+1)*n*n])
					bi := slices.Clone(b[i*n : (i+1)*n])
					check(i, ai, bi, gotB[i*n:(i+1)*n], bi, "b")
				}
				for _, i := range checked(nb, n) {
					ai := slices.Clone(a[i*n*n : (i+1)*n*n])
					bi := slices.Clone(b[i*n : (i+1)*n])
					check(i, ai, bi, gotA[i*n*n:(i+1)*n*n], ai, "A")
				}
				t.Logf("max rel err vs finite differences %.2g", worst)
			})
		}
	}
}

// TestChainedSolveGradFD checks gradients when A is used twice,
// y = A⁻¹(A⁻¹b), so its derivative is the sum of two SymDiff contributions
// and the second solve's upstream gradient comes from the first's.
func TestChainedSolveGradFD(t *testing.T) {
	const nb, n = 300, 3
	r := newRand(99)
	a, b := wellConditioned(r, nb, n)
	w := uniform(r, nb*n)
	g := G.NewGraph()
	an := input(g, "A", a, nb, n, n)
	bn := input(g, "b", b, nb, n)
	wn := input(g, "W", w, nb, n)
	x1, err := Solve(an, bn)
	if err != nil {
		t.Fatal(err)
	}
	y, err := Solve(an, x1)
	if err != nil {
		t.Fatal(err)
	}
	grads := weightedGrads(t, g, wn, y, an, bn)
	gotA, gotB := grads[0], grads[1]
	for i := range nb {
		ai := slices.Clone(a[i*n*n : (i+1)*n*n])
		bi := slices.Clone(b[i*n : (i+1)*n])
		li := func() float64 {
			yi := gonumSolve(t, ai, gonumSolve(t, ai, bi, n, false), n, false)
			var s float64
			for j := range yi {
				s += w[i*n+j] * yi[j]
			}
			return s
		}
		for _, c := range []struct {
			v, got []float64
			which  string
		}{{ai, gotA[i*n*n : (i+1)*n*n], "A"}, {bi, gotB[i*n : (i+1)*n], "b"}} {
			fd := fdGrad(li, c.v, fdStep)
			if e := maxRelErr(c.got, fd, 1); e > fdTol {
				t.Fatalf("∂L/∂%s of batch element %d: Grad %v, finite differences %v (rel err %.3g)", c.which, i, c.got, fd, e)
			}
		}
	}
}

// TestOuterMatVecFD checks the values of Outer, MatVec and MatTVec (and the
// scaled Ops the derivatives use) against plain loops, and their gradients
// from Grad against central differences of L = Σ W ⊙ y. These Ops are
// bilinear, so central differences are exact up to rounding (≈1e-10).
func TestOuterMatVecFD(t *testing.T) {
	const nb, n, m = 257, 3, 2
	r := newRand(5)
	type tc struct {
		name   string
		op     G.Op
		xs, ys []int // input shapes (first input, second input) and output shape
		out    []int
		ref    func(x, y []float64) []float64
	}
	outer := func(s float64) func(u, v []float64) []float64 {
		return func(u, v []float64) []float64 {
			c := make([]float64, nb*n*m)
			for i := range nb {
				for p := range n {
					for q := range m {
						c[(i*n+p)*m+q] = s * u[i*n+p] * v[i*m+q]
					}
				}
			}
			return c
		}
	}
	matvec := func(trans bool, s float64) func(mt, u []float64) []float64 {
		return func(mt, u []float64) []float64 {
			rows, cols := n, m
			if trans {
				rows, cols = m, n
			}
			y := make([]float64, nb*rows)
			for i := range nb {
				for p := range rows {
					for q := range cols {
						mpq := mt[(i*n+p)*m+q]
						if trans {
							mpq = mt[(i*n+q)*m+p]
						}
						y[i*rows+p] += s * mpq * u[i*cols+q]
					}
				}
			}
			return y
		}
	}
	cases := []tc{
		{"Outer", outerOp{scale: 1}, []int{nb, n}, []int{nb, m}, []int{nb, n, m}, outer(1)},
		{"Outer×-1", outerOp{scale: -1}, []int{nb, n}, []int{nb, m}, []int{nb, n, m}, outer(-1)},
		{"MatVec", matVecOp{scale: 1}, []int{nb, n, m}, []int{nb, m}, []int{nb, n}, matvec(false, 1)},
		{"MatTVec", matVecOp{trans: true, scale: 1}, []int{nb, n, m}, []int{nb, n}, []int{nb, m}, matvec(true, 1)},
		{"MatTVec×-1", matVecOp{trans: true, scale: -1}, []int{nb, n, m}, []int{nb, n}, []int{nb, m}, matvec(true, -1)},
	}
	size := func(s []int) int {
		p := 1
		for _, d := range s {
			p *= d
		}
		return p
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, y := uniform(r, size(c.xs)), uniform(r, size(c.ys))
			w := uniform(r, size(c.out))
			g := G.NewGraph()
			xn, yn := input(g, "x", x, c.xs...), input(g, "y", y, c.ys...)
			wn := input(g, "W", w, c.out...)
			out, err := G.ApplyOp(c.op, xn, yn)
			if err != nil {
				t.Fatal(err)
			}
			vr := read(out)
			grads := weightedGrads(t, g, wn, out, xn, yn)
			if e := maxRelErr(vr.data(t), c.ref(x, y), 1); e > 1e-14 {
				t.Fatalf("values differ from the plain loop: rel err %.3g", e)
			}
			l := func() float64 {
				var s float64
				for k, v := range c.ref(x, y) {
					s += w[k] * v
				}
				return s
			}
			for _, in := range []struct {
				v, got []float64
				which  string
			}{{x, grads[0], "first input"}, {y, grads[1], "second input"}} {
				if e := maxRelErr(in.got, fdGrad(l, in.v, 1e-3), 1); e > 1e-8 {
					t.Fatalf("gradient wrt %s: rel err %.3g vs finite differences", in.which, e)
				}
			}
		})
	}
}
