package ad

import "math"

// Apply sets s[i] = σ(z[i]) and, when ds is not nil, ds[i] = σ′(z[i]) for
// every i, for plain-Go passes outside this package (node's fused
// neural-ODE path). s may be z itself; s and ds have z's length.
func (a Activation) Apply(z, s, ds []float64) {
	s = s[:len(z)]
	if a == Tanh {
		if ds == nil {
			for i, v := range z {
				s[i] = math.Tanh(v)
			}
			return
		}
		ds = ds[:len(z)]
		for i, v := range z {
			t := math.Tanh(v)
			s[i], ds[i] = t, 1-t*t
		}
		return
	}
	for i, v := range z {
		s0, s1 := a.eval1(v)
		s[i] = s0
		if ds != nil {
			ds[i] = s1
		}
	}
}
