package pinn

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// GaussHermite returns the n nodes (ascending) and weights of the
// Gauss–Hermite rule, ∫ e^{−z²} f(z) dz ≈ Σ w_i f(z_i), exact for
// polynomials f of degree up to 2n − 1.
//
// They are computed by the Golub–Welsch algorithm: the nodes are the
// eigenvalues of the symmetric tridiagonal Jacobi matrix of the Hermite
// polynomials (zero diagonal, off-diagonal √(k/2)), and each weight is √π
// times the squared first component of the normalised eigenvector.
func GaussHermite(n int) (nodes, weights []float64, err error) {
	if n < 1 {
		return nil, nil, errorf(ErrInput, "Gauss–Hermite rule needs at least 1 node, got %d", n)
	}
	if n > 2000 {
		return nil, nil, errorf(ErrInput, "Gauss–Hermite rule with %d nodes is too large (at most 2000)", n)
	}
	j := mat.NewSymDense(n, nil)
	for k := 1; k < n; k++ {
		b := math.Sqrt(float64(k) / 2)
		j.SetSym(k-1, k, b)
	}
	var es mat.EigenSym
	if ok := es.Factorize(j, true); !ok {
		return nil, nil, errorf(ErrInput, "Gauss–Hermite: eigen-decomposition of the %d×%d Jacobi matrix failed", n, n)
	}
	vals := es.Values(nil)
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return vals[idx[a]] < vals[idx[b]] })
	nodes = make([]float64, n)
	weights = make([]float64, n)
	for i, k := range idx {
		nodes[i] = vals[k]
		v := vecs.At(0, k)
		weights[i] = math.SqrtPi * v * v
	}
	// The rule is symmetric; symmetrise to remove the round-off asymmetry
	// of the eigen-solver.
	for i := 0; i < n/2; i++ {
		k := n - 1 - i
		z := 0.5 * (nodes[k] - nodes[i])
		w := 0.5 * (weights[k] + weights[i])
		nodes[i], nodes[k] = -z, z
		weights[i], weights[k] = w, w
	}
	if n%2 == 1 {
		nodes[n/2] = 0
	}
	return nodes, weights, nil
}
