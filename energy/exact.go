package energy

import (
	"math"
	"math/bits"
)

// maxExact is the largest layer LogPartition enumerates (2^24 states).
const maxExact = 24

// LogPartition returns log Z exactly, by enumerating the states of the
// smaller layer and summing the other out in closed form: for Binary
// visible units, over whichever of v or h is smaller; for Gaussian visible
// units, over h, with the Gaussian integral
//
//	∫ exp(−½‖v − b‖² + vᵀWh) dv = (2π)^{V/2} exp(bᵀWh + ½‖Wh‖²).
//
// The enumerated layer may have at most 24 units; use AIS for larger
// models.
func (m *RBM) LogPartition() (float64, error) {
	if err := m.ready(); err != nil {
		return 0, err
	}
	nv, nh := m.nv, m.nh
	overVisible := m.cfg.Units == Binary && nv < nh
	size := nh
	if overVisible {
		size = nv
	}
	if size > maxExact {
		return 0, errorf(ErrInput, "LogPartition: enumerating %d units (2^%d states) is too many; at most %d (use AIS)", size, size, maxExact)
	}
	var acc logSumExp
	if overVisible {
		v := make([]float64, nv)
		a := make([]float64, nh)
		for k := 0; k < 1<<nv; k++ {
			for i := range v {
				v[i] = float64((k >> i) & 1)
			}
			var s float64
			copy(a, m.c)
			for i, x := range v {
				if x != 0 {
					s += m.b[i]
					axpy(a, 1, m.w[i*nh:(i+1)*nh])
				}
			}
			for _, x := range a {
				s += softplus(x)
			}
			acc.add(s)
		}
		return acc.value(), nil
	}
	// The hidden states in Gray-code order: each differs from the last in
	// one unit j, so Wh and cᵀh change by ±(column j of W) and ±c_j, and a
	// state costs O(V) instead of O(VH). Every 2^12 states the sums start
	// again from the state itself, so rounding does not build up.
	wt := make([]float64, nh*nv) // Wᵀ: column j of W is row j here
	for i := range nv {
		for j := range nh {
			wt[j*nv+i] = m.w[i*nh+j]
		}
	}
	wh := make([]float64, nv)
	var ch float64
	for k := 0; k < 1<<nh; k++ {
		g := k ^ (k >> 1)
		if k%(1<<12) == 0 {
			clear(wh)
			ch = 0
			for j := range nh {
				if (g>>j)&1 == 1 {
					ch += m.c[j]
					axpy(wh, 1, wt[j*nv:(j+1)*nv])
				}
			}
		} else {
			j := bits.TrailingZeros(uint(k))
			sign := 1.0
			if (g>>j)&1 == 0 {
				sign = -1
			}
			ch += sign * m.c[j]
			axpy(wh, sign, wt[j*nv:(j+1)*nv])
		}
		s := ch
		if m.cfg.Units == Binary {
			s += sumSoftplus(m.b, wh)
		} else {
			for i, x := range wh {
				s += m.b[i]*x + x*x/2
			}
		}
		acc.add(s)
	}
	z := acc.value()
	if m.cfg.Units == Gaussian {
		z += float64(nv) / 2 * math.Log(2*math.Pi)
	}
	return z, nil
}

// LogLikelihood returns the mean log-probability (1/N) Σ log p(v_n) =
// −mean F(v_n) − logZ of the rows of data (in nats), given log Z (from
// LogPartition or AIS).
func (m *RBM) LogLikelihood(data [][]float64, logZ float64) (float64, error) {
	if math.IsNaN(logZ) || math.IsInf(logZ, 0) {
		return 0, errorf(ErrNotFinite, "LogLikelihood: logZ is %v", logZ)
	}
	f, err := m.FreeEnergy(data)
	if err != nil {
		return 0, err
	}
	var s float64
	for _, x := range f {
		s += x
	}
	return -s/float64(len(f)) - logZ, nil
}

// sumSoftplus returns Σ_i softplus(b_i + x_i) with one logarithm: softplus(z)
// = max(z, 0) + log(1 + e^(−|z|)), and the factors 1 + e^(−|z|), each in
// (1, 2], are multiplied up in runs of 512 (at most 2^512, far from
// overflow) before their log is taken; e^(−|z|) is expNeg's. The rounding
// of the products adds about one part in 2^52 a factor, so the sum is
// within about n·1e-16 of the term-by-term one.
func sumSoftplus(b, x []float64) float64 {
	var s float64
	prod := 1.0
	for i, xi := range x {
		z := b[i] + xi
		if z > 0 {
			s += z
			prod *= 1 + expNeg(z)
		} else {
			prod *= 1 + expNeg(-z)
		}
		if i&511 == 511 {
			s += math.Log(prod)
			prod = 1
		}
	}
	return s + math.Log(prod)
}

// logSumExp accumulates log Σ exp(x) without overflow.
type logSumExp struct {
	max, sum float64
	n        int
}

func (l *logSumExp) add(x float64) {
	if l.n == 0 || x > l.max {
		if l.n > 0 {
			l.sum *= math.Exp(l.max - x)
		}
		l.max = x
		l.sum++
	} else {
		l.sum += math.Exp(x - l.max)
	}
	l.n++
}

func (l *logSumExp) value() float64 {
	if l.n == 0 {
		return math.Inf(-1)
	}
	return l.max + math.Log(l.sum)
}
