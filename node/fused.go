package node

import (
	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/blas"
)

// fused is the built-in MLP f of a Model (New) evaluated in plain Go on the
// core's GEMM (internal/blas), without gorgonia: the fast path of every
// solve and gradient, with the regularizers and traces of fused_terms.go
// integrated beside the state or without them. A forward evaluation keeps what the reverse pass needs in a record (the
// input x = (y, t), every hidden layer's activation a_l = σ(z_l), and σ′(z_l)
// where it is not a function of a_l), so a vector–Jacobian product runs
// the reverse pass without evaluating f again:
//
//	g = cot,  ∂W_l += a_{l−1}ᵀg,  ∂b_l += Σ_rows g,  g ← (g·W_lᵀ) ⊙ σ′(z_{l−1}),
//
// down to g·W_0ᵀ = (∂L/∂y, ∂L/∂t). The gorgonia kernel computes the same
// products (tests: the two agree to 2e-14 relative). Records come from a
// slab kept with the model and reused between calls, so that after the
// first call a solve or gradient allocates nothing per evaluation of f.
type fused struct {
	sizes     []int // [in, h_1, ..., n]
	act       ad.Activation
	timeInput bool
	B, n      int
	w, b      [][]float64 // views into the model's θ: W_l row-major (sizes[l], sizes[l+1])
	off       []int       // offset of W_l in θ (b_l follows it)
	// wt[l] is W_lᵀ for a narrow layer (fewer outputs than the GEMM
	// kernel's 8 columns), nil otherwise: its product is then one dot
	// product of contiguous rows per output (see sync).
	wt [][]float64

	g0, g1  []float64 // reverse-pass buffers, B×max width
	out     []float64 // f (and the terms) when a vjp's caller does not want it
	tmp     *fusedRec // the record of evaluations that are not kept
	recSize int       // bytes of a record

	// The terms integrated beside the state, and what they need (see
	// fused_terms.go); all empty without terms.
	terms

	slab []*fusedRec // records of a backprop tape; slab[:used] are in use
	used int
}

// fusedRec is what one evaluation of f keeps for its reverse pass.
type fusedRec struct {
	x      []float64   // input, B×sizes[0]
	a      [][]float64 // a[l] = σ(z_l), B×sizes[l+1], for the hidden layers
	d      [][]float64 // σ′(z_l) when it is not a function of a[l]; else nil
	pinned bool        // on a tape: the next evaluation into its buffer takes a new record

	// With terms: f the output (B×n); with forward tangents (T of them,
	// stacked as T·B rows, tangent k in rows k·B to (k+1)·B): tx the input
	// tangents, tz[l] = ż_l of the hidden layers, tv the output tangents
	// (∂f/∂x)·ẋ (T·B×n). σ′, σ″ and ȧ_l = σ′(z_l)⊙ż_l are computed again
	// in the reverse pass, so that a record of one tangent is twice the
	// size of a plain one, not five times.
	f      []float64
	tx, tv []float64
	tz     [][]float64
	// With Kelly's term of order K ≥ 3 (fused_jets.go), the Taylor
	// coefficients k = 1..K−1 along the flow (index 0 unused): xj[k] of the
	// input, zj[l][k] of the hidden layers' z, fj[k] of f.
	xj, fj [][]float64
	zj     [][][]float64
}

// derivFromValue reports whether σ′(z) is computed from σ(z) in the
// reverse pass (so records need not keep it).
func derivFromValue(a ad.Activation) bool {
	switch a {
	case ad.Tanh, ad.Sigmoid, ad.Identity, ad.ReLU:
		return true
	}
	return false
}

// newFused returns the fused evaluator of net for batches of B states with
// the terms ts integrated beside them (fusedTerm reports which it takes), on
// the parameters theta (laid out as Model.Params: W0, b0, W1, b1, ...).
func newFused(net *mlpNet, B, n int, theta []float64, ts []term) *fused {
	f := &fused{sizes: net.sizes, act: net.act, timeInput: net.timeInput, B: B, n: n}
	f.terms = newTerms(ts, n)
	f.jets = newJets(ts, net.act)
	p, maxW := 0, 0
	for l := 0; l+1 < len(f.sizes); l++ {
		fi, fo := f.sizes[l], f.sizes[l+1]
		f.off = append(f.off, p)
		f.w = append(f.w, theta[p:p+fi*fo:p+fi*fo])
		p += fi * fo
		f.b = append(f.b, theta[p:p+fo:p+fo])
		p += fo
		maxW = max(maxW, fi, fo)
	}
	f.wt = make([][]float64, len(f.w))
	for l := range f.w {
		if f.sizes[l+1] < narrow {
			f.wt[l] = make([]float64, len(f.w[l]))
		}
	}
	f.g0, f.g1 = make([]float64, B*maxW), make([]float64, B*maxW)
	f.out = make([]float64, B*(n+len(f.list)))
	f.allocTerms(B, maxW)
	f.tmp = f.newRec()
	f.layoutRec(func(k int) []float64 { f.recSize += 8 * k; return nil })
	return f
}

