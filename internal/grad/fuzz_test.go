package grad

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// FuzzRandomGraph builds a random expression of a (2, 2) input from
// gorgonia's ops (one op per byte) and checks its gradient and a
// Hessian-vector product against 4th-order finite differences, and its JVP
// against the gradient. Expressions whose values or
// derivatives leave a moderate range (or are NaN, as a log of a negative) are
// skipped: finite differences cannot judge them.
func FuzzRandomGraph(f *testing.F) {
	f.Add([]byte{0, 5, 9, 3})
	f.Add([]byte{7, 1, 12, 4, 10})
	f.Add([]byte{14, 2, 11, 6, 8, 13})
	f.Fuzz(func(t *testing.T, prog []byte) {
		if len(prog) == 0 || len(prog) > 8 {
			return
		}
		g := G.NewGraph()
		x := input(g, "x", tensor.Shape{2, 2}, []float64{0.3, -0.4, 0.6, 0.2})
		w := input(g, "w", tensor.Shape{2, 2}, []float64{0.5, -0.8, 0.7, 0.4})
		stack := []*G.Node{x}
		top := func() *G.Node { return stack[len(stack)-1] }
		for _, b := range prog {
			a := top()
			var n *G.Node
			var err error
			switch b % 15 {
			case 0:
				n, err = G.Tanh(a)
			case 1:
				n, err = G.Sin(a)
			case 2:
				n, err = G.Mul(a, w)
			case 3:
				n, err = G.HadamardProd(a, stack[len(stack)/2])
			case 4:
				n, err = G.Add(a, x)
			case 5:
				n, err = G.Square(a)
			case 6:
				n, err = G.Sigmoid(a)
			case 7:
				n, err = G.Transpose(a)
			case 8:
				n, err = G.SoftMax(a)
			case 9:
				n, err = G.Softplus(a)
			case 10:
				var c *G.Node
				if c, err = G.Concat(0, a, x); err == nil {
					n, err = G.Slice(c, G.S(1, 3))
				}
			case 11:
				var d *G.Node
				if d, err = G.Add(G.Must(G.Square(a)), G.NewConstant(1.0)); err == nil {
					n, err = G.HadamardDiv(a, d)
				}
			case 12:
				var r *G.Node
				if r, err = Reshape(a, tensor.Shape{4, 1}); err == nil {
					n, err = Reshape(G.Must(G.Exp(r)), tensor.Shape{2, 2})
				}
			case 13:
				var s *G.Node
				if s, err = G.Sum(a, 1); err == nil {
					n, err = G.BroadcastSub(a, s, nil, []byte{1})
				}
			case 14:
				n, err = G.Cos(a)
			}
			if err != nil {
				t.Fatalf("building op %d: %v", b%15, err)
			}
			stack = append(stack, n)
		}
		fx, err := G.Sum(top())
		if err != nil {
			t.Fatal(err)
		}
		gr, err := Grad(fx, x)
		if err != nil {
			t.Fatalf("Grad: %v", err)
		}
		e1 := input(g, "e1", tensor.Shape{2, 2}, []float64{0.3, -1, 0.5, 0.8})
		hv, err := HVP(fx, x, e1)
		if err != nil {
			t.Fatalf("HVP: %v", err)
		}
		jv, err := JVP(top(), x, e1)
		if err != nil {
			t.Fatalf("JVP: %v", err)
		}
		jvs, err := G.Sum(jv)
		if err != nil {
			t.Fatal(err)
		}
		ev := newEvaluator(t, g, fx, gr[0], hv, jvs)
		v := ev.run()
		for _, s := range v {
			for _, a := range s {
				if math.IsNaN(a) || math.Abs(a) > 1e3 {
					return
				}
			}
		}
		// Finite differences at h and h/2: their difference estimates the
		// differences' own truncation error (≈ 16/15 of the error at h for
		// the 4th-order formula), which an expression with large high
		// derivatives (sin(e^{4x}): the 5th is ~1e8) makes larger than the
		// bound; the bound widens by twice that estimate. The seed corpus
		// keeps such a program (testdata): there the gradient is exact to
		// 1e-15 and the differences at h = 1e-3 are 4.9e-6 off.
		fd := fdJacobian(t, ev, 0, x, 1e-3)
		fd2 := fdJacobian(t, ev, 0, x, 5e-4)
		for i := range v[1] {
			slack := 2 * math.Abs(fd[0][i]-fd2[0][i])
			if d := math.Abs(v[1][i] - fd2[0][i]); d > 1e-6*math.Max(1, math.Abs(fd2[0][i]))+slack {
				t.Errorf("program %v: gradient[%d] = %.12g, finite differences %.12g (h/2) and %.12g (h)", prog, i, v[1][i], fd2[0][i], fd[0][i])
			}
		}
		// the JVP along e1, summed, is ∇f·e1
		dot := 0.0
		for i, e := range []float64{0.3, -1, 0.5, 0.8} {
			dot += v[1][i] * e
		}
		if d := math.Abs(v[3][0] - dot); d > 1e-10*math.Max(1, math.Abs(dot)) {
			t.Errorf("program %v: Σ JVP = %.12g, ∇f·v = %.12g", prog, v[3][0], dot)
		}
		// H·e1 against finite differences of the gradient along e1
		fdg := fdJacobian(t, ev, 1, x, 1e-3)
		fdg2 := fdJacobian(t, ev, 1, x, 5e-4)
		ev1 := []float64{0.3, -1, 0.5, 0.8}
		for r := range fdg {
			want, want1 := 0.0, 0.0
			for c := range ev1 {
				want += fdg2[r][c] * ev1[c]
				want1 += fdg[r][c] * ev1[c]
			}
			slack := 2 * math.Abs(want-want1)
			if d := math.Abs(v[2][r] - want); d > 1e-5*math.Max(1, math.Abs(want))+slack {
				t.Errorf("program %v: (H·v)[%d] = %.12g, finite differences %.12g (h/2) and %.12g (h)", prog, r, v[2][r], want, want1)
			}
		}
	})
}
