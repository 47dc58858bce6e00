package node

import (
	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/blas"
)

// The terms on the fused path: the regularizers of Finlay et al. 2020
// (kinetic energy, Hutchinson's Frobenius norm) and of Kelly et al. 2020
// (K = 2), and a CNF's exact and Hutchinson traces, integrated beside the
// state of the built-in MLP without gorgonia. Every term but the kinetic
// energy is a function of forward tangents v = (∂f/∂x)·ẋ of f at x = (y, t):
//
//	Frobenius  ‖v‖²,            ẋ = (ε, 0)
//	Kelly K=2  ‖v‖²,            ẋ = (f, 1)   (d²y/dt² = (∂f/∂y)f + ∂f/∂t)
//	Hutchinson −εᵀv,            ẋ = (ε, 0)
//	trace      −Σ_j (v_j)_j,    ẋ_j = (e_j, 0), j < n
//
// (Hutchinson's Frobenius norm and trace share one tangent, as in Finlay et
// al.'s RNODE, where one probe serves both.)
// A tangent runs through the layers beside the value, z_l = a_{l−1}W_l + b_l,
// a_l = σ(z_l):
//
//	ż_l = ȧ_{l−1}W_l,  ȧ_l = σ′(z_l)⊙ż_l,  v = ż_L,
//
// all T tangents of an evaluation stacked as T·B rows of one product per
// layer. The reverse pass of the terms (forward-over-reverse, the one
// derivative more that their gradients need) takes the tangents' cotangents
// ḡ_v from the terms' cotangents and runs them down first, on their own:
//
//	ḡ_ż_L = ḡ_v,  ∂W_l += ȧ_{l−1}ᵀḡ_ż_l,  ḡ_ȧ_{l−1} = ḡ_ż_l·W_lᵀ,
//	ḡ_ż_{l−1} = σ′(z_{l−1})⊙ḡ_ȧ_{l−1},  s_{l−1} += ḡ_ȧ_{l−1}⊙ż_{l−1},
//
// (ż does not depend on the biases). Kelly's tangent carries f, so its
// input cotangent ḡ_ẋ adds to f's cotangent. The value's reverse pass then
// runs as without terms, except that σ(z) and σ′(z)⊙ż both depend on z:
//
//	ḡ_z_l = σ′(z_l)⊙ḡ_a_l + σ″(z_l)⊙s_l.
//
// The gorgonia kernel builds the same quantities from internal/ad's fused
// ops and differentiates them with G.Grad; the two agree to rounding
// (TestFusedTermsMatchGorgonia).

// tanKind is what a forward tangent's input direction is.
type tanKind int

const (
	tanProbe tanKind = iota // (ε, 0): Hutchinson's probe
	tanFlow                 // (f, 1): along the flow
	tanUnit                 // (e_j, 0)
)

// tangent is one forward tangent of the terms.
type tangent struct {
	kind tanKind
	j    int // the unit direction of tanUnit
}

// fusedTerm reports whether the fused path integrates t.
func fusedTerm(t term) bool {
	switch t {
	case termKinetic, termFrobenius, termKelly2, termTrace, termTraceHutch:
		return true
	}
	return kellyOrder(t) > 0
}

// fusedTerms reports whether the fused path integrates all of ts (at most
// one Kelly term by Taylor mode).
func fusedTerms(ts []term) bool {
	jet := 0
	for _, t := range ts {
		if !fusedTerm(t) {
			return false
		}
		if kellyOrder(t) > 0 {
			jet++
		}
	}
	return jet <= 1
}

// terms is what a fused evaluator keeps for the terms it integrates.
type terms struct {
	list  []term    // the terms, in the state's order
	first []int     // first[i] is the first tangent of list[i] (−1: none)
	tans  []tangent // the tangents, T of them
	T     int
	eps   []float64 // Hutchinson's probe ε, B×n (nil when no term takes it)

	gf []float64   // cotangent of f, B×n
	gv []float64   // cotangents of the tangents' outputs, T·B×n
	h0 []float64   // tangents' reverse-pass buffers, T·B×max width
	h1 []float64   //
	ta []float64   // ȧ_l of one layer, T·B×max width
	s  [][]float64 // s[l], B×sizes[l+1]: the part of ḡ_{z_l} through the tangents and jets
	// σ′(z_l) and σ″(z_l) of the hidden layers (B×sizes[l+1]) of the
	// evaluation in hand: d1[l] is where σ′ is computed when a record does
	// not keep it, cur1[l] is rec.d[l] or d1[l].
	d1, d2, cur1 [][]float64

	jets // Kelly's term of order K ≥ 3 by Taylor mode (fused_jets.go)
}

