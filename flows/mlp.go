package flows

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// mlp is a plain-Go copy of a trained tanh network (tanh hidden layers,
// linear last layer) that evaluates a whole batch with one matrix product a
// layer, for sampling and density evaluation after training. Its
// parameters are laid out as internal/ad's MLP lays them out: W0 (row-major
// (sizes[0], sizes[1])), b0, W1, b1, …
type mlp struct {
	sizes []int
	w, b  [][]float64
}

// newMLP splits theta into the layers of a network of the given sizes.
func newMLP(sizes []int, theta []float64) *mlp {
	n := &mlp{sizes: sizes}
	off := 0
	for l := 0; l+1 < len(sizes); l++ {
		nw, nb := sizes[l]*sizes[l+1], sizes[l+1]
		n.w = append(n.w, theta[off:off+nw:off+nw])
		n.b = append(n.b, theta[off+nw:off+nw+nb:off+nw+nb])
		off += nw + nb
	}
	return n
}

// numParams returns the number of parameters of a network of these sizes.
func numParams(sizes []int) int {
	n := 0
	for l := 0; l+1 < len(sizes); l++ {
		n += sizes[l]*sizes[l+1] + sizes[l+1]
	}
	return n
}

// gemm sets c (m×n) = a (m×k)·b (k×n), or a·bᵀ when bT (b then n×k).
func gemm(m, k, n int, a, b []float64, bT bool, c []float64) {
	tb, ldb := blas.NoTrans, n
	if bT {
		tb, ldb = blas.Trans, k
	}
	blas64.Implementation().Dgemm(blas.NoTrans, tb, m, n, k, 1, a, k, b, ldb, 0, c, n)
}

// forward returns the hidden activations and the output, (B, Out), for the
// B rows of x.
func (n *mlp) forward(x []float64, B int) (acts [][]float64, out []float64) {
	a := x
	L := len(n.w)
	for l := 0; l < L; l++ {
		fi, fo := n.sizes[l], n.sizes[l+1]
		z := make([]float64, B*fo)
		gemm(B, fi, fo, a, n.w[l], false, z)
		for r := 0; r < B; r++ {
			row := z[r*fo : (r+1)*fo]
			for j, bj := range n.b[l] {
				row[j] += bj
			}
		}
		if l == L-1 {
			return acts, z
		}
		for i, v := range z {
			z[i] = math.Tanh(v)
		}
		acts = append(acts, z)
		a = z
	}
	return acts, nil
}

// inputGrad writes ∇ₓ of the scalar output at the B rows of x into g,
// (B, In), by an explicit reverse pass g ← (g·Wᵀ) ⊙ (1 − a²).
func (n *mlp) inputGrad(x []float64, B int, g []float64) {
	acts, _ := n.forward(x, B)
	L := len(n.w)
	gz := make([]float64, B)
	for i := range gz {
		gz[i] = 1
	}
	for l := L - 1; l >= 0; l-- {
		fi, fo := n.sizes[l], n.sizes[l+1]
		ga := g
		if l > 0 {
			ga = make([]float64, B*fi)
		}
		gemm(B, fo, fi, gz, n.w[l], true, ga)
		if l == 0 {
			return
		}
		a := acts[l-1]
		for i := range ga {
			ga[i] *= 1 - a[i]*a[i]
		}
		gz = ga
	}
}
