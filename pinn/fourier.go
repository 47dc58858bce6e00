package pinn

import (
	"math"

	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/rng"
	G "gorgonia.org/gorgonia"
)

// Fourier sets the input embedding of the network (Config.Fourier). Its
// zero value means none: the network sees the scaled coordinates.
//
// Periodic embedding (a hard constraint, Dong and Ni 2021; Wang et al.
// 2023): each spatial dimension i listed in Periodic enters the network
// only as cos(kπs_i) and sin(kπs_i), k = 1 … Modes, where s_i ∈ [−1, 1] is
// x_i scaled from [Lo, Hi] (period Hi − Lo in x_i), so u and all its
// x_i-derivatives are exactly periodic whatever the weights, and the
// Periodic condition on that dimension leaves the loss. Every dimension
// listed must carry a Periodic condition (and no Dirichlet or Neumann one).
//
// Random Fourier features (Tancik et al. 2020; Wang, Wang and Perdikaris
// 2021): with Features > 0 the (embedded) input h is mapped to
// [cos(hB), sin(hB)], with B a fixed matrix of Features/2 columns drawn
// from N(0, Scale²) with Config.Seed; they let the network represent
// high frequencies, at the price of a scale to choose.
type Fourier struct {
	// Periodic lists the spatial dimensions embedded periodically.
	Periodic []int
	// Modes is the number of harmonics per periodic dimension; 0 means 1.
	Modes int
	// Features is the number of random Fourier features (even); 0 means
	// none.
	Features int
	// Scale is the standard deviation σ of the random frequencies (in
	// units of the scaled input); 0 means 1.
	Scale float64
}

// on reports whether the embedding changes the network's input.
func (f Fourier) on() bool { return len(f.Periodic) > 0 || f.Features > 0 }

// withDefaults validates the embedding against the problem and fills
// defaults.
func (f Fourier) withDefaults(p *Problem) (Fourier, error) {
	if f.Modes < 0 {
		return f, errorf(ErrInput, "Config.Fourier.Modes = %d, want ≥ 0 (0 means 1)", f.Modes)
	}
	if f.Features < 0 || f.Features%2 != 0 {
		return f, errorf(ErrInput, "Config.Fourier.Features = %d, want an even number ≥ 0", f.Features)
	}
	if f.Scale < 0 || math.IsNaN(f.Scale) || math.IsInf(f.Scale, 0) {
		return f, errorf(ErrInput, "Config.Fourier.Scale = %v, want > 0 (0 means 1)", f.Scale)
	}
	if f.Modes == 0 && len(f.Periodic) > 0 {
		f.Modes = 1
	}
	if f.Scale == 0 && f.Features > 0 {
		f.Scale = 1
	}
	seen := map[int]bool{}
	for _, d := range f.Periodic {
		if d < 0 || d >= len(p.Domain.Space) {
			return f, errorf(ErrInput, "Config.Fourier.Periodic holds %d, not a spatial dimension (the domain has %d)", d, len(p.Domain.Space))
		}
		if seen[d] {
			return f, errorf(ErrInput, "Config.Fourier.Periodic lists dimension %d twice", d)
		}
		seen[d] = true
		periodic := false
		for _, c := range p.Conditions {
			periodic = periodic || (c.Kind == Periodic && c.Dim == d)
		}
		if !periodic {
			return f, errorf(ErrInput, "Config.Fourier.Periodic embeds dimension %d, which has no Periodic condition: the embedding would force a periodicity the problem does not have", d)
		}
		for _, c := range p.Conditions {
			if (c.Kind == Dirichlet || c.Kind == Neumann) && c.Dim == d {
				return f, errorf(ErrInput, "Config.Fourier.Periodic embeds dimension %d, which also has a %v condition", d, c.Kind)
			}
		}
	}
	return f, nil
}

// embedding is the fixed map from scaled inputs s (each in [−1, 1]) to the
// network's first layer: feature f is
//
//	h_f = cos(Σ_i s_i P[i][f] + φ_f)   (trig features), or
//	h_f = s_{raw_f}                     (a coordinate passed through),
//
// and then, with random features, [cos(hB), sin(hB)].
type embedding struct {
	in    int
	trig  []bool
	raw   []int     // input index of a passed-through feature
	p     []float64 // (in, nf) row-major
	phase []float64
	rff   []float64 // (nf, nr) row-major, nr = Features/2; nil if none
	nr    int
}

