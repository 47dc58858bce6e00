package lnn

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/build"
)

// TestEulerLagrangeKnownLagrangian is the key correctness test: the true
// double-pendulum Lagrangian, differentiated by finite differences (no
// knowledge of its equations of motion), pushed through the same
// Euler–Lagrange code the LNN uses — the plain-Go path of rollouts and the
// graph path of training (selection of the Hessian blocks, batched
// matrix–vector product, linalg.Solve) — must reproduce the simulator's
// hand-derived closed-form q̈.
func TestEulerLagrangeKnownLagrangian(t *testing.T) {
	for _, p := range []DoublePendulum{{}, {M1: 1.3, M2: 0.7, L1: 0.9, L2: 1.4, G: 9.81}} {
		const B = 6
		x := randStates(3, B, 2)
		want := make([]float64, 2*B)
		if err := p.Accel(x, want); err != nil {
			t.Fatal(err)
		}
		L := func(s []float64) float64 {
			v, err := p.Lagrangian(s)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		got := make([]float64, 2*B)
		grads := make([]float64, 0, 4*B)
		hrows := make([]float64, 0, 8*B)
		for r := 0; r < B; r++ {
			s := x[4*r : 4*r+4]
			g := fdGrad4(L, s, 1e-3)
			h := fdHess4(L, s, 2e-3)
			if err := eulerLagrange(2, s, g, h, 0, got[2*r:2*r+2]); err != nil {
				t.Fatal(err)
			}
			grads = append(grads, g...)
			hrows = append(hrows, h[8:]...) // rows ∂/∂q̇₁, ∂/∂q̇₂
		}
		// The finite-difference Hessian is accurate to about 1e-9 (4th
		// order, h = 2e-3, L = O(30)); q̈ = O(10) carries that error
		// amplified by the mass matrix's condition number (< 10 here):
		// measured 7e-10.
		const tol = 1e-7
		t.Logf("%+v: rel err plain-Go %.2g", p, relErr(got, want))
		if e := relErr(got, want); e > tol {
			t.Errorf("%+v: plain-Go Euler–Lagrange q̈ vs closed form: rel err %.2g > %g", p, e, tol)
		}
		g := G.NewGraph()
		b := build.New(g, "lnn")
		acc := eulerLagrangeGraph(b, inputNode(g, x, B, 4), constNode(g, grads, B, 4), constNode(g, hrows, B, 2, 4), 2, 0)
		if err := b.Err(); err != nil {
			t.Fatal(err)
		}
		gotG := runRead(t, g, acc)
		t.Logf("%+v: rel err graph %.2g", p, relErr(gotG, want))
		if e := relErr(gotG, want); e > tol {
			t.Errorf("%+v: graph Euler–Lagrange q̈ vs closed form: rel err %.2g > %g", p, e, tol)
		}
	}
}

// TestDeLaNKnownLagrangian pushes the double pendulum, written in DeLaN's
// form L = ½q̇ᵀCCᵀq̇ − V with C the Cholesky factor of its mass matrix,
// through delanEquations (the DeLaN rollout path), with ∂C/∂q and ∇V by
// finite differences, against the closed-form q̈.
func TestDeLaNKnownLagrangian(t *testing.T) {
	p := DoublePendulum{M1: 1.2, M2: 0.8, L1: 1.1, L2: 0.9}
	chol := func(q []float64) []float64 {
		m := make([]float64, 4)
		if err := p.MassMatrix(q, m); err != nil {
			t.Fatal(err)
		}
		c00 := math.Sqrt(m[0])
		c10 := m[2] / c00
		return []float64{c00, 0, c10, math.Sqrt(m[3] - c10*c10)}
	}
	const B = 6
	x := randStates(5, B, 2)
	want := make([]float64, 2*B)
	if err := p.Accel(x, want); err != nil {
		t.Fatal(err)
	}
	got := make([]float64, 2*B)
	for r := 0; r < B; r++ {
		s := x[4*r : 4*r+4]
		q := s[:2]
		dc := make([][]float64, 2)
		for k := 0; k < 2; k++ {
			dc[k] = make([]float64, 4)
			for e := 0; e < 4; e++ {
				dc[k][e] = fdGrad4(func(y []float64) float64 { return chol(y)[e] }, q, 1e-3)[k]
			}
		}
		gv := fdGrad4(func(y []float64) float64 {
			v, err := p.Potential(y)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}, q, 1e-3)
		if err := delanEquations(2, s, chol(q), dc, gv, 0, got[2*r:2*r+2]); err != nil {
			t.Fatal(err)
		}
	}
	// First derivatives by 4th-order differences: about 1e-11.
	t.Logf("DeLaN path rel err %.2g", relErr(got, want))
	if e := relErr(got, want); e > 1e-8 {
		t.Errorf("DeLaN equations with the true M and V vs closed form: rel err %.2g > 1e-8", e)
	}
}
