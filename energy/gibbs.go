package energy

import (
	"math/rand/v2"

	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/spin"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	coreblas "github.com/physbias/physbias/internal/blas"
)

// The Gibbs steps of an RBM are block updates on a bipartite graph: every
// hidden unit given the visible ones, then every visible unit given the
// hidden ones. Each unit's conditional is the heat-bath move of
// internal/spin (spin.UpProbability is the logistic function σ), computed
// for a whole batch of chains with two matrix products per step; the
// products go to the BLAS that internal/blas selects (OpenBLAS with the
// build tag openblas).

// dgemm is the float64 product of the Gibbs steps: the core's Gemm
// (internal/blas: its AVX2/FMA kernel in the pure-Go build, OpenBLAS for
// these sizes under -tags openblas) when alpha is 1 and beta 0 or 1, else
// the build's blas64 (gonum's native Dgemm or OpenBLAS).
func dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if alpha == 1 && (beta == 0 || beta == 1) {
		coreblas.Gemm(tA == blas.Trans, tB == blas.Trans, m, n, k, a, lda, b, ldb, c, ldc, beta == 1)
		return
	}
	blas64.Implementation().Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// pre sets a (n×nh) = vW + c for v (n×nv); a nil c means vW.
func pre(n, nv, nh int, v, w, c, a []float64) {
	beta := 0.0
	if c != nil {
		beta = 1
		for r := range n {
			copy(a[r*nh:(r+1)*nh], c)
		}
	}
	dgemm(blas.NoTrans, blas.NoTrans, n, nh, nv, 1, v, nv, w, nh, beta, a, nh)
}

// preT sets a (n×nv) = bias + alpha·hWᵀ for h (n×nh); a nil bias means
// alpha·hWᵀ.
func preT(n, nv, nh int, h, w []float64, alpha float64, bias, a []float64) {
	beta := 0.0
	if bias != nil {
		beta = 1
		for r := range n {
			copy(a[r*nv:(r+1)*nv], bias)
		}
	}
	dgemm(blas.NoTrans, blas.Trans, n, nv, nh, alpha, h, nh, w, nh, beta, a, nv)
}

// sigmoidInPlace sets a_i = σ(beta·a_i), the probability that a binary
// unit with input a_i is on at inverse temperature beta.
func sigmoidInPlace(a []float64, beta float64) {
	for i, x := range a {
		a[i] = spin.UpProbability(beta * x)
	}
}

// sampleBinary sets s_i = 1 with probability p_i, else 0.
func sampleBinary(p, s []float64, r *rand.Rand) {
	for i, q := range p {
		if r.Float64() < q {
			s[i] = 1
		} else {
			s[i] = 0
		}
	}
}

// sampleGaussian sets s_i = mean_i + N(0, 1).
func sampleGaussian(mean, s []float64, r *rand.Rand) {
	for i, q := range mean {
		s[i] = q + r.NormFloat64()
	}
}

// chains holds n Gibbs chains of an RBM and their scratch buffers.
type chains struct {
	m      *RBM
	n      int
	v      []float64        // visible states (n×nv)
	hp, hs []float64        // hidden probabilities and samples (n×nh)
	vp     []float64        // visible probabilities or means (n×nv)
	pk     *packed[float64] // zero columns dropped from the products (binary units in training; nil otherwise)
	f      *single          // single-precision products (TrainConfig.Float32; nil otherwise)
	cb     []float64        // scratch: β·c
	r      *rand.Rand
}

func newChains(m *RBM, n int, r *rand.Rand) *chains {
	return &chains{m: m, n: n, r: r,
		v: make([]float64, n*m.nv), vp: make([]float64, n*m.nv),
		hp: make([]float64, n*m.nh), hs: make([]float64, n*m.nh), cb: make([]float64, m.nh)}
}

