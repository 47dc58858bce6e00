package ad

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
)

// gb is a test-side graph builder that fails the test on the first error.
type gb struct {
	t *testing.T
	g *G.ExprGraph
}

func (b gb) must(n *G.Node, err error) *G.Node {
	b.t.Helper()
	if err != nil {
		b.t.Fatal(err)
	}
	return n
}

// cols returns the columns idx of a (B,n) node as a (B,len(idx)) node, by a
// product with a constant selection matrix.
func (b gb) cols(x *G.Node, idx ...int) *G.Node {
	n := x.Shape()[1]
	s := make([]float64, n*len(idx))
	for k, i := range idx {
		s[i*len(idx)+k] = 1
	}
	return b.must(G.Mul(x, G.NewConstant(matrixValue(n, len(idx), s), G.In(b.g))))
}

// lnnAccel builds the Euler–Lagrange acceleration of a Lagrangian network on
// x = (q₁, q₂, q̇₁, q̇₂): q̈ = M⁻¹[∇_qL − C q̇] with M = ∇_q̇∇_q̇ᵀL and
// C = ∇_q∇_q̇ᵀL (rows q̇, columns q), using a 2×2 solve written with graph
// ops. It returns q̈ (B,2) and det M (B,1).
func lnnAccel(t *testing.T, m *MLP, x *G.Node) (*G.Node, *G.Node) {
	b := gb{t, m.g}
	B := x.Shape()[0]
	M := b.must(m.HessianBlock(x, []int{2, 3}, []int{2, 3}))
	C := b.must(m.HessianBlock(x, []int{2, 3}, []int{0, 1}))
	grad := b.must(m.InputGrad(x))
	gq := b.cols(grad, 0, 1)
	qd := b.cols(x, 2, 3)
	Mf := b.must(G.Reshape(M, []int{B, 4}))
	Cf := b.must(G.Reshape(C, []int{B, 4}))
	m00, m01, m10, m11 := b.cols(Mf, 0), b.cols(Mf, 1), b.cols(Mf, 2), b.cols(Mf, 3)
	qd0, qd1 := b.cols(qd, 0), b.cols(qd, 1)
	mul := func(a, c *G.Node) *G.Node { return b.must(G.HadamardProd(a, c)) }
	add := func(a, c *G.Node) *G.Node { return b.must(G.Add(a, c)) }
	sub := func(a, c *G.Node) *G.Node { return b.must(G.Sub(a, c)) }
	cq0 := add(mul(b.cols(Cf, 0), qd0), mul(b.cols(Cf, 1), qd1))
	cq1 := add(mul(b.cols(Cf, 2), qd0), mul(b.cols(Cf, 3), qd1))
	r0, r1 := sub(b.cols(gq, 0), cq0), sub(b.cols(gq, 1), cq1)
	det := sub(mul(m00, m11), mul(m01, m10))
	a0 := b.must(G.HadamardDiv(sub(mul(m11, r0), mul(m01, r1)), det))
	a1 := b.must(G.HadamardDiv(sub(mul(m00, r1), mul(m10, r0)), det))
	return b.must(G.Concat(1, a0, a1)), det
}

// TestLNNLossParamGrads: an LNN-style loss, mean (q̈ − target)² with q̈ from
// Hessian blocks and a 2×2 solve, differentiated in the parameters by one
// G.Grad, against finite differences (paramTol).
func TestLNNLossParamGrads(t *testing.T) {
	m, r := newNet(t, []int{4, 6, 6, 1}, Softplus, 4, 11)
	b := gb{t, r.g}
	acc, det := lnnAccel(t, m, r.x)
	target := G.NewConstant(matrixValue(4, 2, randVec(3, 8, 1)), G.In(r.g))
	diff := b.must(G.Sub(acc, target))
	loss := b.must(G.Mean(b.must(G.Square(diff))))
	kd := r.read(det)
	x := randVec(12, 16, 1)
	// Near-singular mass matrices make the finite differences meaningless
	// (DESIGN.md pitfall): insist on well-conditioned test points.
	for i, d := range r.run(t, x)[kd] {
		if math.Abs(d) < 1e-3 {
			t.Fatalf("test point %d has det M = %.3g: choose another seed", i, d)
		}
	}
	// The output bias shifts L by a constant and drops out of q̈; G.Grad
	// rejects a parameter the loss does not depend on, so leave it out.
	ps := m.Params()
	e := checkParamGrads(t, r, loss, ps[:len(ps)-1], x)
	t.Logf("LNN loss parameter-gradient rel err %.2g", e)
	if e > paramTol {
		t.Errorf("LNN loss parameter gradient rel err %.2g > %g", e, paramTol)
	}
}

