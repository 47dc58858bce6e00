package node_test

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/physbias/physbias/node"
)

// twoBlobs is a 2-D mixture of two Gaussians (σ = 0.4 at (±1.2, 0.3)).
func twoBlobs(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 2))
	x := make([]float64, 2*n)
	for i := 0; i < n; i++ {
		c := 1.2
		if i%2 == 1 {
			c = -1.2
		}
		x[2*i] = c + 0.4*r.NormFloat64()
		x[2*i+1] = 0.3 + 0.4*r.NormFloat64()
	}
	return x
}

// TestCNFDensityIntegratesToOne trains a small CNF a little (so that the
// flow is far from the identity), then sums its density over a grid on
// [−7, 7]² with spacing 0.2: the total is 1 within 1e-2, the bound
// (measured |∫p − 1| = 2.3e-5). Training lowered −log p by more than 0.3
// (measured 2.97 → 1.59).
// The trained flow saves and loads bit for bit.
func TestCNFDensityIntegratesToOne(t *testing.T) {
	c, err := node.NewCNF(2, node.CNFConfig{Hidden: []int{24, 24}, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	x := twoBlobs(128, 1)
	s, o := node.RK4(), node.Options{Dt: 0.1}
	h, err := c.Train(context.Background(), x, node.TrainConfig{Steps: 40, LR: 2e-2, BatchSize: 64, Solver: s, Options: o})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("−log p: %.3f → %.3f", h.Fit[0], h.Fit[len(h.Fit)-1])
	if !(h.Fit[len(h.Fit)-1] < h.Fit[0]-0.3) {
		t.Errorf("training did not lower −log p: %.3f → %.3f", h.Fit[0], h.Fit[len(h.Fit)-1])
	}
	const lo, hi, step = -7.0, 7.0, 0.2
	n := int(math.Round((hi-lo)/step)) + 1
	grid := make([]float64, 0, 2*n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			grid = append(grid, lo+step*float64(i), lo+step*float64(j))
		}
	}
	lp, err := c.LogDensity(grid, s, o)
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, v := range lp {
		total += math.Exp(v) * step * step
	}
	t.Logf("∫p over the grid = %.6f", total)
	if math.Abs(total-1) > 1e-2 {
		t.Errorf("density integrates to %.4f, want 1 ± 1e-2", total)
	}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	c2, err := node.LoadCNF(&buf)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.LogDensity(x[:20], s, o)
	b, err := c2.LogDensity(x[:20], s, o)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("log-density differs after load")
		}
	}
}

// TestCNFHutchinson trains with Hutchinson's trace and adjoint gradients:
// the mean log p (computed with the exact trace) rises by more than 0.2
// (measured −2.96 → −1.65).
func TestCNFHutchinson(t *testing.T) {
	c, err := node.NewCNF(2, node.CNFConfig{Hidden: []int{16, 16}, Trace: node.Hutchinson, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	x := twoBlobs(64, 3)
	s, o := node.RK4(), node.Options{Dt: 0.1}
	lp0, err := c.LogDensity(x, s, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Train(context.Background(), x, node.TrainConfig{Steps: 30, LR: 2e-2, Solver: s, Options: o, Gradient: node.Adjoint, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	lp1, err := c.LogDensity(x, s, o)
	if err != nil {
		t.Fatal(err)
	}
	mean := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(len(v))
	}
	t.Logf("mean log p: %.3f → %.3f", mean(lp0), mean(lp1))
	if !(mean(lp1) > mean(lp0)+0.2) {
		t.Errorf("mean log p did not rise: %.3f → %.3f", mean(lp0), mean(lp1))
	}
}
