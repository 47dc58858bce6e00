package ad

import (
	"math"
	"unsafe"

	"github.com/physbias/physbias/internal/vmath"
	"gonum.org/v1/gonum/blas"
	G "gorgonia.org/gorgonia"
)

// compute runs op o on the input data x (shapes from in) into y.
func (o fop) compute(y []float64, x [][]float64, in []G.Value) {
	sh := func(i, d int) int { return in[i].Shape()[d] }
	switch o.kind {
	case kStackIn:
		o.stackIn(y, x, sh(0, 1))
	case kLin:
		r, n, m := sh(0, 0), sh(0, 1), sh(1, 1)
		gemm(blas.NoTrans, blas.NoTrans, r, m, n, x[0], n, x[1], m, y, m)
		if o.arity == 3 {
			rows := o.b
			if rows == 0 {
				rows = r
			}
			vmath.AddRows(y[:rows*m], x[2])
		}
	case kLinT:
		r, m, n := sh(0, 0), sh(0, 1), sh(1, 0)
		gemm(blas.NoTrans, blas.Trans, r, n, m, x[0], m, x[1], m, y, n)
	case kMatTN:
		r, n, m := sh(0, 0), sh(0, 1), sh(1, 1)
		gemm(blas.Trans, blas.NoTrans, n, m, r, x[0], n, x[1], m, y, m)
	case kColSum:
		m := sh(0, 1)
		vmath.SumRows(y, x[0][:o.b*m])
	case kAct:
		o.actForward(y, x[0])
	case kActBack:
		o.actBackward(y, x[0], x[2])
	case kRevAct:
		o.revAct(y, x[0], x[2])
	case kRevBackZ:
		o.revBackZ(y, x[0], x[2], x[3])
	case kRevBackG:
		o.revBackG(y, x[0], x[3])
	case kSeed:
		o.seed(y, x, sh(0, 0), sh(0, 1))
	case kSeedBackW:
		o.seedBackW(y, x, sh(0, 1))
	case kSeedBackU:
		n, out := sh(1, 0), sh(1, 1)
		gemm(blas.NoTrans, blas.NoTrans, o.b, out, n, x[0][:o.b*n], n, x[1], out, y, out)
	case kBlock:
		m := sh(0, 1)
		copy(y, x[0][o.k*o.b*m:(o.k+1)*o.b*m])
	case kUnblock:
		m := sh(0, 1)
		clear(y)
		copy(y[o.k*o.b*m:(o.k+1)*o.b*m], x[0])
	case kBlockSum:
		m := sh(0, 1)
		clear(y)
		for _, k := range o.ints {
			vmath.AddRows(y, x[0][k*o.b*m:(k+1)*o.b*m])
		}
	case kUnblockSum:
		m := sh(0, 1)
		clear(y)
		for _, k := range o.ints { // a block listed twice gets twice the gradient
			vmath.AddRows(y[k*o.b*m:(k+1)*o.b*m], x[0])
		}
	case kGather:
		e := o.nr * o.nc
		for b := 0; b < o.b; b++ {
			yb := y[b*e : (b+1)*e]
			for rc := range yb {
				yb[rc] = x[0][(o.blk[rc]*o.b+b)*o.k+o.col[rc]]
			}
		}
	case kScatter:
		e := o.nr * o.nc
		clear(y)
		for b := 0; b < o.b; b++ {
			db := x[0][b*e : (b+1)*e]
			for rc, v := range db {
				y[(o.blk[rc]*o.b+b)*o.k+o.col[rc]] += v
			}
		}
	}
}

// stackIn writes x, then one block per direction (basis row e_d, or v when
// d < 0), then zero blocks.
func (o fop) stackIn(y []float64, x [][]float64, in int) {
	bs := o.b * in
	copy(y[:bs], x[0])
	clear(y[bs:])
	for t, d := range o.ints {
		blk := y[(1+t)*bs : (2+t)*bs]
		if d < 0 {
			copy(blk, x[1])
			continue
		}
		for r := 0; r < o.b; r++ {
			blk[r*in+d] = 1
		}
	}
}

