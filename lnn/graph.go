package lnn

import (
	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/ad"
	_ "github.com/physbias/physbias/internal/blas" // BLAS chosen at build time
	"github.com/physbias/physbias/internal/build"
)

// selector returns the constant (rows, len(idx)) matrix whose column k picks
// entry idx[k]: x·S gathers the columns idx of x.
func selector(b *build.B, rows int, idx []int) *G.Node {
	s := make([]float64, rows*len(idx))
	for k, i := range idx {
		s[i*len(idx)+k] = 1
	}
	return b.Constant(s, rows, len(idx))
}

// eyes returns the constant (B, n, n) stack of ε·I.
func eyes(b *build.B, batch, n int, eps float64) *G.Node {
	d := make([]float64, batch*n*n)
	for r := 0; r < batch; r++ {
		for i := 0; i < n; i++ {
			d[r*n*n+i*n+i] = eps
		}
	}
	return b.Constant(d, batch, n, n)
}

func span(lo, hi int) []int {
	s := make([]int, hi-lo)
	for i := range s {
		s[i] = lo + i
	}
	return s
}

// eulerLagrangeGraph builds q̈ = (M + εI)⁻¹[∇qL − C q̇] from the gradient
// grad (B, 2n) of a Lagrangian at the states x = (q, q̇) (B, 2n) and its
// Hessian rows hrow (B, n, 2n), hrow[b][i][j] = ∂²L/∂q̇_i∂x_j: M is the
// block of q̇ columns and C q̇ = hrow·(q̇, 0). It is the graph twin of
// eulerLagrange.
func eulerLagrangeGraph(b *build.B, x, grad, hrow *G.Node, n int, eps float64) *G.Node {
	if !b.OK() {
		return nil
	}
	B := x.Shape()[0]
	gq := b.Mul(grad, selector(b, 2*n, span(0, n)))
	// v = (q̇, 0): the q̇ entries of x moved into the q slots.
	pv := make([]float64, 4*n*n)
	for j := 0; j < n; j++ {
		pv[(n+j)*2*n+j] = 1
	}
	v := b.Mul(x, b.Constant(pv, 2*n, 2*n))
	rhs := b.Sub(gq, b.MatVec(hrow, v))
	mf := b.Mul(b.Reshape(hrow, B*n, 2*n), selector(b, 2*n, span(n, 2*n)))
	m := b.Add(b.Reshape(mf, B, n, n), eyes(b, B, n, eps))
	return b.Solve(m, rhs)
}

// lnnAccel builds the LNN's q̈ at x (B, 2n) from the network L(q, q̇).
func lnnAccel(b *build.B, net *ad.MLP, x *G.Node, n int, eps float64) *G.Node {
	grad := b.Do("∇L", func() (*G.Node, error) { return net.InputGrad(x) })
	hrow := b.Do("∇q̇∇ᵀL", func() (*G.Node, error) { return net.HessianBlock(x, span(n, 2*n), span(0, 2*n)) })
	return eulerLagrangeGraph(b, x, grad, hrow, n, eps)
}

// cholLayout returns, for the Cholesky network's n(n+1)/2 outputs, the
// flat index i·n+j of each lower-triangular entry (first the diagonal, then
// the entries below it row by row) and whether it is diagonal.
func cholLayout(n int) (flat []int, diag []bool) {
	for i := 0; i < n; i++ {
		flat = append(flat, i*n+i)
		diag = append(diag, true)
	}
	for i := 1; i < n; i++ {
		for j := 0; j < i; j++ {
			flat = append(flat, i*n+j)
			diag = append(diag, false)
		}
	}
	return flat, diag
}

// delanAccel builds DeLaN's q̈ at x (B, 2n) from the Cholesky network
// chol(q) (n(n+1)/2 outputs, softplus on the diagonal) and the potential
// network pot(q); see delanEquations for the algebra.
func delanAccel(b *build.B, chol, pot *ad.MLP, x *G.Node, n int, eps float64) *G.Node {
	if !b.OK() {
		return nil
	}
	B := x.Shape()[0]
	K := n * (n + 1) / 2
	flat, diag := cholLayout(n)
	q := b.Mul(x, selector(b, 2*n, span(0, n)))
	qd := b.Mul(x, selector(b, 2*n, span(n, 2*n)))
	l := b.Do("Cholesky network", func() (*G.Node, error) { return chol.Forward(q) })
	ld := b.Do("Cholesky network JVP", func() (*G.Node, error) { return chol.JVP(q, qd) })
	mdiag, moff := make([]float64, B*K), make([]float64, B*K)
	for r := 0; r < B; r++ {
		for k := 0; k < K; k++ {
			if diag[k] {
				mdiag[r*K+k] = 1
			} else {
				moff[r*K+k] = 1
			}
		}
	}
	md, mo := b.Constant(mdiag, B, K), b.Constant(moff, B, K)
	sp := b.Softplus(l)
	sg := b.Sigmoid(l)
	entries := b.Add(b.HadamardProd(l, mo), b.HadamardProd(sp, md)) // C's entries
	slope := b.Add(mo, b.HadamardProd(sg, md))                      // d entries / d raw outputs
	dentries := b.HadamardProd(ld, slope)                           // Ċ's entries
	scatter := make([]float64, K*n*n)
	for k, f := range flat {
		scatter[k*n*n+f] = 1
	}
	S := b.Constant(scatter, K, n*n)
	c := b.Reshape(b.Mul(entries, S), B, n, n)
	cd := b.Reshape(b.Mul(dentries, S), B, n, n)
	w := b.MatTVec(c, qd) // Cᵀq̇
	mqd := b.Add(b.MatVec(cd, w), b.MatVec(c, b.MatTVec(cd, qd)))
	// ½∂(q̇ᵀMq̇)/∂q: VJP of the network with cotangent (q̇wᵀ)[lower]·slope.
	gather := make([]float64, n*n*K)
	for k, f := range flat {
		gather[f*K+k] = 1
	}
	u := b.HadamardProd(b.Mul(b.Reshape(b.Outer(qd, w), B, n*n), b.Constant(gather, n*n, K)), slope)
	kin := b.Do("Cholesky network VJP", func() (*G.Node, error) { return chol.VJP(q, u) })
	gv := b.Do("∇V", func() (*G.Node, error) { return pot.InputGrad(q) })
	rhs := b.Sub(b.Sub(kin, gv), mqd)
	// M = CCᵀ + εI as a sum of outer products of C's columns.
	m := eyes(b, B, n, eps)
	cf := b.Reshape(c, B, n*n)
	for j := 0; j < n; j++ {
		col := make([]int, n)
		for i := range col {
			col[i] = i*n + j
		}
		cj := b.Mul(cf, selector(b, n*n, col))
		m = b.Add(m, b.Outer(cj, cj))
	}
	return b.Solve(m, rhs)
}