// narrow is the number of outputs below which a layer's forward product
// runs on its transposed weights (internal/blas's kernel is 8 columns
// wide; narrower products with an untransposed right factor stride down
// its columns).
const narrow = 8

// sync copies the transposed weights of the narrow layers from θ; callers
// run it before a solve, after θ may have changed.
func (f *fused) sync() {
	for l, wt := range f.wt {
		if wt == nil {
			continue
		}
		fi, fo := f.sizes[l], f.sizes[l+1]
		for i := 0; i < fi; i++ {
			for j := 0; j < fo; j++ {
				wt[j*fi+i] = f.w[l][i*fo+j]
			}
		}
	}
}

// newRec allocates a record, in one slice.
func (f *fused) newRec() *fusedRec {
	size := 0
	f.layoutRec(func(k int) []float64 { size += k; return nil })
	buf := make([]float64, size)
	return f.layoutRec(func(k int) []float64 {
		s := buf[:k:k]
		buf = buf[k:]
		return s
	})
}

// layoutRec returns a record whose slices come from take.
func (f *fused) layoutRec(take func(k int) []float64) *fusedRec {
	L, B, T := len(f.sizes)-1, f.B, f.T
	keepD := !derivFromValue(f.act)
	r := &fusedRec{x: take(B * f.sizes[0])}
	r.a = make([][]float64, L-1)
	r.d = make([][]float64, L-1)
	for l := 0; l < L-1; l++ {
		r.a[l] = take(B * f.sizes[l+1])
		if keepD {
			r.d[l] = take(B * f.sizes[l+1])
		}
	}
	if len(f.list) > 0 {
		r.f = take(B * f.n)
	}
	if T > 0 {
		r.tz = make([][]float64, L-1)
		r.tx = take(T * B * f.sizes[0])
		for l := 0; l < L-1; l++ {
			r.tz[l] = take(T * B * f.sizes[l+1])
		}
		r.tv = take(T * B * f.n)
	}
	if J := f.J; J > 0 {
		r.xj, r.fj = make([][]float64, J+1), make([][]float64, J+1)
		r.zj = make([][][]float64, L-1)
		for l := range r.zj {
			r.zj[l] = make([][]float64, J+1)
		}
		for k := 1; k <= J; k++ {
			r.xj[k] = take(B * f.sizes[0])
			r.fj[k] = take(B * f.n)
			for l := 0; l < L-1; l++ {
				r.zj[l][k] = take(B * f.sizes[l+1])
			}
		}
	}
	return r
}

// recBytes is the size of one record in bytes.
func (f *fused) recBytes() int { return f.recSize }

// reset frees every record of the slab for reuse.
func (f *fused) reset() {
	for _, r := range f.slab[:f.used] {
		r.pinned = false
	}
	f.used = 0
}

// take returns a free record of the slab, growing it when all are in use.
func (f *fused) take() *fusedRec {
	if f.used == len(f.slab) {
		f.slab = append(f.slab, f.newRec())
	}
	r := f.slab[f.used]
	f.used++
	r.pinned = false
	return r
}

// tapeBytes bounds the records one backprop solve keeps (a var so that
// tests can lower it): once the tape holds that much, the evaluations of
// later steps keep nothing and their reverse passes evaluate f again, as
// the gorgonia path does, so that a long solve of a large batch costs
// time, not memory beyond the bound.
var tapeBytes = 512 << 20

// keepBytes bounds the records a model keeps between calls; a larger slab
// is dropped after its gradient, so that one long solve does not hold its
// memory for the model's life.
const keepBytes = 64 << 20

// full reports whether the slab holds tapeBytes of records in use.
func (f *fused) full() bool { return (f.used+1)*f.recBytes() > tapeBytes }

// trim frees the slab's records for reuse, and drops them when they take
// more than keepBytes.
func (f *fused) trim() {
	f.reset()
	if len(f.slab)*f.recBytes() > keepBytes {
		f.slab = nil
	}
}

// forward writes f at network times tau + off[r] (off nil means 0) and
// states y (B×n) into d (B×n), keeping the activations in rec.
func (f *fused) forward(tau float64, off, y, d []float64, rec *fusedRec) {
	B, n, in := f.B, f.n, f.sizes[0]
	x := rec.x
	if f.timeInput {
		for r := 0; r < B; r++ {
			copy(x[r*in:r*in+n], y[r*n:(r+1)*n])
			t := tau
			if off != nil {
				t += off[r]
			}
			x[r*in+n] = t
		}
	} else {
		copy(x, y[:B*n])
	}
	L := len(f.sizes) - 1
	a := x
	for l := 0; l < L; l++ {
		fo := f.sizes[l+1]
		var z []float64
		if l < L-1 {
			z = rec.a[l]
		} else {
			z = d[:B*fo]
		}
		for r := 0; r < B; r++ { // z = b + a·W: the product adds to the biases
			copy(z[r*fo:(r+1)*fo], f.b[l])
		}
		f.mul(l, B, a, z, true)
		if l < L-1 {
			ds := rec.d[l]
			if ds == nil && f.second() { // the tangents and jets need σ′
				ds = f.d1[l]
			}
			f.act.Apply(z, z, ds)
		}
		a = z
	}
	if len(f.list) > 0 {
		f.forwardTerms(rec, d)
	}
}

