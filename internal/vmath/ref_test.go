package vmath

import "math"

// The kernels' algorithm in scalar Go, operation for operation (math.FMA
// where the assembly fuses): the assembly must match it bit for bit.

var invFact = func() [14]float64 {
	var c [14]float64
	f := 1.0
	for n := 1; n <= 13; n++ {
		f *= float64(n)
		c[n] = 1 / f
	}
	return c
}()

const (
	ln2hi = 6.93147180369123816490e-01
	ln2lo = 1.90821492927058770002e-10
)

// reduce returns k = round(v/ln 2) and r = v − k·ln 2.
func reduce(v float64) (k, r float64) {
	k = math.RoundToEven(v * math.Log2E)
	r = math.FMA(-k, ln2hi, v)
	r = math.FMA(-k, ln2lo, r)
	return k, r
}

// expm1r is expm1(r) for |r| ≤ ln2/2.
func expm1r(r float64) float64 {
	p := invFact[13]
	for n := 12; n >= 2; n-- {
		p = math.FMA(p, r, invFact[n])
	}
	return math.FMA(r*r, p, r)
}

func pow2(k int) float64 { return math.Float64frombits(uint64(k+1023) << 52) }

func refExp(x float64) float64 {
	if !(x >= -746) { // NaN too
		if x != x {
			return x
		}
		x = -746
	}
	x = math.Min(x, 710)
	k, r := reduce(x)
	e := expm1r(r)
	ki := int(k)
	k1 := ki >> 1
	k2 := ki - k1
	s2 := pow2(k2)
	return math.FMA(s2, e, s2) * pow2(k1)
}

var (
	tanhP = [...]float64{-9.64399179425052238628e-1, -9.92877231001918586564e1, -1.61468768441708447952e3}
	tanhQ = [...]float64{1.12811678491632931402e2, 2.23548839060100448583e3, 4.84406305325125486048e3}
)

func refTanh(x float64) float64 {
	if x != x {
		return x
	}
	a := math.Min(math.Abs(x), 20)
	k, r := reduce(-2 * a)
	e := expm1r(r)
	s := pow2(int(k))
	u := math.FMA(s, e, s)
	var q float64
	if a >= 0.625 {
		q = (u - 1) / (u + 1)
	} else {
		z := a * a
		p := math.FMA(math.FMA(tanhP[0], z, tanhP[1]), z, tanhP[2])
		d := math.FMA(math.FMA(z+tanhQ[0], z, tanhQ[1]), z, tanhQ[2])
		q = math.FMA(a*z, p/d, a)
	}
	return math.Copysign(math.Abs(q), x)
}

func refSigmoid(x float64) float64 {
	if x != x {
		return x
	}
	e := refExp(-math.Abs(x))
	if x >= 0 {
		return 1 / (1 + e)
	}
	return e / (1 + e)
}

var lg = [...]float64{6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
	2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01}

func refSoftplus(x float64) float64 {
	if x != x {
		return x
	}
	u := refExp(-math.Abs(x))
	w := 1 + u
	c := (u - (w - 1)) / w
	m, e := w, 0.0
	if w > math.Sqrt2 {
		m, e = w*0.5, 1
	}
	f := m - 1
	s := f / (2 + f)
	z := s * s
	r := lg[6]
	for i := 5; i >= 0; i-- {
		r = math.FMA(r, z, lg[i])
	}
	r *= z
	hfsq := f * f * 0.5
	t := s * (hfsq + r)
	lo := math.FMA(e, ln2lo, c)
	t += lo
	v := hfsq - t
	v -= f
	l := math.FMA(e, ln2hi, -v)
	return math.Max(x, 0) + l
}
