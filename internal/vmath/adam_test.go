package vmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// adamLoop is the plain loop Adam documents.
func adamLoop(x, g, m, v []float64, scale, b1, b2, eps, lr, c1, c2 float64) {
	omb1, omb2 := 1-b1, 1-b2
	for i, xi := range x {
		gi := g[i]
		if scale != 1 {
			gi *= scale
		}
		mi := b1*m[i] + omb1*gi
		vi := b2*v[i] + omb2*gi*gi
		m[i], v[i] = mi, vi
		x[i] = xi - lr*(mi*c1)/(math.Sqrt(vi*c2)+eps)
		g[i] = 0
	}
}

// TestAdamBitForBit: Adam's values are the plain loop's, bit for bit, over
// gradients and moments of every size (with zeros, infinities and NaN).
func TestAdamBitForBit(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 3, 4, 7, 1001} {
		for _, scale := range []float64{1, 0.37} {
			var xs, gs, ms, vs [2][]float64
			for k := range 2 {
				xs[k], gs[k], ms[k], vs[k] = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			}
			for i := 0; i < n; i++ {
				x, g := r.NormFloat64(), math.Ldexp(r.NormFloat64(), r.IntN(60)-30)
				m, v := r.NormFloat64()*1e-3, r.Float64()*1e-4
				switch i % 97 {
				case 5:
					g = 0
				case 6:
					g = math.Inf(1)
				case 7:
					g = math.NaN()
				}
				for k := range 2 {
					xs[k][i], gs[k][i], ms[k][i], vs[k][i] = x, g, m, v
				}
			}
			const b1, b2, eps, lr, c1, c2 = 0.9, 0.999, 1e-8, 1e-3, 1 / (1 - 0.9*0.9), 1 / (1 - 0.999*0.999)
			done := Adam(xs[0], gs[0], ms[0], vs[0], scale, b1, b2, eps, lr, c1, c2)
			adamLoop(xs[0][done:], gs[0][done:], ms[0][done:], vs[0][done:], scale, b1, b2, eps, lr, c1, c2)
			adamLoop(xs[1], gs[1], ms[1], vs[1], scale, b1, b2, eps, lr, c1, c2)
			if Accelerated() && done != n&^3 || !Accelerated() && done != 0 {
				t.Fatalf("n=%d: Adam did %d values", n, done)
			}
			for i := 0; i < n; i++ {
				for _, p := range [][2][]float64{xs, gs, ms, vs} {
					a, b := p[0][i], p[1][i]
					if math.Float64bits(a) != math.Float64bits(b) && !(a != a && b != b) {
						t.Fatalf("n=%d scale=%v [%d]: %v, the loop gives %v", n, scale, i, a, b)
					}
				}
			}
		}
	}
}
