package ad

import (
	"math"
	"testing"
)

// TestApplyMatchesEval: Apply gives σ and σ′ of every activation as eval
// does, in place as well: σ within 2 ulp for tanh and the sigmoid
// (internal/vmath's kernels are within 2 ulp of math's) and exactly for the
// others; σ′ within 4 ulp of 1 absolute (σ′ = 1 − σ² and σ(1 − σ) carry
// σ's rounding, measured 4.4e-16).
func TestApplyMatchesEval(t *testing.T) {
	z := make([]float64, 0, 403)
	for i := -200; i <= 200; i++ {
		z = append(z, float64(i)*0.05)
	}
	z = append(z, 1e-300, -40, 40)
	var worstS, worstD float64
	for _, a := range []Activation{Identity, Tanh, Softplus, Sigmoid, Sin, ReLU} {
		s, ds := make([]float64, len(z)), make([]float64, len(z))
		a.Apply(z, s, ds)
		in := append([]float64(nil), z...)
		a.Apply(in, in, nil)
		for i, v := range z {
			s0, s1, _, _ := a.eval(v)
			worstS, worstD = max(worstS, ulps(s[i], s0)), max(worstD, math.Abs(ds[i]-s1))
			if ulps(s[i], s0) > 2 || math.Abs(ds[i]-s1) > 4*0x1p-52 || in[i] != s[i] {
				t.Errorf("%v at %g: Apply gives (%g, %g) (in place %g), eval (%g, %g)", a, v, s[i], ds[i], in[i], s0, s1)
			}
		}
	}
	t.Logf("worst: σ %g ulp, σ′ %.3g absolute", worstS, worstD)
}

// ulps is the distance of a from b in units in the last place of b.
func ulps(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Max(math.Abs(math.Nextafter(b, math.Inf(1))-b), 5e-324)
}