// second reports whether the value's reverse pass takes cotangents of
// z_{l,0} other than through σ(z_l): the tangents' and the jets'.
func (tm *terms) second() bool { return tm.T > 0 || tm.K > 0 }

// newTerms lays out the tangents of ts (all fusedTerm) for states of
// dimension n.
func newTerms(ts []term, n int) terms {
	tm := terms{list: append([]term(nil), ts...)}
	probe := -1 // Hutchinson's Frobenius norm and trace share their probe's tangent
	for _, t := range ts {
		tm.first = append(tm.first, len(tm.tans))
		switch t {
		case termFrobenius, termTraceHutch:
			if probe >= 0 {
				tm.first[len(tm.first)-1] = probe
				continue
			}
			probe = len(tm.tans)
			tm.tans = append(tm.tans, tangent{kind: tanProbe})
		case termKelly2:
			tm.tans = append(tm.tans, tangent{kind: tanFlow})
		case termTrace:
			for j := 0; j < n; j++ {
				tm.tans = append(tm.tans, tangent{kind: tanUnit, j: j})
			}
		default:
			tm.first[len(tm.first)-1] = -1
		}
	}
	tm.T = len(tm.tans)
	return tm
}

// allocTerms allocates the terms' buffers of f.
func (f *fused) allocTerms(B, maxW int) {
	if len(f.list) == 0 {
		return
	}
	f.gf = make([]float64, B*f.n)
	for _, t := range f.list {
		if t.needsEps() && f.eps == nil {
			f.eps = make([]float64, B*f.n)
		}
	}
	f.allocJets(B, maxW)
	if !f.second() {
		return
	}
	if f.T > 0 {
		f.gv = make([]float64, f.T*B*f.n)
		f.h0, f.h1, f.ta = make([]float64, f.T*B*maxW), make([]float64, f.T*B*maxW), make([]float64, f.T*B*maxW)
	}
	L := len(f.sizes) - 1
	f.s = make([][]float64, L-1)
	f.d1 = make([][]float64, L-1)
	f.d2 = make([][]float64, L-1)
	f.cur1 = make([][]float64, L-1)
	for l := range f.s {
		f.s[l] = make([]float64, B*f.sizes[l+1])
		f.d1[l] = make([]float64, B*f.sizes[l+1])
		f.d2[l] = make([]float64, B*f.sizes[l+1])
	}
}

// deriv returns σ′(z_l) of hidden layer l of the evaluation in rec: the
// record's own, or computed from a_l = σ(z_l) into f.d1[l].
func (f *fused) deriv(rec *fusedRec, l int) []float64 {
	if rec.d[l] != nil {
		return rec.d[l]
	}
	a, d := rec.a[l], f.d1[l]
	d = d[:len(a)]
	switch f.act {
	case ad.Tanh:
		for i, v := range a {
			d[i] = 1 - v*v
		}
	case ad.Sigmoid:
		for i, v := range a {
			d[i] = v * (1 - v)
		}
	case ad.ReLU:
		for i, v := range a {
			d[i] = 0
			if v > 0 {
				d[i] = 1
			}
		}
	default: // identity
		for i := range d {
			d[i] = 1
		}
	}
	return d
}

// activeTangents sets ta (T·B×sizes[l+1]) to ȧ_l = σ′(z_l)⊙ż_l, σ′ from d1
// (B×sizes[l+1]) for every tangent.
func activeTangents(ta, tz, d1 []float64, T int) {
	w := len(d1)
	for k := 0; k < T; k++ {
		zk, ak := tz[k*w:(k+1)*w], ta[k*w:(k+1)*w]
		ak = ak[:len(zk)]
		d1 := d1[:len(zk)]
		for i, v := range zk {
			ak[i] = d1[i] * v
		}
	}
}