// up sets hp = p(h = 1 | v) at inverse temperature beta (σ(β(vW + c)));
// with sample set, it also draws hs from hp. The product is vW alone; the
// bias, σ and the draw take one pass (heatBath).
func (g *chains) up(beta float64, sample bool) {
	m := g.m
	if g.f != nil {
		g.up32(beta, sample)
		return
	}
	if g.pk != nil && g.pk.pack(g.v, g.n, m.nv, m.w, m.nh) {
		g.pk.pre(g.n, m.nh, nil, g.hp)
	} else {
		pre(g.n, m.nv, m.nh, g.v, m.w, nil, g.hp)
	}
	var s []float64
	if sample {
		s = g.hs
	}
	heatBath(g.hp, m.nh, g.hiddenBias(beta), beta, g.hp, s, g.r)
}

// hiddenBias returns β·c.
func (g *chains) hiddenBias(beta float64) []float64 {
	c := g.m.c
	if beta != 1 {
		for j, x := range c {
			g.cb[j] = beta * x
		}
		c = g.cb
	}
	return c
}

// down draws v given hs, from the model whose visible bias (binary units)
// or mean (Gaussian units) is bias and whose weights are scaled by beta.
func (g *chains) down(beta float64, bias []float64) {
	m := g.m
	if g.f != nil {
		g.down32(beta, bias, true)
		return
	}
	if m.cfg.Units == Binary { // σ(bias + β·hWᵀ): β goes to the heat-bath pass
		preT(g.n, m.nv, m.nh, g.hs, m.w, 1, nil, g.vp)
		heatBath(g.vp, m.nv, bias, beta, g.vp, g.v, g.r)
		return
	}
	preT(g.n, m.nv, m.nh, g.hs, m.w, beta, bias, g.vp)
	sampleGaussian(g.vp, g.v, g.r)
}

// means sets vp = E[v | hs] for the visible bias b (training's monitor of
// the reconstruction).
func (g *chains) means() {
	m := g.m
	switch {
	case g.f != nil:
		g.down32(1, m.b, false)
	case m.cfg.Units == Binary:
		preT(g.n, m.nv, m.nh, g.hs, m.w, 1, nil, g.vp)
		heatBath(g.vp, m.nv, m.b, 1, g.vp, nil, nil)
	default:
		preT(g.n, m.nv, m.nh, g.hs, m.w, 1, m.b, g.vp)
	}
}

// addOuter sets dst += alpha·vᵀhp for the chains' v and hp, in the
// chains' precision, over the columns of the last up() when packed.
func (g *chains) addOuter(dst []float64, alpha float64) {
	m := g.m
	switch {
	case g.f != nil:
		g.f.pk.addOuter(dst, g.f.v, g.n, m.nv, m.nh, alpha, g.f.hp)
	case g.pk != nil:
		g.pk.addOuter(dst, g.v, g.n, m.nv, m.nh, alpha, g.hp)
	default:
		addOuterDense(dst, g.v, g.n, m.nv, m.nh, alpha, g.hp)
	}
}

// Sample runs k ≥ 1 full Gibbs steps (h ~ p(h|v), then v ~ p(v|h)) from
// each row of v and returns the final visible states; seed sets the
// random stream. It returns an error for k < 1 or rows the model cannot
// take (wrong length, not finite, not 0/1 for Binary units).
func (m *RBM) Sample(v [][]float64, k int, seed uint64) ([][]float64, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	if k < 1 {
		return nil, errorf(ErrInput, "Sample: k = %d Gibbs steps; need k ≥ 1", k)
	}
	flat, err := m.checkData("Sample", v)
	if err != nil {
		return nil, err
	}
	g := newChains(m, len(v), rng.New(seed))
	copy(g.v, flat)
	for range k {
		g.up(1, true)
		g.down(1, m.b)
	}
	return rows(g.v, g.n, m.nv), nil
}

// Means returns E[v | h] for h drawn once from p(h | v) for each row of v:
// the usual way to show an RBM's samples without the last step's noise.
func (m *RBM) Means(v [][]float64, seed uint64) ([][]float64, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	flat, err := m.checkData("Means", v)
	if err != nil {
		return nil, err
	}
	g := newChains(m, len(v), rng.New(seed))
	copy(g.v, flat)
	g.up(1, true)
	preT(g.n, m.nv, m.nh, g.hs, m.w, 1, m.b, g.vp)
	if m.cfg.Units == Binary {
		sigmoidInPlace(g.vp, 1)
	}
	return rows(g.vp, g.n, m.nv), nil
}
