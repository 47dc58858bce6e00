package flows

import "github.com/physbias/physbias/internal/ad"

// denseOf returns internal/ad's plain-Go evaluator of a tanh network (tanh
// hidden layers, linear last layer) of the given sizes, its parameters
// theta laid out as internal/ad's MLP.Params: W0 (row-major (sizes[0],
// sizes[1])), b0, W1, b1, … It evaluates a whole batch with one matrix
// product a layer on the core's GEMM, for sampling and density evaluation
// after training.
func denseOf(sizes []int, theta []float64) (*ad.Dense, error) {
	var w, b [][]float64
	off := 0
	for l := 0; l+1 < len(sizes); l++ {
		nw, nb := sizes[l]*sizes[l+1], sizes[l+1]
		if off+nw+nb > len(theta) {
			return nil, errorf(ErrInput, "%d parameters for a network of sizes %v, which has %d", len(theta), sizes, numParams(sizes))
		}
		w = append(w, theta[off:off+nw])
		b = append(b, theta[off+nw:off+nw+nb])
		off += nw + nb
	}
	return ad.NewDense(sizes, ad.Tanh, w, b)
}

// numParams returns the number of parameters of a network of these sizes.
func numParams(sizes []int) int {
	n := 0
	for l := 0; l+1 < len(sizes); l++ {
		n += sizes[l]*sizes[l+1] + sizes[l+1]
	}
	return n
}
