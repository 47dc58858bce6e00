package lnn

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/ad"
	_ "github.com/physbias/physbias/internal/blas" // BLAS chosen at build time
	"github.com/physbias/physbias/internal/linalg"
)

// gb builds graph expressions and keeps the first error, so that the
// equations read as maths; once err is set every method returns nil.
type gb struct {
	g   *G.ExprGraph
	err error
}

func (b *gb) do(what string, f func() (*G.Node, error)) *G.Node {
	if b.err != nil {
		return nil
	}
	n, err := f()
	if err != nil {
		b.err = fmt.Errorf("lnn: %s: %w", what, err)
		return nil
	}
	return n
}

// constant returns a constant tensor node of the given shape.
func (b *gb) constant(data []float64, shape ...int) *G.Node {
	return G.NewConstant(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data)), G.In(b.g))
}

func (b *gb) mul(x, y *G.Node) *G.Node {
	return b.do("matrix product", func() (*G.Node, error) { return G.Mul(x, y) })
}
func (b *gb) add(x, y *G.Node) *G.Node {
	return b.do("add", func() (*G.Node, error) { return G.Add(x, y) })
}
func (b *gb) sub(x, y *G.Node) *G.Node {
	return b.do("subtract", func() (*G.Node, error) { return G.Sub(x, y) })
}
func (b *gb) had(x, y *G.Node) *G.Node {
	return b.do("elementwise product", func() (*G.Node, error) { return G.HadamardProd(x, y) })
}
func (b *gb) reshape(x *G.Node, shape ...int) *G.Node {
	return b.do("reshape", func() (*G.Node, error) { return G.Reshape(x, tensor.Shape(shape)) })
}
func (b *gb) matVec(m, u *G.Node) *G.Node {
	return b.do("batched matrix-vector product", func() (*G.Node, error) { return linalg.MatVec(m, u) })
}
func (b *gb) matTVec(m, u *G.Node) *G.Node {
	return b.do("batched transposed matrix-vector product", func() (*G.Node, error) { return linalg.MatTVec(m, u) })
}
func (b *gb) outer(u, v *G.Node) *G.Node {
	return b.do("batched outer product", func() (*G.Node, error) { return linalg.Outer(u, v) })
}
func (b *gb) solve(a, r *G.Node) *G.Node {
	return b.do("mass-matrix solve", func() (*G.Node, error) { return linalg.Solve(a, r) })
}

// selector returns the constant (rows, len(idx)) matrix whose column k picks
// entry idx[k]: x·S gathers the columns idx of x.
func (b *gb) selector(rows int, idx []int) *G.Node {
	s := make([]float64, rows*len(idx))
	for k, i := range idx {
		s[i*len(idx)+k] = 1
	}
	return b.constant(s, rows, len(idx))
}

// eyes returns the constant (B, n, n) stack of ε·I.
func (b *gb) eyes(batch, n int, eps float64) *G.Node {
	d := make([]float64, batch*n*n)
	for r := 0; r < batch; r++ {
		for i := 0; i < n; i++ {
			d[r*n*n+i*n+i] = eps
		}
	}
	return b.constant(d, batch, n, n)
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
func (b *gb) eulerLagrangeGraph(x, grad, hrow *G.Node, n int, eps float64) *G.Node {
	if b.err != nil {
		return nil
	}
	B := x.Shape()[0]
	gq := b.mul(grad, b.selector(2*n, span(0, n)))
	// v = (q̇, 0): the q̇ entries of x moved into the q slots.
	pv := make([]float64, 4*n*n)
	for j := 0; j < n; j++ {
		pv[(n+j)*2*n+j] = 1
	}
	v := b.mul(x, b.constant(pv, 2*n, 2*n))
	rhs := b.sub(gq, b.matVec(hrow, v))
	mf := b.mul(b.reshape(hrow, B*n, 2*n), b.selector(2*n, span(n, 2*n)))
	m := b.add(b.reshape(mf, B, n, n), b.eyes(B, n, eps))
	return b.solve(m, rhs)
}

// lnnAccel builds the LNN's q̈ at x (B, 2n) from the network L(q, q̇).
func (b *gb) lnnAccel(net *ad.MLP, x *G.Node, n int, eps float64) *G.Node {
	grad := b.do("∇L", func() (*G.Node, error) { return net.InputGrad(x) })
	hrow := b.do("∇q̇∇ᵀL", func() (*G.Node, error) { return net.HessianBlock(x, span(n, 2*n), span(0, 2*n)) })
	return b.eulerLagrangeGraph(x, grad, hrow, n, eps)
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
func (b *gb) delanAccel(chol, pot *ad.MLP, x *G.Node, n int, eps float64) *G.Node {
	if b.err != nil {
		return nil
	}
	B := x.Shape()[0]
	K := n * (n + 1) / 2
	flat, diag := cholLayout(n)
	q := b.mul(x, b.selector(2*n, span(0, n)))
	qd := b.mul(x, b.selector(2*n, span(n, 2*n)))
	l := b.do("Cholesky network", func() (*G.Node, error) { return chol.Forward(q) })
	ld := b.do("Cholesky network JVP", func() (*G.Node, error) { return chol.JVP(q, qd) })
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
	md, mo := b.constant(mdiag, B, K), b.constant(moff, B, K)
	sp := b.do("softplus", func() (*G.Node, error) { return G.Softplus(l) })
	sg := b.do("sigmoid", func() (*G.Node, error) { return G.Sigmoid(l) })
	entries := b.add(b.had(l, mo), b.had(sp, md)) // C's entries
	slope := b.add(mo, b.had(sg, md))             // d entries / d raw outputs
	dentries := b.had(ld, slope)                  // Ċ's entries
	scatter := make([]float64, K*n*n)
	for k, f := range flat {
		scatter[k*n*n+f] = 1
	}
	S := b.constant(scatter, K, n*n)
	c := b.reshape(b.mul(entries, S), B, n, n)
	cd := b.reshape(b.mul(dentries, S), B, n, n)
	w := b.matTVec(c, qd) // Cᵀq̇
	mqd := b.add(b.matVec(cd, w), b.matVec(c, b.matTVec(cd, qd)))
	// ½∂(q̇ᵀMq̇)/∂q: VJP of the network with cotangent (q̇wᵀ)[lower]·slope.
	gather := make([]float64, n*n*K)
	for k, f := range flat {
		gather[f*K+k] = 1
	}
	u := b.had(b.mul(b.reshape(b.outer(qd, w), B, n*n), b.constant(gather, n*n, K)), slope)
	kin := b.do("Cholesky network VJP", func() (*G.Node, error) { return chol.VJP(q, u) })
	gv := b.do("∇V", func() (*G.Node, error) { return pot.InputGrad(q) })
	rhs := b.sub(b.sub(kin, gv), mqd)
	// M = CCᵀ + εI as a sum of outer products of C's columns.
	m := b.eyes(B, n, eps)
	cf := b.reshape(c, B, n*n)
	for j := 0; j < n; j++ {
		col := make([]int, n)
		for i := range col {
			col[i] = i*n + j
		}
		cj := b.mul(cf, b.selector(n*n, col))
		m = b.add(m, b.outer(cj, cj))
	}
	return b.solve(m, rhs)
}
