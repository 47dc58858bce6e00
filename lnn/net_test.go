package lnn

import (
	"math"
	"testing"
)

// TestJacNetSeveralStates: gradHess and eval take several states at once
// (one matrix product a layer for all of them) and give what they give
// state by state. Measured: worst relative difference 2e-16.
func TestJacNetSeveralStates(t *testing.T) {
	const B = 9
	params := func(sizes []int) []float64 {
		var th []float64
		for l := 0; l+1 < len(sizes); l++ {
			for i := 0; i < sizes[l]*sizes[l+1]+sizes[l+1]; i++ {
				th = append(th, 0.4*math.Sin(float64(7*len(th)+l)))
			}
		}
		return th
	}
	sizes := []int{4, 16, 16, 1}
	theta := params(sizes)
	lag := newJacNet(sizes, theta)
	chol := newJacNet([]int{2, 16, 16, 3}, params([]int{2, 16, 16, 3}))
	x := make([]float64, 4*B)
	for i := range x {
		x[i] = math.Cos(float64(3*i + 1))
	}
	g, h := make([]float64, 4*B), make([]float64, 16*B)
	lag.gradHess(x, g, h)
	q := make([]float64, 2*B)
	for b := 0; b < B; b++ {
		copy(q[2*b:2*b+2], x[4*b:4*b+2])
	}
	y, jac := chol.eval(q)
	worst := 0.0
	diff := func(a, b []float64) {
		for i := range a {
			worst = math.Max(worst, math.Abs(a[i]-b[i])/(1+math.Abs(b[i])))
		}
	}
	for b := 0; b < B; b++ {
		g1, h1 := make([]float64, 4), make([]float64, 16)
		lag.gradHess(x[4*b:4*b+4], g1, h1)
		diff(g[4*b:4*b+4], g1)
		diff(h[16*b:16*b+16], h1)
		y1, j1 := chol.eval(q[2*b : 2*b+2])
		diff(y[3*b:3*b+3], y1)
		diff(jac[6*b:6*b+6], j1)
	}
	if worst > 1e-13 {
		t.Errorf("several states at once vs one at a time: rel diff %.2g > 1e-13", worst)
	}
	// Weights ad.NewDense rejects give NaN, never a panic.
	bad := append([]float64(nil), theta...)
	bad[3] = math.NaN()
	gb, hb := make([]float64, 4), make([]float64, 16)
	newJacNet(sizes, bad).gradHess(x[:4], gb, hb)
	yb, _ := newJacNet(sizes, theta[:10]).eval(x[:4])
	if !math.IsNaN(gb[0]) || !math.IsNaN(hb[0]) || !math.IsNaN(yb[0]) {
		t.Errorf("rejected weights: got %v, %v, %v; want NaN", gb[0], hb[0], yb[0])
	}
}
