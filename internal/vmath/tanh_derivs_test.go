package vmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestTanhDerivsBitForBit: TanhDerivs gives Tanh's values and the Go
// expressions 1 - t*t, -2*t*d and -2*d*(1-3*t*t) on them, bit for bit, for
// every length through the 4-wide kernel and the tail, with s2 and s3
// present or nil, on values over tanh's whole range (with ±0, ±Inf, NaN),
// and with t the same slice as x.
func TestTanhDerivsBitForBit(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{0, 1, 3, 4, 5, 8, 13, 1001} {
		x := make([]float64, n)
		for i := range x {
			switch i % 11 {
			case 0:
				x[i] = 25 * (2*r.Float64() - 1)
			case 1:
				x[i] = math.Ldexp(r.NormFloat64(), -r.IntN(60))
			default:
				x[i] = 3 * r.NormFloat64()
			}
			if i%37 == 5 {
				x[i] = []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 0.625, -0.625}[(i/37)%7]
			}
		}
		want := make([]float64, n)
		Tanh(want, x)
		for _, mask := range []int{0, 1, 2, 3} {
			tv, s1 := make([]float64, n), make([]float64, n)
			var s2, s3 []float64
			if mask&1 != 0 {
				s2 = make([]float64, n)
			}
			if mask&2 != 0 {
				s3 = make([]float64, n)
			}
			same := mask == 3 // t is x itself
			if same {
				copy(tv, x)
				TanhDerivs(tv, s1, s2, s3, tv)
			} else {
				TanhDerivs(tv, s1, s2, s3, x)
			}
			for i, ti := range want {
				d := 1 - ti*ti
				check := func(what string, got, w float64) {
					if math.Float64bits(got) != math.Float64bits(w) && !(got != got && w != w) {
						t.Fatalf("n=%d mask=%d x=%v: %s = %v, want %v", n, mask, x[i], what, got, w)
					}
				}
				check("t", tv[i], ti)
				check("s1", s1[i], d)
				if s2 != nil {
					check("s2", s2[i], -2*ti*d)
				}
				if s3 != nil {
					check("s3", s3[i], -2*d*(1-3*ti*ti))
				}
			}
		}
	}
}