// forwardTerms runs the tangents through the network after forward has
// evaluated f into d[:B·n] and rec, and writes the terms into d after f
// (B×m, m per sample).
func (f *fused) forwardTerms(rec *fusedRec, d []float64) {
	B, n, in, T := f.B, f.n, f.sizes[0], f.T
	L := len(f.sizes) - 1
	fv := rec.f
	copy(fv, d[:B*n])
	if T > 0 {
		for k, tn := range f.tans {
			for r := 0; r < B; r++ {
				row := rec.tx[(k*B+r)*in : (k*B+r+1)*in]
				switch tn.kind {
				case tanProbe:
					copy(row, f.eps[r*n:(r+1)*n])
				case tanFlow:
					copy(row, fv[r*n:(r+1)*n])
				case tanUnit:
					clear(row[:n])
					row[tn.j] = 1
				}
				if f.timeInput {
					row[n] = 0
					if tn.kind == tanFlow {
						row[n] = 1
					}
				}
			}
		}
		a := rec.tx
		for l := 0; l < L; l++ {
			if l == L-1 {
				f.mul(l, T*B, a, rec.tv, false)
				break
			}
			f.mul(l, T*B, a, rec.tz[l], false)
			d1 := rec.d[l]
			if d1 == nil {
				d1 = f.d1[l] // forward's σ′
			}
			a = f.ta[:T*B*f.sizes[l+1]]
			activeTangents(a, rec.tz[l], d1, T)
		}
	}
	if f.K > 0 {
		f.forwardJets(rec)
	}
	m := len(f.list)
	out := d[B*n : B*(n+m)]
	for i, t := range f.list {
		k := f.first[i]
		for r := 0; r < B; r++ {
			var s float64
			switch t {
			case termKinetic:
				s = dot(fv[r*n:(r+1)*n], fv[r*n:(r+1)*n])
			case termFrobenius, termKelly2:
				v := rec.tv[(k*B+r)*n : (k*B+r+1)*n]
				s = dot(v, v)
			case termTraceHutch:
				s = -dot(f.eps[r*n:(r+1)*n], rec.tv[(k*B+r)*n:(k*B+r+1)*n])
			case termTrace:
				for j := 0; j < n; j++ {
					s -= rec.tv[((k+j)*B+r)*n+j]
				}
			default: // Kelly's term by Taylor mode
				v := rec.fj[f.J][r*n : (r+1)*n]
				s = f.kellyScale() * dot(v, v)
			}
			out[r*m+i] = s
		}
	}
}

// backwardTerms turns the terms' cotangents in cot (after f's B×n) into
// cotangents of f (returned, B×n, f's own cotangent added) and of the
// tangents, runs the tangents' and the jets' reverse passes (adding to
// gtheta's weights and filling f.s), and leaves the value's reverse pass to
// backward.
func (f *fused) backwardTerms(rec *fusedRec, cot, gtheta []float64) []float64 {
	B, n, T := f.B, f.n, f.T
	L := len(f.sizes) - 1
	m := len(f.list)
	ny := B * n
	gf := f.gf
	copy(gf, cot[:ny])
	clear(f.gv) // terms that share a tangent add to its cotangent
	for i, t := range f.list {
		k := f.first[i]
		for r := 0; r < B; r++ {
			c := cot[ny+r*m+i]
			switch t {
			case termKinetic:
				fr, gr := rec.f[r*n:(r+1)*n], gf[r*n:(r+1)*n]
				for j, v := range fr {
					gr[j] += 2 * c * v
				}
			case termFrobenius, termKelly2:
				v, g := rec.tv[(k*B+r)*n:(k*B+r+1)*n], f.gv[(k*B+r)*n:(k*B+r+1)*n]
				for j, x := range v {
					g[j] += 2 * c * x
				}
			case termTraceHutch:
				e, g := f.eps[r*n:(r+1)*n], f.gv[(k*B+r)*n:(k*B+r+1)*n]
				for j, x := range e {
					g[j] -= c * x
				}
			case termTrace:
				for j := 0; j < n; j++ {
					f.gv[((k+j)*B+r)*n+j] -= c
				}
			}
		}
	}
	if !f.second() {
		return gf
	}
	for l := 0; l < L-1; l++ {
		f.cur1[l] = f.deriv(rec, l)
		clear(f.s[l])
	}
	if T > 0 {
		f.backwardTangents(rec, gf, gtheta)
	}
	if f.K > 0 {
		f.backwardJets(rec, cot, gf, gtheta, f.s)
	}
	return gf
}