// TestLNNAccelMatchesDense checks the graph q̈ against the same formula
// evaluated from Dense.Hessian and Dense.InputGrad, which are themselves
// checked against finite differences.
func TestLNNAccelMatchesDense(t *testing.T) {
	m, r := newNet(t, []int{4, 6, 6, 1}, Softplus, 4, 11)
	acc, _ := lnnAccel(t, m, r.x)
	k := r.read(acc)
	x := randVec(12, 16, 1)
	got := r.run(t, x)[k]
	d, err := m.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var want []float64
	for bi := 0; bi < 4; bi++ {
		xb := row(x, bi, 4)
		h := make([]float64, 16)
		g := make([]float64, 4)
		if err := d.Hessian(xb, h); err != nil {
			t.Fatal(err)
		}
		if err := d.InputGrad(xb, g); err != nil {
			t.Fatal(err)
		}
		m00, m01, m10, m11 := h[2*4+2], h[2*4+3], h[3*4+2], h[3*4+3]
		r0 := g[0] - h[2*4+0]*xb[2] - h[2*4+1]*xb[3]
		r1 := g[1] - h[3*4+0]*xb[2] - h[3*4+1]*xb[3]
		det := m00*m11 - m01*m10
		want = append(want, (m11*r0-m01*r1)/det, (m00*r1-m10*r0)/det)
	}
	// Same maths, different order of operations: rounding-level agreement
	// amplified by 1/det.
	if e := relErr(got, want); e > 1e-9 {
		t.Errorf("graph q̈ vs Dense q̈ rel err %.2g", e)
	}
}

// TestPINNLossParamGrads: a Burgers residual u_t + u·u_x − ν·u_xx from
// Derivatives, mean squared, differentiated in the parameters by one
// G.Grad, against finite differences (paramTol).
func TestPINNLossParamGrads(t *testing.T) {
	for _, act := range []Activation{Tanh, Sin} {
		m, r := newNet(t, []int{2, 5, 5, 5, 1}, act, 6, 21)
		b := gb{t, r.g}
		d := b.must2(m.Derivatives(r.x, []int{1}))
		nu := G.NewConstant(0.01 / math.Pi)
		res := b.must(G.Add(d.First[0], b.must(G.HadamardProd(d.Value, d.First[1]))))
		res = b.must(G.Sub(res, b.must(G.HadamardProd(nu, d.Second[0]))))
		loss := b.must(G.Mean(b.must(G.Square(res))))
		e := checkParamGrads(t, r, loss, m.Params(), randVec(22, 12, 1))
		t.Logf("%v PINN loss parameter-gradient rel err %.2g", act, e)
		if e > paramTol {
			t.Errorf("%v PINN loss parameter gradient rel err %.2g > %g", act, e, paramTol)
		}
	}
}

func (b gb) must2(d *Derivs, err error) *Derivs {
	b.t.Helper()
	if err != nil {
		b.t.Fatal(err)
	}
	return d
}

// TestHNNLossParamGrads: an HNN-style loss, mean ((∂H/∂p, −∂H/∂q) − target)²
// from InputGrad alone (a forward-over-reverse pass without tangents),
// differentiated in the parameters by one G.Grad, against finite
// differences (paramTol).
func TestHNNLossParamGrads(t *testing.T) {
	for _, act := range []Activation{Tanh, Softplus, Sigmoid, Sin} {
		m, r := newNet(t, []int{2, 6, 6, 1}, act, 5, 41)
		b := gb{t, r.g}
		grad := b.must(m.InputGrad(r.x))
		P := G.NewConstant(matrixValue(2, 2, []float64{0, -1, 1, 0}), G.In(r.g))
		field := b.must(G.Mul(grad, P))
		target := G.NewConstant(matrixValue(5, 2, randVec(42, 10, 1)), G.In(r.g))
		loss := b.must(G.Mean(b.must(G.Square(b.must(G.Sub(field, target))))))
		ps := m.Params()
		e := checkParamGrads(t, r, loss, ps[:len(ps)-1], randVec(43, 10, 1))
		t.Logf("%v HNN loss parameter-gradient rel err %.2g", act, e)
		if e > paramTol {
			t.Errorf("%v HNN loss parameter gradient rel err %.2g > %g", act, e, paramTol)
		}
	}
}
