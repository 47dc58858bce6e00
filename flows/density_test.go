package flows_test

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/physbias/physbias/flows"
	"github.com/physbias/physbias/internal/rng"
)

// bimodal draws n points of an equal mixture of N(−1.5, 0.4²) and
// N(1.5, 0.4²), a 1-D density the package does not ship.
func bimodal(n int, seed uint64) []float64 {
	r := rng.New(seed)
	x := make([]float64, n)
	for i := range x {
		x[i] = 0.4*r.NormFloat64() - 1.5
		if r.IntN(2) == 1 {
			x[i] += 3
		}
	}
	return x
}

var (
	oneDOnce sync.Once
	oneD     *flows.NHF
	oneDErr  error
)

// trained1D returns an NHF with 1-D q and 1-D p trained for 300 steps on
// bimodal data, so that its joint density is far from the base.
func trained1D(t *testing.T) *flows.NHF {
	t.Helper()
	oneDOnce.Do(func() {
		oneD, oneDErr = flows.NewNHF(1, flows.NHFConfig{Hidden: []int{16, 16}, StepSize: 0.2, Seed: 1})
		if oneDErr == nil {
			_, oneDErr = oneD.Train(context.Background(), bimodal(2000, 1), flows.TrainConfig{Steps: 300, LR: 1e-2, Seed: 1})
		}
	})
	if oneDErr != nil {
		t.Fatal(oneDErr)
	}
	return oneD
}

// grid returns n midpoints of [−L, L] and their spacing.
func grid(n int, L float64) ([]float64, float64) {
	h := 2 * L / float64(n)
	x := make([]float64, n)
	for i := range x {
		x[i] = -L + (float64(i)+0.5)*h
	}
	return x, h
}

// The joint density of a trained NHF over (q, p) integrates to 1 on a grid
// (the flow's exact log-density, with no Jacobian term, is normalised).
func TestNHFJointIntegratesToOne(t *testing.T) {
	m := trained1D(t)
	start := time.Now()
	defer func() { t.Logf("grid took %v", time.Since(start)) }()
	const n, L = 250, 9.0
	g, h := grid(n, L)
	q, p := make([]float64, n*n), make([]float64, n*n)
	for i := range g {
		for j := range g {
			q[i*n+j], p[i*n+j] = g[i], g[j]
		}
	}
	lj, err := m.LogJoint(q, p)
	if err != nil {
		t.Fatal(err)
	}
	s := sumExp(lj)
	s *= h * h
	// Measured: ∫ − 1 = 1.1e-3 on this 250² grid: the midpoint rule's error
	// on the trained, sharply bimodal density (a 400² grid gave 2e-4 for an
	// earlier initialisation). The issue asks for 1e-2; this asserts 3e-3.
	if math.Abs(s-1) > 3e-3 {
		t.Errorf("∫∫ p(q, p) dq dp = %.6f, want 1 within 3e-3", s)
	}
	t.Logf("∫∫ p(q, p) = %.6f", s)
}

// The ELBO and the importance-weighted bound on log p(q) stay below log p(q)
// from integrating the joint over p numerically, at points across the data.
func TestNHFBoundBelowMarginal(t *testing.T) {
	m := trained1D(t)
	const n, L = 2000, 9.0
	pg, h := grid(n, L)
	for _, x := range []float64{-2.5, -1.5, -0.3, 0, 0.8, 1.5, 2.2} {
		q := make([]float64, n)
		for i := range q {
			q[i] = x
		}
		lj, err := m.LogJoint(q, pg)
		if err != nil {
			t.Fatal(err)
		}
		s := sumExp(lj)
		marg := math.Log(s * h)
		// The ELBO: the mean of 4,000 one-momentum bounds, with its standard
		// error.
		const k = 4000
		xs := make([]float64, k)
		for i := range xs {
			xs[i] = x
		}
		elbo, err := m.Bound(xs, 1, 5)
		if err != nil {
			t.Fatal(err)
		}
		e, se := meanSE(elbo)
		// The importance-weighted bound with 64 momenta is a lower bound in
		// expectation: the mean of 200 independent ones.
		iws, err := m.Bound(xs[:200], 64, 6)
		if err != nil {
			t.Fatal(err)
		}
		iw, iwse := meanSE(iws)
		if e+3*se >= marg || iw-3*iwse > marg || e >= iw {
			t.Errorf("q = %v: ELBO %.4f ± %.4f, IW bound (64) %.4f ± %.4f, log p(q) %.4f; want ELBO < IW ≤ log p(q)", x, e, se, iw, iwse, marg)
		}
		t.Logf("q = %5.2f: ELBO %.4f ± %.4f  IW(64) %.4f ± %.4f  log p(q) %.4f", x, e, se, iw, iwse, marg)
	}
}

// meanSE returns the mean of x and its standard error.
func meanSE(x []float64) (float64, float64) {
	m := meanOf(x)
	v := 0.0
	for _, a := range x {
		v += (a - m) * (a - m)
	}
	return m, math.Sqrt(v / float64(len(x)-1) / float64(len(x)))
}
