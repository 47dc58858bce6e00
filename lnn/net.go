package lnn

import (
	"math"

	"github.com/physbias/physbias/internal/ad"
)

// jacNet is the plain-Go evaluator of a softplus MLP for rollouts: the
// Jacobian of DeLaN's Cholesky network, the gradient and Hessian of the
// LNN's Lagrangian. It is internal/ad's Dense, which evaluates a batch of
// states with one matrix product a layer on the core's GEMM (a state's
// Hessian is one forward pass with input tangents and the tangent of the
// reverse pass).
type jacNet struct {
	sizes []int
	d     *ad.Dense // nil when the weights were rejected (then results are NaN)
}

// newJacNet splits theta, laid out W0, b0, W1, b1, … row-major, into layers.
// Weights that ad.NewDense rejects (not finite, or too few) give a jacNet
// whose results are NaN; Model.setTheta checks the same weights with
// ad.NewDense first, so a Model never holds one.
func newJacNet(sizes []int, theta []float64) *jacNet {
	n := &jacNet{sizes: sizes}
	var w, b [][]float64
	off := 0
	for l := 0; l+1 < len(sizes); l++ {
		fi, fo := sizes[l], sizes[l+1]
		if off+fi*fo+fo > len(theta) {
			return n
		}
		w = append(w, theta[off:off+fi*fo])
		off += fi * fo
		b = append(b, theta[off:off+fo])
		off += fo
	}
	if d, err := ad.NewDense(sizes, ad.Softplus, w, b); err == nil {
		n.d = d
	}
	return n
}

func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// eval returns f(x) (Out values a state) and the Jacobian ∂f/∂x (Out×In,
// row-major, a state) at the states of x (In values each).
func (n *jacNet) eval(x []float64) (y, jac []float64) {
	in, out := n.sizes[0], n.sizes[len(n.sizes)-1]
	B := len(x) / in
	y, jac = make([]float64, B*out), make([]float64, B*out*in)
	if n.d == nil {
		fillNaN(y)
		fillNaN(jac)
		return y, jac
	}
	if _, _, err := n.d.JacobianBatch(y, jac, x[:B*in]); err != nil {
		fillNaN(y)
		fillNaN(jac)
	}
	return y, jac
}

// gradHess writes the input gradient g (In values a state) and Hessian h
// (In×In, row-major, a state) of a scalar-output network at the states of x
// (In values each), by one forward pass with input tangents and the tangent
// of the reverse pass (forward-over-reverse):
//
//	g_z = g_a ⊙ σ′(z),  ġ_z = ġ_a ⊙ σ′(z) + g_a ⊙ σ″(z) ⊙ ż,  ġ_a = W ġ_z.
//
// It is the LNN's rollout path; several states at once share each
// layer's matrix product.
func (n *jacNet) gradHess(x, g, h []float64) {
	in := n.sizes[0]
	B := len(x) / in
	if n.d == nil {
		fillNaN(g)
		fillNaN(h)
		return
	}
	if _, _, err := n.d.HessianBatch(g[:B*in], h[:B*in*in], x[:B*in]); err != nil {
		fillNaN(g)
		fillNaN(h)
	}
}