// fill computes σ′, σ″, σ‴ at z (block 0 of a kAct input), up to the
// cache's order, and σ itself into s0 when s0 is not nil.
func (c *actCache) fill(a Activation, z []float64, s0 []float64) {
	n := len(z)
	if len(c.s1) != n {
		c.s1, c.s2, c.s3 = make([]float64, n), make([]float64, n), make([]float64, n)
	}
	ord := c.ord
	if ord == 0 {
		ord = 3
	}
	s1, s2, s3 := c.s1[:n], c.s2[:n], c.s3[:n]
	switch a {
	case Tanh:
		t := s0 // tanh z, vectorized (internal/vmath: within 2 ulp of math.Tanh)
		if t == nil {
			if len(c.t) != n {
				c.t = make([]float64, n)
			}
			t = c.t
		}
		// tanh and its derivatives up to ord in one pass: 1 − t²,
		// −2t(1 − t²), −2(1 − t²)(1 − 3t²).
		switch ord {
		case 1:
			vmath.TanhDerivs(t, s1, nil, nil, z)
		case 2:
			vmath.TanhDerivs(t, s1, s2, nil, z)
		default:
			vmath.TanhDerivs(t, s1, s2, s3, z)
		}
	case Softplus: // vectorized (internal/vmath: within 2 ulp of math's)
		if s0 != nil {
			vmath.Softplus(s0, z)
		}
		vmath.Sigmoid(s1, z)
		if ord >= 2 {
			for i, sg := range s1 {
				d := sg * (1 - sg)
				s2[i] = d
				if ord >= 3 {
					s3[i] = d * (1 - 2*sg)
				}
			}
		}
	case Sigmoid:
		sg := s0
		if sg == nil {
			if len(c.t) != n {
				c.t = make([]float64, n)
			}
			sg = c.t
		}
		vmath.Sigmoid(sg, z)
		for i, v := range sg {
			d := v * (1 - v)
			s1[i] = d
			if ord >= 2 {
				s2[i] = d * (1 - 2*v)
				if ord >= 3 {
					s3[i] = d * (1 - 6*d)
				}
			}
		}
	case ReLU:
		// Branch-free on the sign (a branch mispredicts on half of a
		// layer's random signs: 5× slower): m is all ones for z > 0, zero
		// otherwise; ±0 and NaN take the rarely taken branch, giving 0 as
		// eval does.
		for i, zi := range z {
			b := math.Float64bits(zi)
			m := uint64(int64(^b) >> 63)
			if zi == 0 || zi != zi {
				m = 0
			}
			if s0 != nil {
				s0[i] = math.Float64frombits(b & m)
			}
			s1[i] = math.Float64frombits(0x3FF0000000000000 & m) // 1 or 0
		}
		if ord >= 2 {
			clear(s2)
			if ord >= 3 {
				clear(s3)
			}
		}
	default:
		for i, zi := range z {
			v, d1, d2, d3 := a.eval(zi)
			if s0 != nil {
				s0[i] = v
			}
			s1[i], s2[i], s3[i] = d1, d2, d3
		}
	}
	c.z = uintptr(unsafe.Pointer(unsafe.SliceData(z)))
}

// derivs returns σ′, σ″, σ‴ at z from the cache, recomputing them if the
// cache was filled from other data.
func (o fop) derivs(z []float64) (s1, s2, s3 []float64) {
	c := o.cache
	if c.z != uintptr(unsafe.Pointer(unsafe.SliceData(z))) || len(c.s1) != len(z) {
		c.fill(o.act, z, nil)
	}
	return c.s1, c.s2, c.s3
}

// actForward: a = σ(z) on block 0; ȧ_i = σ′ż_i on first-order blocks;
// ä_j = σ″ż_p² + σ′z̈_j on second-order blocks (p = ints[j]).
func (o fop) actForward(y, z []float64) {
	e := len(z) / o.s
	o.cache.fill(o.act, z[:e], y[:e])
	if o.s == 1 {
		return
	}
	s1, s2 := o.cache.s1, o.cache.s2
	nf := o.nf
	for k := 0; k < e; k++ { // one pass over the elements, all blocks at once
		a1 := s1[k]
		for i := k + e; i <= nf*e+k; i += e {
			y[i] = a1 * z[i]
		}
		if len(o.ints) > 0 {
			a2 := s2[k]
			for j, p := range o.ints {
				bj, bp := (1+nf+j)*e+k, (1+p)*e+k
				y[bj] = a2*z[bp]*z[bp] + a1*z[bj]
			}
		}
	}
}

