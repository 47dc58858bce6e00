package vmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// points returns test arguments over the whole range: uniform on |x| ≤ 1,
// ≤ 30 and ≤ 750, values near 0 down to subnormals, the special values,
// and the boundaries of the kernels' clamps.
func points() []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	var p []float64
	for _, w := range []float64{1, 30, 750} {
		for range 500_000 {
			p = append(p, w*(2*r.Float64()-1))
		}
	}
	for range 500_000 {
		v := math.Ldexp(1, -r.IntN(1080)) * (1 + r.Float64())
		if r.IntN(2) == 0 {
			v = -v
		}
		p = append(p, v)
	}
	p = append(p, 0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(),
		709.78, 709.79, 710, 711, -745.1, -745.2, -746, -747, 19, 19.1, 20, 21, -20,
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, math.MaxFloat64, -math.MaxFloat64)
	return p
}

// ulps is the distance between a and b in units in the last place (0 when
// both are NaN, or equal; Inf when only one is NaN or they are of opposite
// sign beyond zero).
func ulps(a, b float64) float64 {
	if a == b || (a != a && b != b) {
		return 0
	}
	if a != a || b != b || math.Signbit(a) != math.Signbit(b) {
		return math.Inf(1)
	}
	ia, ib := int64(math.Float64bits(math.Abs(a))), int64(math.Float64bits(math.Abs(b)))
	return math.Abs(float64(ia - ib))
}

func sigmoidMath(x float64) float64 { return sigmoid(x) }

// expMath is math.Exp, except above 709 where Go's amd64 math.Exp gives
// +Inf too early (from about 709.44; the true threshold is 709.78): there
// e·exp(x−1), two roundings more.
func expMath(x float64) float64 {
	if x > 709 && x < 710 {
		return math.E * math.Exp(x-1)
	}
	return math.Exp(x)
}

var funcs = []struct {
	name      string
	vec       func(dst, x []float64)
	ref, want func(float64) float64
	maxULP    float64 // against want; measured 1 for all three
}{
	{"exp", Exp, refExp, expMath, 2},
	{"tanh", Tanh, refTanh, math.Tanh, 2},
	{"sigmoid", Sigmoid, refSigmoid, sigmoidMath, 2},
	{"softplus", Softplus, refSoftplus, softplus, 2},
}

// TestAccuracy: every kernel within maxULP of the math package over the
// whole range, with NaN, ±Inf and −0 handled, and bit for bit the scalar
// reference of its algorithm (so the assembly does what the doc says).
func TestAccuracy(t *testing.T) {
	p := points()
	got := make([]float64, len(p))
	for _, f := range funcs {
		f.vec(got, p)
		worst, at := 0.0, 0.0
		want := f.want
		if !Accelerated() && f.name == "exp" {
			want = math.Exp // the fallback is math.Exp, early overflow included
		}
		for i, x := range p {
			if !Accelerated() && ulps(got[i], want(x)) != 0 {
				t.Fatalf("%s(%v) = %v without the kernels, want the math package's %v", f.name, x, got[i], want(x))
			}
			if u := ulps(got[i], want(x)); u > worst {
				worst, at = u, x
			}
			if Accelerated() && math.Float64bits(got[i]) != math.Float64bits(f.ref(x)) && !(got[i] != got[i] && f.ref(x) != f.ref(x)) {
				t.Fatalf("%s(%v) = %v, the scalar reference gives %v", f.name, x, got[i], f.ref(x))
			}
		}
		t.Logf("%s: max %v ulp from math (at %v); accelerated %v", f.name, worst, at, Accelerated())
		if worst > f.maxULP {
			t.Errorf("%s: %v ulp from math at %v, want ≤ %v", f.name, worst, at, f.maxULP)
		}
	}
}

// TestSpecial: NaN, infinities and signed zeros.
func TestSpecial(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	negZero := math.Copysign(0, -1)
	cases := []struct {
		f    func(dst, x []float64)
		x    float64
		want float64
	}{
		{Exp, nan, nan}, {Exp, inf, inf}, {Exp, -inf, 0}, {Exp, 0, 1}, {Exp, 710, inf}, {Exp, -746, 0},
		{Tanh, nan, nan}, {Tanh, inf, 1}, {Tanh, -inf, -1}, {Tanh, 0, 0}, {Tanh, negZero, negZero}, {Tanh, 19.5, 1},
		{Sigmoid, nan, nan}, {Sigmoid, inf, 1}, {Sigmoid, -inf, 0}, {Sigmoid, 0, 0.5}, {Sigmoid, negZero, 0.5},
		{Softplus, nan, nan}, {Softplus, inf, inf}, {Softplus, -inf, 0}, {Softplus, 0, math.Ln2}, {Softplus, 800, 800},
	}
	for i, c := range cases {
		got := []float64{c.x}
		c.f(got, got)
		if math.Float64bits(got[0]) != math.Float64bits(c.want) && !(got[0] != got[0] && c.want != c.want) {
			t.Errorf("case %d: f(%v) = %v, want %v", i, c.x, got[0], c.want)
		}
	}
}

// TestLengths: every length mod 4, in place and not.
func TestLengths(t *testing.T) {
	for n := 0; n <= 13; n++ {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(i)/3 - 2
		}
		for _, f := range funcs {
			dst := make([]float64, n+1)
			dst[n] = 42
			f.vec(dst, x)
			in := append([]float64(nil), x...)
			f.vec(in, in)
			for i, v := range x {
				if u := ulps(dst[i], f.want(v)); u > f.maxULP || dst[i] != in[i] {
					t.Fatalf("%s n=%d i=%d: %v (in place %v), want %v", f.name, n, i, dst[i], in[i], f.want(v))
				}
			}
			if dst[n] != 42 {
				t.Fatalf("%s n=%d wrote past len(x)", f.name, n)
			}
		}
	}
}

// TestExpSum: ExpSum's values are Exp's bit for bit, and its sum is the
// plain sum to rounding (measured: 0 to 2e-16 relative), for every length
// mod 4 and with the tail present.
func TestExpSum(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4, 5, 8, 1001} {
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Sin(float64(i)) * 5
		}
		want := make([]float64, n)
		Exp(want, x)
		got := make([]float64, n)
		s := ExpSum(got, x)
		plain := 0.0
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("n=%d: ExpSum value %d = %v, Exp gives %v", n, i, got[i], want[i])
			}
			plain += want[i]
		}
		if math.Abs(s-plain) > 1e-15*plain {
			t.Fatalf("n=%d: sum %v, plain sum %v", n, s, plain)
		}
	}
	if s := ExpSum([]float64{0, 0, 0, 0, 0}, []float64{0, 1, math.NaN(), 2, 3}); !math.IsNaN(s) {
		t.Fatalf("a NaN argument gave sum %v", s)
	}
}