// mul sets z (rows×sizes[l+1]) to a·W_l (a rows×sizes[l]), or adds it to z
// when add, on the transposed weights of a narrow layer.
func (f *fused) mul(l, rows int, a, z []float64, add bool) {
	fi, fo := f.sizes[l], f.sizes[l+1]
	if wt := f.wt[l]; wt != nil {
		blas.Gemm(false, true, rows, fo, fi, a, fi, wt, fi, z, fo, add)
	} else {
		blas.Gemm(false, false, rows, fo, fi, a, fi, f.w[l], fo, z, fo, add)
	}
}

// backward runs the reverse pass of the evaluation kept in rec for the
// cotangent cot of f (B×n) and of the terms (B×m after it, m per sample):
// it writes cotᵀ∂rhs/∂y into ybar (B×n; its terms' part, when it has one,
// is 0), adds cotᵀ∂rhs/∂θ to gtheta (laid out as θ) and returns
// cotᵀ∂rhs/∂τ, summed over the batch (every sample's time moves with τ).
func (f *fused) backward(rec *fusedRec, cot, ybar, gtheta []float64) float64 {
	B, n, in := f.B, f.n, f.sizes[0]
	L := len(f.sizes) - 1
	g := cot[:B*n]
	if len(f.list) > 0 {
		// The terms' cotangents become a cotangent of f and, through the
		// tangents' reverse pass, the sums s[l] that join the hidden
		// layers' cotangents below.
		g = f.backwardTerms(rec, cot, gtheta)
		clear(ybar[B*n : min(len(ybar), B*(n+len(f.list)))])
	}
	buf, next := f.g0, f.g1
	for l := L - 1; l >= 0; l-- {
		fi, fo := f.sizes[l], f.sizes[l+1]
		a := rec.x
		if l > 0 {
			a = rec.a[l-1]
		}
		p := f.off[l]
		blas.Gemm(true, false, fi, fo, B, a, fi, g, fo, gtheta[p:p+fi*fo], fo, true)
		if l == L-1 { // the hidden layers' bias gradients are summed below
			gb := gtheta[p+fi*fo : p+fi*fo+fo]
			for r := 0; r < B; r++ {
				gr := g[r*fo : (r+1)*fo]
				gr = gr[:len(gb)]
				for j, v := range gr {
					gb[j] += v
				}
			}
		}
		gn := buf[:B*fi]
		blas.Gemm(false, true, B, fi, fo, g, fo, f.w[l], fo, gn, fi, false)
		if l > 0 {
			q := f.off[l-1] + f.sizes[l-1]*fi // b_{l−1} in θ
			if f.second() {
				f.scaleBySecond(gn, f.cur1[l-1], f.s[l-1], gtheta[q:q+fi])
			} else {
				f.scaleByDeriv(gn, a, rec.d[l-1], gtheta[q:q+fi])
			}
		}
		g = gn
		buf, next = next, buf
	}
	tbar := 0.0
	if f.timeInput {
		for r := 0; r < B; r++ {
			copy(ybar[r*n:(r+1)*n], g[r*in:r*in+n])
			tbar += g[r*in+n]
		}
	} else {
		copy(ybar[:B*n], g)
	}
	return tbar
}

// scaleByDeriv multiplies g (rows of len(gb)) by σ′(z) elementwise, σ′
// taken from the activation a = σ(z) or from the kept derivatives d, and
// adds the column sums of the result to gb (the bias gradient) in the same
// pass.
func (f *fused) scaleByDeriv(g, a, d, gb []float64) {
	w := len(gb)
	a = a[:len(g)]
	for r := 0; r+w <= len(g); r += w {
		gr, ar := g[r:r+w], a[r:r+w]
		switch {
		case d != nil:
			dr := d[r : r+w]
			for j, v := range dr {
				s := gr[j] * v
				gr[j] = s
				gb[j] += s
			}
		case f.act == ad.Tanh:
			for j, v := range ar {
				s := gr[j] * (1 - v*v)
				gr[j] = s
				gb[j] += s
			}
		case f.act == ad.Sigmoid:
			for j, v := range ar {
				s := gr[j] * (v * (1 - v))
				gr[j] = s
				gb[j] += s
			}
		case f.act == ad.ReLU:
			for j, v := range ar {
				if v <= 0 {
					gr[j] = 0
				}
				gb[j] += gr[j]
			}
		default: // identity
			for j, v := range gr {
				gb[j] += v
			}
		}
	}
}
