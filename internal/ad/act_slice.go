package ad

import "github.com/physbias/physbias/internal/vmath"

// Apply sets s[i] = σ(z[i]) and, when ds is not nil, ds[i] = σ′(z[i]) for
// every i, for plain-Go passes outside this package (node's fused
// neural-ODE path). s may be z itself; s and ds have z's length. tanh and
// the sigmoid run on internal/vmath's slice kernels (within 2 ulp of the
// math package's).
func (a Activation) Apply(z, s, ds []float64) {
	s = s[:len(z)]
	if a == Tanh {
		vmath.Tanh(s, z)
		if ds != nil {
			ds = ds[:len(z)]
			for i, t := range s {
				ds[i] = 1 - t*t
			}
		}
		return
	}
	if a == Sigmoid {
		vmath.Sigmoid(s, z)
		if ds != nil {
			ds = ds[:len(z)]
			for i, v := range s {
				ds[i] = v * (1 - v)
			}
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
