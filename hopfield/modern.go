package hopfield

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/vmath"
)

// Modern is the modern (dense) Hopfield network with continuous states of
// Ramsauer et al. (2020). It stores P patterns x_μ ∈ ℝ^d as the rows of X
// and has the energy
//
//	E(ξ) = −β⁻¹ log Σ_μ exp(β x_μᵀξ) + ½ ξᵀξ + β⁻¹ log P + ½ M²,
//
// M = max_μ ‖x_μ‖, whose concave-convex minimisation gives the update
//
//	ξ ← Xᵀ softmax(β X ξ),
//
// the attention of a transformer. It never raises E, converges in one
// update when the patterns are well separated, and stores exponentially
// many patterns in d (far beyond the 0.138 d of the classical network).
// Make one with NewModern: the methods of a zero Modern return errors.
type Modern struct {
	p, d    int
	x       []float64 // P×d row-major: pattern μ is x[μd:(μ+1)d]
	xt      []float64 // d×P row-major: Xᵀ, for the batched products
	beta    float64
	maxNorm float64
}

// NewModern stores the patterns (all of length d > 0, finite) at inverse
// temperature β > 0. The patterns are copied.
func NewModern(patterns [][]float64, beta float64) (*Modern, error) {
	if !(beta > 0) || math.IsInf(beta, 0) {
		return nil, errorf(ErrInput, "β must be positive and finite, got %v", beta)
	}
	if len(patterns) == 0 {
		return nil, errorf(ErrInput, "no patterns")
	}
	d := len(patterns[0])
	if d == 0 {
		return nil, errorf(ErrInput, "pattern 0 is empty (d = 0)")
	}
	m := &Modern{p: len(patterns), d: d, x: make([]float64, 0, len(patterns)*d), beta: beta}
	for k, x := range patterns {
		if len(x) != d {
			return nil, errorf(ErrInput, "pattern %d has length %d, pattern 0 has %d", k, len(x), d)
		}
		if err := checkFinite(fmt.Sprintf("pattern %d", k), x); err != nil {
			return nil, err
		}
		m.x = append(m.x, x...)
		var n2 float64
		for _, v := range x {
			n2 += v * v
		}
		m.maxNorm = math.Max(m.maxNorm, math.Sqrt(n2))
	}
	m.xt = make([]float64, m.d*m.p)
	for mu := 0; mu < m.p; mu++ {
		for i := 0; i < m.d; i++ {
			m.xt[i*m.p+mu] = m.x[mu*m.d+i]
		}
	}
	return m, nil
}

// P returns the number of stored patterns.
func (m *Modern) P() int { return m.p }

// D returns the pattern dimension.
func (m *Modern) D() int { return m.d }

// Beta returns the inverse temperature β.
func (m *Modern) Beta() float64 { return m.beta }

// Pattern returns a copy of stored pattern mu. Like a slice index, it
// panics if mu is outside [0, P).
func (m *Modern) Pattern(mu int) []float64 {
	return append([]float64(nil), m.x[mu*m.d:(mu+1)*m.d]...)
}

func (m *Modern) checkState(xi []float64) error {
	if m == nil || m.p == 0 {
		return errZero("Modern", "NewModern")
	}
	if len(xi) != m.d {
		return errorf(ErrInput, "state has length %d, patterns have %d", len(xi), m.d)
	}
	return checkFinite("state", xi)
}

// scores sets z_μ = x_μᵀξ.
func (m *Modern) scores(z, xi []float64) {
	blas64.Gemv(blas.NoTrans, 1, blas64.General{Rows: m.p, Cols: m.d, Stride: m.d, Data: m.x},
		blas64.Vector{N: m.d, Inc: 1, Data: xi}, 0, blas64.Vector{N: m.p, Inc: 1, Data: z})
}

