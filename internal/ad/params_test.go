package ad

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
)

// Tolerance for parameter gradients (through input derivatives) against
// finite differences on the parameters (issue 3). The 4th-order stencil with
// h = 1e-4 has truncation ≲ 1e-12 and rounding ≲ 1e-11 relative, so 1e-5
// flags any missing or wrong term of the chain rule.
const paramTol = 1e-5

// checkParamGrads builds G.Grad(loss, params), runs the graph at x, and
// compares the gradient with 4th-order central differences of the loss in
// every parameter entry. It returns the relative error.
func checkParamGrads(t *testing.T, r *graphRun, loss *G.Node, params []*G.Node, x []float64) float64 {
	t.Helper()
	grads, err := G.Grad(loss, params...)
	if err != nil {
		t.Fatal(err)
	}
	kl := r.read(loss)
	kg := make([]int, len(grads))
	for i, gn := range grads {
		kg[i] = r.read(gn)
	}
	r.vm = nil // the graph grew: compile a new machine
	vals := r.run(t, x)
	var got, want []float64
	for i, p := range params {
		got = append(got, vals[kg[i]]...)
		d, err := nodeData(p)
		if err != nil {
			t.Fatal(err)
		}
		const h = 1e-4
		for j := range d {
			orig := d[j]
			at := func(s float64) float64 {
				d[j] = orig + s*h
				return r.run(t, x)[kl][0]
			}
			p2, p1, m1, m2 := at(2), at(1), at(-1), at(-2)
			d[j] = orig
			want = append(want, (-p2+8*p1-8*m1+m2)/(12*h))
		}
	}
	for _, v := range got {
		if math.IsNaN(v) {
			t.Fatal("NaN in parameter gradient")
		}
	}
	return relErr(got, want)
}

func sumWeighted(t *testing.T, g *G.ExprGraph, n *G.Node, seed uint64) *G.Node {
	t.Helper()
	s := n.Shape()
	w := randVec(seed, s.TotalSize(), 1)
	var c *G.Node
	if len(s) == 3 {
		c = G.NewConstant(matrixValue3(s[0], s[1], s[2], w), G.In(g))
	} else {
		c = G.NewConstant(matrixValue(s[0], s[1], w), G.In(g))
	}
	p, err := G.HadamardProd(n, c)
	if err != nil {
		t.Fatal(err)
	}
	r, err := G.Sum(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func addAll(t *testing.T, ns ...*G.Node) *G.Node {
	t.Helper()
	s := ns[0]
	for _, n := range ns[1:] {
		var err error
		if s, err = G.Add(s, n); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestParamGradsThroughDerivatives trains-through every derivative: a loss
// that is a random weighted sum of the Hessian, a Hessian block, the
// Laplacian, the input gradient and Derivatives (scalar nets) or of the
// Jacobian, VJP, JVP (vector nets), differentiated by one G.Grad.
func TestParamGradsThroughDerivatives(t *testing.T) {
	worst := 0.0
	for si, sizes := range [][]int{{3, 5, 1}, {2, 4, 3, 1}, {3, 4, 2}} {
		for _, act := range allActs {
			m, r := newNet(t, sizes, act, batch, uint64(si)*7+uint64(act)+300)
			var terms []*G.Node
			if m.Out() == 1 {
				gr, err := m.InputGrad(r.x)
				if err != nil {
					t.Fatal(err)
				}
				h, err := m.Hessian(r.x)
				if err != nil {
					t.Fatal(err)
				}
				hb, err := m.HessianBlock(r.x, []int{1}, []int{0, m.In() - 1})
				if err != nil {
					t.Fatal(err)
				}
				lap, err := m.Laplacian(r.x, nil)
				if err != nil {
					t.Fatal(err)
				}
				dv, err := m.Derivatives(r.x, []int{0})
				if err != nil {
					t.Fatal(err)
				}
				terms = append(terms, gr, h, hb, lap, dv.Value, dv.First[1], dv.Second[0])
			} else {
				u := G.NewConstant(matrixValue(batch, m.Out(), randVec(1, batch*m.Out(), 1)), G.In(r.g))
				v := G.NewConstant(matrixValue(batch, m.In(), randVec(2, batch*m.In(), 1)), G.In(r.g))
				j, err := m.Jacobian(r.x)
				if err != nil {
					t.Fatal(err)
				}
				vjp, err := m.VJP(r.x, u)
				if err != nil {
					t.Fatal(err)
				}
				jvp, err := m.JVP(r.x, v)
				if err != nil {
					t.Fatal(err)
				}
				y, err := m.Forward(r.x)
				if err != nil {
					t.Fatal(err)
				}
				// Forward keeps the biases in the loss of a linear network.
				terms = append(terms, j, vjp, jvp, y)
			}
			for k := range terms {
				terms[k] = sumWeighted(t, r.g, terms[k], uint64(k)+40)
			}
			loss := addAll(t, terms...)
			x := randVec(uint64(si)+90, batch*m.In(), 1.2)
			e := checkParamGrads(t, r, loss, m.Params(), x)
			if e > paramTol {
				t.Errorf("%s: parameter gradient rel err %.2g > %g", name(sizes, act), e, paramTol)
			}
			worst = math.Max(worst, e)
		}
	}
	t.Logf("worst parameter-gradient rel err %.2g", worst)
}
