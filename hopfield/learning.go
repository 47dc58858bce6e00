package hopfield

// StoreHebbian adds the patterns ξ^μ (±1, length N) with Hebb's rule,
//
//	w_ij += (1/N) Σ_μ ξ_i^μ ξ_j^μ   (i ≠ j),
//
// the rule of Hopfield (1982). With random patterns, recall from a noisy
// cue works up to a load P ≈ 0.138 N (Amit, Gutfreund and Sompolinsky
// 1985) and collapses beyond it.
func (net *Network) StoreHebbian(patterns [][]int8) error {
	if err := net.checkPatterns(patterns); err != nil {
		return err
	}
	n := net.n
	inv := 1 / float64(n)
	for _, p := range patterns {
		for i := 0; i < n; i++ {
			row := net.w[i*n : (i+1)*n]
			a := inv * float64(p[i])
			for j, pj := range p {
				row[j] += a * float64(pj)
			}
			row[i] = 0
		}
	}
	return nil
}

// StoreStorkey adds the patterns one after another with Storkey's (1997)
// incremental rule,
//
//	w_ij += (1/N) (ξ_i ξ_j − ξ_i h_ji − h_ij ξ_j),  h_ij = Σ_{k≠i,j} w_ik ξ_k,
//
// which keeps the weights symmetric, is local and incremental like Hebb's,
// and stores more random patterns (about 0.14 N → N/√(2 ln N)).
func (net *Network) StoreStorkey(patterns [][]int8) error {
	if err := net.checkPatterns(patterns); err != nil {
		return err
	}
	n := net.n
	inv := 1 / float64(n)
	h := make([]float64, n)
	for _, p := range patterns {
		// h_i = Σ_k w_ik ξ_k with the weights before this pattern;
		// h_ij = h_i − w_ii ξ_i − w_ij ξ_j = h_i − w_ij ξ_j (w_ii = 0).
		net.fields(h, p)
		// Each pair (i, j) reads only w_ij = w_ji and the fields h of
		// the old weights, so updating pairs in place is exact.
		for i := 0; i < n; i++ {
			xi := float64(p[i])
			for j := i + 1; j < n; j++ {
				xj := float64(p[j])
				w := net.w[i*n+j]
				hij := h[i] - w*xj
				hji := h[j] - w*xi // w_ji = w_ij
				w += inv * (xi*xj - xi*hji - hij*xj)
				net.w[i*n+j] = w
				net.w[j*n+i] = w
			}
		}
	}
	return nil
}

func (net *Network) checkPatterns(patterns [][]int8) error {
	n, err := checkPatterns(patterns)
	if err != nil {
		return err
	}
	if n != net.n {
		return errorf(ErrInput, "patterns have %d units, network has %d", n, net.n)
	}
	return nil
}
