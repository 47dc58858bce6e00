package energy

import (
	"math"
	"math/rand/v2"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/rng"
	"gonum.org/v1/gonum/blas"
)

// batchNet evaluates an MLP energy and its exact input gradient for a
// whole batch of points with matrix products: the reverse pass of
// internal/ad's Dense (g ← (g·Wᵀ) ⊙ σ′(z)) on a batch, computing only σ and
// σ′. It serves the Langevin chains of MLPEnergy.Train, where Dense's
// one-point-at-a-time evaluation (σ to σ‴ for every unit) cost most of the
// time; TestBatchNetMatchesDense checks it against Dense.
type batchNet struct {
	sizes []int
	act   ad.Activation
	w, b  [][]float64 // views into the parameters
	n     int         // batch size the scratch is sized for
	z, s1 [][]float64 // per layer: activations (n×size) and σ′ (hidden layers)
	g     [][]float64 // per layer: cotangents
}

func newBatchNet(sizes []int, act ad.Activation, theta []float64, n int) *batchNet {
	bn := &batchNet{sizes: sizes, act: act, n: n}
	off := 0
	L := len(sizes) - 1
	for l := range L {
		a, c := sizes[l], sizes[l+1]
		bn.w = append(bn.w, theta[off:off+a*c])
		off += a * c
		bn.b = append(bn.b, theta[off:off+c])
		off += c
	}
	for l := range L + 1 {
		bn.z = append(bn.z, make([]float64, n*sizes[l]))
		bn.s1 = append(bn.s1, make([]float64, n*sizes[l]))
		bn.g = append(bn.g, make([]float64, n*sizes[l]))
	}
	return bn
}

// actD returns σ(z) and σ′(z).
func actD(a ad.Activation, z float64) (float64, float64) {
	switch a {
	case ad.Tanh:
		t := math.Tanh(z)
		return t, 1 - t*t
	case ad.Softplus: // one exp for both
		e := math.Exp(-math.Abs(z))
		sp, s := math.Log1p(e), 1/(1+e)
		if z > 0 {
			return z + sp, s
		}
		return sp, e * s
	case ad.Sigmoid:
		s := sigmoid(z)
		return s, s * (1 - s)
	case ad.Sin:
		return math.Sin(z), math.Cos(z)
	}
	return z, 1
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// eval sets e (n) to E at the rows of x (n×In) and, when g is not nil, g
// (n×In) to ∇ₓE.
func (bn *batchNet) eval(x []float64, e, g []float64) {
	n, L := bn.n, len(bn.sizes)-1
	copy(bn.z[0], x)
	for l := range L {
		in, out := bn.sizes[l], bn.sizes[l+1]
		z := bn.z[l+1]
		for r := range n {
			copy(z[r*out:(r+1)*out], bn.b[l])
		}
		dgemm(blas.NoTrans, blas.NoTrans, n, out, in, 1, bn.z[l], in, bn.w[l], out, 1, z, out)
		if l == L-1 {
			break
		}
		s1 := bn.s1[l+1]
		for i, v := range z {
			z[i], s1[i] = actD(bn.act, v)
		}
	}
	copy(e, bn.z[L])
	if g == nil {
		return
	}
	// Reverse pass from dE/dE = 1.
	gl := bn.g[L]
	for i := range gl {
		gl[i] = 1
	}
	for l := L - 1; l >= 0; l-- {
		in, out := bn.sizes[l], bn.sizes[l+1]
		if l < L-1 {
			for i, s := range bn.s1[l+1] {
				bn.g[l+1][i] *= s
			}
		}
		dst := bn.g[l]
		if l == 0 {
			dst = g
		}
		dgemm(blas.NoTrans, blas.Trans, n, in, out, 1, bn.g[l+1], out, bn.w[l], out, 0, dst, in)
	}
}

// ula runs steps of unadjusted Langevin, x ← x − ε∇E + √(2εT)ξ, on the n
// rows of x (row-major, n×d) at once; it returns false if a state or
// gradient became NaN or Inf.
func (bn *batchNet) ula(x []float64, steps int, eps, T float64, r *rand.Rand) bool {
	d := bn.sizes[0]
	e := make([]float64, bn.n)
	g := make([]float64, bn.n*d)
	noise := math.Sqrt(2 * eps * T)
	for range steps {
		bn.eval(x, e, g)
		for i := range x {
			x[i] += -eps*g[i] + noise*r.NormFloat64()
		}
	}
	return finite(x) && finite(g)
}

// langevinBatch runs the chains of Langevin (same proposals, same
// acceptance rule, chain k drawing from stream k of cfg.Seed, so the same
// random numbers) on all n rows of x (n×d) at once, with eval setting the
// energies e and gradients g of a batch. cfg must have its defaults.
func langevinBatch(eval func(x, e, g []float64), x []float64, n, d int, cfg LangevinConfig) (accepted float64, err error) {
	eps, T := cfg.StepSize, cfg.Temperature
	noise := math.Sqrt(2 * eps * T)
	rs := make([]*rand.Rand, n)
	for k := range rs {
		rs[k] = rng.Stream(cfg.Seed, uint64(k))
	}
	e, g := make([]float64, n), make([]float64, n*d)
	ey, gy := make([]float64, n), make([]float64, n*d)
	y := make([]float64, n*d)
	eval(x, e, g)
	acc := 0
	for step := 1; step <= cfg.Steps; step++ {
		for k := range n {
			r := rs[k]
			for i := k * d; i < (k+1)*d; i++ {
				y[i] = x[i] - eps*g[i] + noise*r.NormFloat64()
			}
		}
		eval(y, ey, gy)
		for k := range n {
			yk, gk := y[k*d:(k+1)*d], gy[k*d:(k+1)*d]
			if !finite(yk) || !finite(gk) {
				return 0, errorf(ErrNotFinite, "Langevin: step %d, chain %d: the state or its gradient is not finite (smaller StepSize?)", step, k)
			}
			xk, g0 := x[k*d:(k+1)*d], g[k*d:(k+1)*d]
			if cfg.Metropolis {
				var lq float64
				for i := range xk {
					a := xk[i] - yk[i] + eps*gk[i]
					b := yk[i] - xk[i] + eps*g0[i]
					lq -= (a*a - b*b) / (4 * eps * T)
				}
				logA := (e[k]-ey[k])/T + lq
				if math.IsNaN(logA) || !(logA >= 0 || rs[k].Float64() < math.Exp(logA)) {
					continue
				}
			}
			acc++
			copy(xk, yk)
			copy(g0, gk)
			e[k] = ey[k]
		}
	}
	return float64(acc) / float64(max(1, n*cfg.Steps)), nil
}

// Langevin runs Langevin chains on the model's energy from the rows of x0,
// as the function Langevin does with AsEnergy (the same proposals and
// random numbers), but for all chains at once with matrix products.
func (m *MLPEnergy) Langevin(x0 [][]float64, cfg LangevinConfig) (LangevinResult, error) {
	var res LangevinResult
	if err := m.ready(); err != nil {
		return res, err
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return res, err
	}
	d := m.cfg.Dim
	flat, err := checkRows("Langevin: x0", x0, d)
	if err != nil {
		return res, err
	}
	bn := newBatchNet(m.sizes, m.act, m.theta, len(x0))
	res.Accepted, err = langevinBatch(bn.eval, flat, len(x0), d, cfg)
	if err != nil {
		return res, err
	}
	res.X = rows(flat, len(x0), d)
	return res, nil
}