// newEmbedding builds the embedding of dim inputs. A periodic input i
// (scaled onto [−1, 1], period 2) gives cos(kπ s_i) and sin(kπ s_i) =
// cos(kπ s_i − π/2); the others pass through.
func newEmbedding(dim int, f Fourier, seed uint64) *embedding {
	e := &embedding{in: dim}
	per := map[int]bool{}
	for _, d := range f.Periodic {
		per[d] = true
	}
	var cols [][]float64 // per feature, its column of p
	for i := 0; i < dim; i++ {
		if !per[i] {
			e.trig = append(e.trig, false)
			e.raw = append(e.raw, i)
			e.phase = append(e.phase, 0)
			cols = append(cols, make([]float64, dim))
			continue
		}
		for k := 1; k <= f.Modes; k++ {
			for _, ph := range []float64{0, -math.Pi / 2} {
				c := make([]float64, dim)
				c[i] = float64(k) * math.Pi
				e.trig = append(e.trig, true)
				e.raw = append(e.raw, -1)
				e.phase = append(e.phase, ph)
				cols = append(cols, c)
			}
		}
	}
	nf := len(cols)
	e.p = make([]float64, dim*nf)
	for fi, c := range cols {
		for i := range c {
			e.p[i*nf+fi] = c[i]
		}
	}
	if f.Features > 0 {
		e.nr = f.Features / 2
		r := rng.Stream(seed, 0xf0f1)
		e.rff = make([]float64, nf*e.nr)
		for k := range e.rff {
			e.rff[k] = f.Scale * r.NormFloat64()
		}
	}
	return e
}

// width returns the number of features the network's first layer sees.
func (e *embedding) width() int {
	if e.rff != nil {
		return 2 * e.nr
	}
	return len(e.trig)
}

// apply maps one scaled input s to the features (into dst, of length
// width()).
func (e *embedding) apply(dst, s []float64) {
	nf := len(e.trig)
	h := dst
	if e.rff != nil {
		h = make([]float64, nf)
	}
	for f := 0; f < nf; f++ {
		if !e.trig[f] {
			h[f] = s[e.raw[f]]
			continue
		}
		var z float64
		for i := 0; i < e.in; i++ {
			z += s[i] * e.p[i*nf+f]
		}
		h[f] = math.Cos(z + e.phase[f])
	}
	if e.rff == nil {
		return
	}
	for r := 0; r < e.nr; r++ {
		var z float64
		for f := 0; f < nf; f++ {
			z += h[f] * e.rff[f*e.nr+r]
		}
		dst[r], dst[e.nr+r] = math.Cos(z), math.Sin(z)
	}
}

// node builds the features of the (B, in) scaled input x on b's graph,
// from matrix products and elementwise cosines only (ops internal/grad
// differentiates to any order): cos(xP + φ) ⊙ mask + xQ, with Q picking
// the passed-through coordinates, then the random features.
func (e *embedding) node(b *build.B, x *G.Node) *G.Node {
	nf := len(e.trig)
	mask := make([]float64, nf)
	q := make([]float64, e.in*nf)
	anyRaw, anyTrig := false, false
	for f := 0; f < nf; f++ {
		if e.trig[f] {
			mask[f] = 1
			anyTrig = true
		} else {
			q[e.raw[f]*nf+f] = 1
			anyRaw = true
		}
	}
	var h *G.Node
	if anyTrig {
		z := b.BroadcastAdd(b.Mul(x, b.Constant(append([]float64(nil), e.p...), e.in, nf)), b.Constant(append([]float64(nil), e.phase...), 1, nf), nil, []byte{0})
		h = b.BroadcastHadamardProd(b.Cos(z), b.Constant(mask, 1, nf), nil, []byte{0})
	}
	if anyRaw {
		r := b.Mul(x, b.Constant(q, e.in, nf))
		if h == nil {
			h = r
		} else {
			h = b.Add(h, r)
		}
	}
	if e.rff == nil {
		return h
	}
	// [cos(hB), sin(hB)] = cos(h[B B] + [0 −π/2]).
	bb := make([]float64, nf*2*e.nr)
	ph := make([]float64, 2*e.nr)
	for f := 0; f < nf; f++ {
		for r := 0; r < e.nr; r++ {
			bb[f*2*e.nr+r] = e.rff[f*e.nr+r]
			bb[f*2*e.nr+e.nr+r] = e.rff[f*e.nr+r]
		}
	}
	for r := 0; r < e.nr; r++ {
		ph[e.nr+r] = -math.Pi / 2
	}
	z := b.BroadcastAdd(b.Mul(h, b.Constant(bb, nf, 2*e.nr)), b.Constant(ph, 1, 2*e.nr), nil, []byte{0})
	return b.Cos(z)
}