// actBackward is the adjoint of actForward: for upstream d it returns
//
//	dz   = d₀σ′ + Σ_i d_iσ″ż_i + Σ_j d_j(σ‴ż_p² + σ″z̈_j)
//	dż_i = d_iσ′ + Σ_{j:p=i} 2d_jσ″ż_i
//	dz̈_j = d_jσ′
func (o fop) actBackward(y, z, d []float64) {
	e := len(z) / o.s
	s1, s2, s3 := o.derivs(z[:e])
	nf := o.nf
	if nf == 0 && len(o.ints) == 0 {
		for k, dk := range d[:e] {
			y[k] = dk * s1[k]
		}
		return
	}
	// One pass over the elements, all blocks at once.
	for k := 0; k < e; k++ {
		a1, a2 := s1[k], s2[k]
		acc := d[k] * a1
		for i := k + e; i <= nf*e+k; i += e {
			acc += d[i] * a2 * z[i]
			y[i] = d[i] * a1
		}
		if len(o.ints) > 0 {
			a3 := s3[k]
			for j, p := range o.ints {
				bj, bp := (1+nf+j)*e+k, (1+p)*e+k
				zp, dj := z[bp], d[bj]
				acc += dj * (a3*zp*zp + a2*z[bj])
				y[bp] += 2 * dj * a2 * zp
				y[bj] = dj * a1
			}
		}
		y[k] = acc
	}
}

// revAct: g_z = g σ′ on block 0 and ġ_z,i = ġ_i σ′ + g σ″ ż_i on the
// tangent blocks.
func (o fop) revAct(y, z, g []float64) {
	e := len(z) / o.s
	s1, s2, _ := o.derivs(z[:e])
	g0, y0 := g[:e], y[:e]
	for k := range y0 {
		y0[k] = g0[k] * s1[k]
	}
	for i := 1; i < o.s; i++ {
		zi, gi, yi := z[i*e:(i+1)*e], g[i*e:(i+1)*e], y[i*e:(i+1)*e]
		for k := range yi {
			yi[k] = gi[k]*s1[k] + g0[k]*s2[k]*zi[k]
		}
	}
}

// revBackZ: the adjoint of revAct in Z for upstream d:
//
//	dz   = d₀ g σ″ + Σ_i d_i(ġ_i σ″ + g σ‴ ż_i)
//	dż_i = d_i g σ″
func (o fop) revBackZ(y, z, g, d []float64) {
	e := len(z) / o.s
	_, s2, s3 := o.derivs(z[:e])
	g0, d0, y0 := g[:e], d[:e], y[:e]
	for k := range y0 {
		y0[k] = d0[k] * g0[k] * s2[k]
	}
	for i := 1; i < o.s; i++ {
		zi, gi, di, yi := z[i*e:(i+1)*e], g[i*e:(i+1)*e], d[i*e:(i+1)*e], y[i*e:(i+1)*e]
		for k := range yi {
			y0[k] += di[k] * (gi[k]*s2[k] + g0[k]*s3[k]*zi[k])
			yi[k] = di[k] * g0[k] * s2[k]
		}
	}
}

// revBackG: the adjoint of revAct in G for upstream d:
//
//	dg   = d₀σ′ + Σ_i d_i σ″ ż_i
//	dġ_i = d_i σ′
func (o fop) revBackG(y, z, d []float64) {
	e := len(z) / o.s
	s1, s2, _ := o.derivs(z[:e])
	d0, y0 := d[:e], y[:e]
	for k := range y0 {
		y0[k] = d0[k] * s1[k]
	}
	for i := 1; i < o.s; i++ {
		zi, di, yi := z[i*e:(i+1)*e], d[i*e:(i+1)*e], y[i*e:(i+1)*e]
		for k := range yi {
			y0[k] += di[k] * s2[k] * zi[k]
			yi[k] = di[k] * s1[k]
		}
	}
}

// seed writes u·Wᵀ (u = ones when absent) into block 0 and zeros elsewhere.
func (o fop) seed(y []float64, x [][]float64, n, out int) {
	clear(y)
	w := x[0]
	if o.arity == 1 {
		for b := 0; b < o.b; b++ {
			copy(y[b*n:(b+1)*n], w) // out = 1: W is a column of n values
		}
		return
	}
	gemm(blas.NoTrans, blas.Trans, o.b, n, out, x[1], out, w, out, y[:o.b*n], n)
}

// seedBackW: dW = dS₀ᵀ·u (dS₀ = block 0), or the column sums of dS₀ when u
// is absent.
func (o fop) seedBackW(y []float64, x [][]float64, n int) {
	d0 := x[0][:o.b*n]
	if o.arity == 1 {
		vmath.SumRows(y, d0)
		return
	}
	gemm(blas.Trans, blas.NoTrans, n, o.k, o.b, d0, n, x[1], o.k, y, o.k)
}
