package hnn

import (
	"math"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/fail"
)

// net is the plain-Go evaluator of a trained tanh MLP (tanh hidden layers,
// linear last layer) for rollouts and metrics: internal/ad's Dense, which
// evaluates a whole batch of states with one matrix product a layer on the
// core's GEMM. Rollouts advance every trajectory together, so batching is
// what makes them fast.
type net struct {
	sizes []int
	w, b  [][]float64 // views of theta: w[l] row-major (sizes[l], sizes[l+1]); b[l] (sizes[l+1])
	d     *ad.Dense
}

// newNet splits theta, laid out as W0, b0, W1, b1, … (row-major), into a net.
func newNet(sizes []int, theta []float64) (*net, error) {
	n := &net{sizes: append([]int(nil), sizes...)}
	off := 0
	for l := 0; l+1 < len(sizes); l++ {
		nw, nb := sizes[l]*sizes[l+1], sizes[l+1]
		if off+nw+nb > len(theta) {
			return nil, fail.Errorf(fail.ErrInput, "hnn", "%d parameters are too few for layer sizes %v", len(theta), sizes)
		}
		n.w = append(n.w, theta[off:off+nw:off+nw])
		n.b = append(n.b, theta[off+nw:off+nw+nb:off+nw+nb])
		off += nw + nb
	}
	if off != len(theta) {
		return nil, fail.Errorf(fail.ErrInput, "hnn", "%d parameters for layer sizes %v, which hold %d", len(theta), sizes, off)
	}
	for i, v := range theta {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fail.Errorf(fail.ErrNotFinite, "hnn", "parameter %d is %v", i, v)
		}
	}
	d, err := ad.NewDense(sizes, ad.Tanh, n.w, n.b)
	if err != nil {
		return nil, fail.Errorf(fail.ErrInput, "hnn", "%w", err)
	}
	n.d = d
	return n, nil
}

// forward returns the network's output, (B, Out), at the B states in x. The
// activations of the hidden layers are not kept: acts is nil.
func (n *net) forward(x []float64, B int) (acts [][]float64, out []float64) {
	out = make([]float64, B*n.sizes[len(n.sizes)-1])
	if _, err := n.d.ForwardBatch(out, x[:B*n.sizes[0]]); err != nil {
		fillNaN(out) // unreachable: the callers check the shapes
	}
	return nil, out
}

// inputGrad writes ∇ₓ of the scalar output at the B states in x into g.
func (n *net) inputGrad(x []float64, B int, g []float64) {
	in := n.sizes[0]
	if _, err := n.d.InputGradBatch(g[:B*in], x[:B*in]); err != nil {
		fillNaN(g) // unreachable: the callers check the shapes
	}
}

// fillNaN sets every value of v to NaN.
func fillNaN(v []float64) {
	for i := range v {
		v[i] = math.NaN()
	}
}