// backwardTangents runs the tangents' reverse pass from their outputs'
// cotangents f.gv, adding to gtheta's weights, to f's cotangent gf (a
// tangent along the flow) and to f.s[l] the tangents' part σ″(z_l)⊙
// Σ ḡ_ȧ_l⊙ż_l of hidden layer l's cotangent.
func (f *fused) backwardTangents(rec *fusedRec, gf, gtheta []float64) {
	B, n, in, T := f.B, f.n, f.sizes[0], f.T
	L := len(f.sizes) - 1
	TB := T * B
	g := f.gv
	buf, next := f.h0, f.h1
	flow := false
	for _, tn := range f.tans {
		flow = flow || tn.kind == tanFlow
	}
	for l := L - 1; l >= 0; l-- {
		fi, fo := f.sizes[l], f.sizes[l+1]
		a := rec.tx
		if l > 0 {
			a = f.ta[:TB*fi]
			activeTangents(a, rec.tz[l-1], f.cur1[l-1], T)
		}
		p := f.off[l]
		blas.Gemm(true, false, fi, fo, TB, a, fi, g, fo, gtheta[p:p+fi*fo], fo, true)
		if l == 0 && !flow {
			break // the input's cotangent goes nowhere
		}
		gn := buf[:TB*fi]
		blas.Gemm(false, true, TB, fi, fo, g, fo, f.w[l], fo, gn, fi, false)
		if l > 0 {
			w := B * fi
			s, d1, d2 := f.s[l-1], f.cur1[l-1], f.d2[l-1]
			second(f.act, rec.a[l-1], d1, d2)
			for k := 0; k < T; k++ {
				gk, zk := gn[k*w:(k+1)*w], rec.tz[l-1][k*w:(k+1)*w]
				zk, s, d1, d2 := zk[:len(gk)], s[:len(gk)], d1[:len(gk)], d2[:len(gk)]
				for i, v := range gk {
					s[i] += v * zk[i] * d2[i]
					gk[i] = v * d1[i]
				}
			}
		}
		g = gn
		buf, next = next, buf
	}
	if flow {
		// ẋ = (f, 1): the input tangent's cotangent is a cotangent of f.
		for k, tn := range f.tans {
			if tn.kind != tanFlow {
				continue
			}
			for r := 0; r < B; r++ {
				gr, xr := gf[r*n:(r+1)*n], g[(k*B+r)*in:(k*B+r)*in+n]
				for j, v := range xr {
					gr[j] += v
				}
			}
		}
	}
}

// second writes σ″(z) into d2 from a = σ(z) and d1 = σ′(z), with
// internal/ad's formulas.
func second(act ad.Activation, a, d1, d2 []float64) {
	d1, d2 = d1[:len(a)], d2[:len(a)]
	switch act {
	case ad.Tanh:
		for i, v := range a {
			d2[i] = -2 * v * d1[i]
		}
	case ad.Sigmoid:
		for i, v := range a {
			d2[i] = d1[i] * (1 - 2*v)
		}
	case ad.Softplus: // σ′ is the logistic function s, σ″ = s(1 − s)
		for i, v := range d1 {
			d2[i] = v * (1 - v)
		}
	case ad.Sin:
		for i, v := range a {
			d2[i] = -v
		}
	default: // identity, ReLU
		clear(d2)
	}
}

// scaleBySecond sets g (rows of len(gb)) to σ′(z)⊙g + s, the hidden
// layer's cotangent when its tangents or jets depend on z too (s their
// part), and adds the column sums of the result to gb (the bias gradient).
func (f *fused) scaleBySecond(g, d1, s, gb []float64) {
	w := len(gb)
	for r := 0; r+w <= len(g); r += w {
		gr, d1r, sr := g[r:r+w], d1[r:r+w], s[r:r+w]
		for j := range gr {
			v := gr[j]*d1r[j] + sr[j]
			gr[j] = v
			gb[j] += v
		}
	}
}