// Attention returns the weights softmax(β X ξ) of the stored patterns for
// the state ξ (they sum to one). It returns an error for a state of the
// wrong length or not finite, and when a score x_μᵀξ overflows.
func (m *Modern) Attention(xi []float64) ([]float64, error) {
	if err := m.checkState(xi); err != nil {
		return nil, err
	}
	z := make([]float64, m.p)
	m.scores(z, xi)
	if err := checkFinite("scores X ξ (patterns or state too large)", z); err != nil {
		return nil, err
	}
	softmaxScaled(z, m.beta)
	return z, nil
}

// Update returns one update ξ' = Xᵀ softmax(β X ξ).
func (m *Modern) Update(xi []float64) ([]float64, error) {
	a, err := m.Attention(xi)
	if err != nil {
		return nil, err
	}
	out := make([]float64, m.d)
	blas64.Gemv(blas.Trans, 1, blas64.General{Rows: m.p, Cols: m.d, Stride: m.d, Data: m.x},
		blas64.Vector{N: m.p, Inc: 1, Data: a}, 0, blas64.Vector{N: m.d, Inc: 1, Data: out})
	return out, nil
}

// Retrieve applies Update until ‖ξ' − ξ‖∞ ≤ tol or maxSteps updates, and
// returns the last state and the number of updates made.
func (m *Modern) Retrieve(xi []float64, maxSteps int, tol float64) ([]float64, int, error) {
	if maxSteps <= 0 {
		return nil, 0, errorf(ErrInput, "Retrieve needs maxSteps > 0, got %d", maxSteps)
	}
	if !(tol >= 0) {
		return nil, 0, errorf(ErrInput, "Retrieve tolerance %v < 0", tol)
	}
	cur := append([]float64(nil), xi...)
	for step := 1; step <= maxSteps; step++ {
		next, err := m.Update(cur)
		if err != nil {
			return nil, 0, err
		}
		var diff float64
		for i := range next {
			diff = math.Max(diff, math.Abs(next[i]-cur[i]))
		}
		cur = next
		if diff <= tol {
			return cur, step, nil
		}
	}
	return cur, maxSteps, nil
}

// Energy returns E(ξ).
func (m *Modern) Energy(xi []float64) (float64, error) {
	if err := m.checkState(xi); err != nil {
		return 0, err
	}
	z := make([]float64, m.p)
	m.scores(z, xi)
	if err := checkFinite("scores X ξ (patterns or state too large)", z); err != nil {
		return 0, err
	}
	var q float64
	for _, v := range xi {
		q += v * v
	}
	return -lse(z, m.beta) + 0.5*q + math.Log(float64(m.p))/m.beta + 0.5*m.maxNorm*m.maxNorm, nil
}

// lse returns β⁻¹ log Σ exp(β z_i), computed stably.
func lse(z []float64, beta float64) float64 {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = math.Max(mx, v)
	}
	var s float64
	for _, v := range z {
		s += math.Exp(beta * (v - mx))
	}
	return mx + math.Log(s)/beta
}

// softmaxScaled replaces z by softmax(β z) in place.
func softmaxScaled(z []float64, beta float64) {
	inv := 1 / expShifted(z, beta)
	for i := range z {
		z[i] *= inv
	}
}

// expShifted replaces z by exp(β(z − max z)) in place and returns the sum:
// an unnormalised softmax that cannot overflow.
func expShifted(z []float64, beta float64) float64 {
	// Four running maxima: one chain would wait on each compare.
	m := [4]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	n4 := len(z) &^ 3
	for i := 0; i < n4; i += 4 {
		q := z[i : i+4 : i+4]
		// Comparisons, not the builtin max (its NaN and signed-zero
		// handling costs more than the rest of the softmax); a NaN score
		// still makes the sum NaN below.
		if q[0] > m[0] {
			m[0] = q[0]
		}
		if q[1] > m[1] {
			m[1] = q[1]
		}
		if q[2] > m[2] {
			m[2] = q[2]
		}
		if q[3] > m[3] {
			m[3] = q[3]
		}
	}
	for _, v := range z[n4:] {
		if v > m[0] {
			m[0] = v
		}
	}
	mx := max(m[0], m[1], m[2], m[3])
	for i, v := range z {
		z[i] = beta * (v - mx)
	}
	// Vectorized exps and their sum in one pass (internal/vmath: within 2
	// ulp of math.Exp); with math.Exp they cost as much as the products.
	return vmath.ExpSum(z, z)
}

