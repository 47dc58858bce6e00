package vmath

import "math"

// Accelerated reports whether the AVX2/FMA kernels are in use (amd64 CPUs
// with AVX2 and FMA, not built with -tags purego).
func Accelerated() bool { return haveAVX2 }

// Exp sets dst[i] = exp(x[i]) for every i < len(x). dst must be at least as
// long as x; it may be x itself.
func Exp(dst, x []float64) {
	dst = dst[:len(x)]
	if haveAVX2 {
		run(expAVX2, dst, x)
		return
	}
	for i, v := range x {
		dst[i] = math.Exp(v)
	}
}

// ExpSum sets dst[i] = exp(x[i]) for every i < len(x), as Exp does, and
// returns the sum of the dst[i] (in four running sums: the order differs
// from a plain loop's by rounding), the denominator of a softmax in the
// same pass. dst must be at least as long as x; it may be x itself.
func ExpSum(dst, x []float64) float64 {
	dst = dst[:len(x)]
	if !haveAVX2 {
		s := 0.0
		for i, v := range x {
			e := math.Exp(v)
			dst[i] = e
			s += e
		}
		return s
	}
	var acc [4]float64
	n := len(x) &^ 3
	if n > 0 {
		expSumAVX2(&dst[0], &x[0], n, &acc)
	}
	s := (acc[0] + acc[1]) + (acc[2] + acc[3])
	if n < len(x) {
		var buf [4]float64
		copy(buf[:], x[n:])
		expAVX2(&buf[0], &buf[0], 4)
		for i, e := range buf[:len(x)-n] {
			dst[n+i] = e
			s += e
		}
	}
	return s
}

// Tanh sets dst[i] = tanh(x[i]) for every i < len(x). dst must be at least
// as long as x; it may be x itself.
func Tanh(dst, x []float64) {
	dst = dst[:len(x)]
	if haveAVX2 {
		run(tanhAVX2, dst, x)
		return
	}
	for i, v := range x {
		dst[i] = math.Tanh(v)
	}
}

// Sigmoid sets dst[i] = 1/(1+exp(−x[i])) for every i < len(x). dst must be
// at least as long as x; it may be x itself.
func Sigmoid(dst, x []float64) {
	dst = dst[:len(x)]
	if haveAVX2 {
		run(sigmoidAVX2, dst, x)
		return
	}
	for i, v := range x {
		dst[i] = sigmoid(v)
	}
}

// Softplus sets dst[i] = log(1+exp(x[i])) for every i < len(x), as
// max(x, 0) + log1p(exp(−|x|)), which neither overflows nor loses the
// tail. dst must be at least as long as x; it may be x itself.
func Softplus(dst, x []float64) {
	dst = dst[:len(x)]
	if haveAVX2 {
		run(softplusAVX2, dst, x)
		return
	}
	for i, v := range x {
		dst[i] = softplus(v)
	}
}

// softplus is the portable log(1+eˣ).
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// sigmoid is the portable logistic function: 1/(1+e⁻ˣ) for x ≥ 0 and
// eˣ/(1+eˣ) below, so that it neither overflows nor loses the tail.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// run applies a kernel (4 values a step) to x, the last len(x) mod 4 values
// through a padded buffer.
func run(k func(dst, x *float64, n int), dst, x []float64) {
	n := len(x) &^ 3
	if n > 0 {
		k(&dst[0], &x[0], n)
	}
	if n == len(x) {
		return
	}
	var buf [4]float64
	copy(buf[:], x[n:])
	k(&buf[0], &buf[0], 4)
	copy(dst[n:], buf[:len(x)-n])
}
