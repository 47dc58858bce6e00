package segment

import (
	G "gorgonia.org/gorgonia"
)

// Mean returns the segment mean of the rows of x (E, F):
// out[s] = (1/c_s) Σ_{e: seg[e]=s} x[e] with c_s the number of rows in
// segment s, of shape (n, F); empty segments are zero. It is a WeightedSum
// with w[e] = 1/c_{seg[e]}, so its gradient is the weighted gather
// ∂x[e] = ḡ[seg[e]]/c_{seg[e]}.
func Mean(x *G.Node, seg []int, n int) (*G.Node, error) {
	if _, err := checkIndex("Mean", "seg", seg, n); err != nil {
		return nil, err
	}
	return WeightedSum(x, seg, MeanWeights(seg, n), n)
}

// MeanWeights returns w[e] = 1/c_{seg[e]}, the weights that turn a segment
// sum into a segment mean (c_s the number of entries of seg equal to s).
// Indices outside [0, n) get weight 0.
func MeanWeights(seg []int, n int) []float64 {
	count := make([]int, max(n, 0))
	for _, s := range seg {
		if s >= 0 && s < n {
			count[s]++
		}
	}
	w := make([]float64, len(seg))
	for e, s := range seg {
		if s >= 0 && s < n {
			w[e] = 1 / float64(count[s])
		}
	}
	return w
}
