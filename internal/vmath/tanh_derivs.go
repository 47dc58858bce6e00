package vmath

import "math"

// TanhDerivs sets, for every i < len(x), t[i] = tanh(x[i]) (as Tanh) and
// s1[i] = 1 − t·t, tanh's derivative, in one pass over x; when s2 and s3
// are not nil, also s2[i] = −2·t·s1, the second derivative, and
// s3[i] = −2·s1·(1 − 3·t·t), the third. The derivatives are rounded as the
// Go expressions 1 - t*t, -2*t*s1 and -2*s1*(1-3*t*t) round them (no
// fused multiply-adds), so they are bit for bit those expressions on
// Tanh's values. t, s1 and the non-nil s2, s3 must be at least as long
// as x; none may overlap x, but t may be x itself.
func TanhDerivs(t, s1, s2, s3, x []float64) {
	n := len(x)
	t, s1 = t[:n], s1[:n]
	if s2 != nil {
		s2 = s2[:n]
	}
	if s3 != nil {
		s3 = s3[:n]
	}
	if !haveAVX2 {
		for i, v := range x {
			ti := math.Tanh(v)
			t[i] = ti
			tanhDerivsAt(ti, i, s1, s2, s3)
		}
		return
	}
	m := n &^ 3
	if m > 0 {
		tanhDerivsAVX2(&t[0], &s1[0], first(s2), first(s3), &x[0], m)
	}
	if m == n {
		return
	}
	var buf [4]float64
	copy(buf[:], x[m:])
	tanhAVX2(&buf[0], &buf[0], 4)
	for i, ti := range buf[:n-m] {
		t[m+i] = ti
		tanhDerivsAt(ti, m+i, s1, s2, s3)
	}
}

// tanhDerivsAt writes the derivatives at t = tanh(x[i]) into entry i.
func tanhDerivsAt(t float64, i int, s1, s2, s3 []float64) {
	d := 1 - t*t
	s1[i] = d
	if s2 != nil {
		s2[i] = -2 * t * d
	}
	if s3 != nil {
		s3[i] = -2 * d * (1 - 3*t*t)
	}
}

// first returns &s[0], or nil for an empty s.
func first(s []float64) *float64 {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}