// batchBlock is the number of queries UpdateBatch handles per pair of
// GEMMs, so that the B×P score block stays in cache.
const batchBlock = 128

// parallelExp is the number of scores from which expRows splits its rows
// across GOMAXPROCS goroutines.
const parallelExp = 1 << 15

// expRows replaces each row z of s (rows of length p) by
// exp(β(z − max z)) and sets inv[i] to 1/Σ of row i: an unnormalised
// softmax of βz. Rows are shared among goroutines when there are many
// scores.
func expRows(s []float64, p int, beta float64, inv []float64) {
	rows := len(inv)
	work := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			inv[i] = 1 / expShifted(s[i*p:(i+1)*p], beta)
		}
	}
	w := min(runtime.GOMAXPROCS(0), rows)
	if w <= 1 || len(s) < parallelExp {
		work(0, rows)
		return
	}
	var wg sync.WaitGroup
	for k := 0; k < w; k++ {
		lo, hi := k*rows/w, (k+1)*rows/w
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(lo, hi)
		}()
	}
	wg.Wait()
}

// UpdateBatch applies one update to every row of q (B×d queries) with two
// matrix products per block of queries, S = β Q Xᵀ and Q' = softmax(S) X,
// and writes the result into dst (B×d; allocated when nil, sized when
// empty, as in gonum's mat). dst may be q. On an error from an overflowed
// score, dst may be partly written.
// Both products run on the core's GEMM (internal/ad.Gemm: its AVX2/FMA
// kernel, or OpenBLAS under -tags openblas) with both operands in the
// layout it reads in place: Q·Xᵀ on the stored copy of Xᵀ (d×P), the
// weights times X on X (P×d).
func (m *Modern) UpdateBatch(dst, q *mat.Dense) (*mat.Dense, error) {
	if m == nil || m.p == 0 {
		return nil, errZero("Modern", "NewModern")
	}
	if q == nil {
		return nil, errorf(ErrInput, "UpdateBatch of nil queries")
	}
	b, d := q.Dims()
	if d != m.d {
		return nil, errorf(ErrInput, "queries have %d columns, patterns have %d", d, m.d)
	}
	switch {
	case dst == nil:
		dst = mat.NewDense(b, d, nil)
	case dst.IsEmpty():
		dst.ReuseAs(b, d)
	default:
		if r, c := dst.Dims(); r != b || c != d {
			return nil, errorf(ErrInput, "dst is %d×%d, want %d×%d", r, c, b, d)
		}
	}
	qr := q.RawMatrix()
	for i := 0; i < b; i++ {
		if err := checkFinite(fmt.Sprintf("query %d", i), qr.Data[i*qr.Stride:i*qr.Stride+d]); err != nil {
			return nil, err
		}
	}
	dr := dst.RawMatrix()
	bs := min(batchBlock, b)
	s := make([]float64, bs*m.p)
	inv := make([]float64, bs)
	out := make([]float64, bs*m.d) // dst may alias q
	for i0 := 0; i0 < b; i0 += bs {
		nb := min(bs, b-i0)
		ad.Gemm(false, false, nb, m.p, d, qr.Data[i0*qr.Stride:], qr.Stride, m.xt, m.p, s, m.p) // Q Xᵀ
		expRows(s[:nb*m.p], m.p, m.beta, inv[:nb])
		ad.Gemm(false, false, nb, d, m.p, s, m.p, m.x, d, out, d) // weights · X
		// Normalise here, on B×d values, rather than the B×P weights.
		for i := 0; i < nb; i++ {
			row := dr.Data[(i0+i)*dr.Stride : (i0+i)*dr.Stride+d]
			for j, v := range out[i*d : (i+1)*d] {
				row[j] = v * inv[i]
			}
			if err := checkFinite(fmt.Sprintf("update of query %d (scores overflowed: patterns or queries too large for β)", i0+i), row); err != nil {
				return nil, err
			}
		}
	}
	return dst, nil
}
