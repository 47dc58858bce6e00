package lnn

import (
	"math"
	"testing"
)

// TestGraphMatchesPlainGo: the q̈ of the training graph (internal/ad
// derivatives, linalg solve, gorgonia ops) and of the plain-Go rollout path
// (ad.Dense, jacNet, solveSmall) are the same maths in a different order
// of operations, for every kind, at untrained weights.
func TestGraphMatchesPlainGo(t *testing.T) {
	for _, k := range []Kind{LNN, DeLaN, Baseline} {
		m, err := New(2, Config{Kind: k, Hidden: []int{16, 16}, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		x := randStates(7, 8, 2)
		want := make([]float64, 16)
		if err := m.Accel(x, want); err != nil {
			t.Fatal(err)
		}
		got := graphAccel(t, m, x)
		e := relErr(got, want)
		t.Logf("%v: graph vs plain-Go q̈ rel err %.2g", k, e)
		// Rounding differences amplified by the condition number of the
		// learned mass matrix (untrained: up to ~1e3).
		if e > 1e-9 {
			t.Errorf("%v: graph vs plain-Go q̈ rel err %.2g > 1e-9", k, e)
		}
	}
}

// TestPlainGoDerivatives: jacNet's fused gradient and Hessian (the LNN's
// rollout path) against internal/ad's Dense, and its Jacobian (DeLaN's
// Cholesky network) against central differences of its own output.
func TestPlainGoDerivatives(t *testing.T) {
	m, err := New(2, Config{Hidden: []int{16, 16}, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	net := newJacNet(m.sizes[0], m.theta[0])
	x := randStates(13, 4, 2)
	for r := 0; r < 4; r++ {
		s := x[4*r : 4*r+4]
		g, h := make([]float64, 4), make([]float64, 16)
		net.gradHess(s, g, h)
		wg, wh := make([]float64, 4), make([]float64, 16)
		if err := m.dense[0].InputGrad(s, wg); err != nil {
			t.Fatal(err)
		}
		if err := m.dense[0].Hessian(s, wh); err != nil {
			t.Fatal(err)
		}
		// Same maths, different order of operations.
		if e := math.Max(relErr(g, wg), relErr(h, wh)); e > 1e-12 {
			t.Errorf("state %d: fused gradient/Hessian vs ad.Dense rel err %.2g", r, e)
		}
	}
	d, err := New(3, Config{Kind: DeLaN, Hidden: []int{16, 16}, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	q := []float64{0.3, -0.7, 1.1}
	_, jac := d.chol.eval(q)
	K := 6
	for i := 0; i < 3; i++ {
		for k := 0; k < K; k++ {
			fd := fdGrad4(func(y []float64) float64 { v, _ := d.chol.eval(y); return v[k] }, q, 1e-3)[i]
			// 4th-order differences of an O(1) smooth function: ~1e-11.
			if math.Abs(jac[k*3+i]-fd) > 1e-8 {
				t.Errorf("Cholesky network ∂out%d/∂q%d = %v, finite differences %v", k, i, jac[k*3+i], fd)
			}
		}
	}
}
