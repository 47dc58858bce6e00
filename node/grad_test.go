package node_test

import (
	"math"
	"testing"

	"github.com/physbias/physbias/node"
)

// gradCase is a small time-dependent model, a batch of three states and a
// linear functional L = Σ_i cot[i]·y(ts[i]) of the solution at three times.
func gradCase(t *testing.T) (*node.Model, []float64, []float64, [][]float64) {
	t.Helper()
	m, err := node.New(2, node.Config{Hidden: []int{16, 16}, TimeInput: true, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	y0 := []float64{0.5, -0.3, 1.0, 0.2, -0.7, 0.8}
	ts := []float64{0, 0.4, 1.1}
	cot := [][]float64{nil, {0.3, -1, 0.5, 0.2, 0.1, -0.4}, {1, 0.7, -0.6, 0.4, -0.2, 0.9}}
	return m, y0, ts, cot
}

func functional(t *testing.T, m *node.Model, y0, ts []float64, cot [][]float64, s node.Solver, o node.Options) float64 {
	t.Helper()
	sol, err := m.Solve(y0, ts, s, o)
	if err != nil {
		t.Fatal(err)
	}
	L := 0.0
	for i, c := range cot {
		for j, v := range c {
			L += v * sol.Y[i][j]
		}
	}
	return L
}

// fd4 is the fourth-order central difference of L along one coordinate.
func fd4(L func(h float64) float64, h float64) float64 {
	return (8*(L(h)-L(-h)) - (L(2*h) - L(-2*h))) / (12 * h)
}

func relErr(a, b float64) float64 { return math.Abs(a-b) / math.Max(math.Abs(b), 1e-3) }

// paths runs test on the built-in MLP's fused plain-Go path and on its
// gorgonia kernel.
func paths(t *testing.T, test func(t *testing.T, gorgonia bool)) {
	for _, gorgonia := range []bool{false, true} {
		name := "fused"
		if gorgonia {
			name = "gorgonia"
		}
		t.Run(name, func(t *testing.T) { test(t, gorgonia) })
	}
}

// TestBackpropMatchesFiniteDifferences: backprop through 110 fixed RK4 steps
// is the exact gradient of the discrete solution, so it matches fourth-order
// central differences of that same solution to 1e-8 relative (measured
// 2.4e-10 on both paths) in y0, θ and the end time.
func TestBackpropMatchesFiniteDifferences(t *testing.T) {
	paths(t, func(t *testing.T, gorgonia bool) {
		m, y0, ts, cot := gradCase(t)
		node.UseGorgonia(m, gorgonia)
		s, o := node.RK4(), node.Options{Dt: 0.01}
		g, err := m.Gradient(y0, ts, cot, s, o, node.Backprop)
		if err != nil {
			t.Fatal(err)
		}
		checkFD(t, m, y0, ts, cot, s, o, g, 1e-8)
	})
}

// TestAdjointMatchesBackpropAndFD: the adjoint method and backprop through
// Dormand–Prince at tolerance 1e-10 agree with each other and with finite
// differences of tight solves within 1e-5 relative, the bound
// (measured on both paths: 1.6e-7 between the two, 1.1e-8 against finite
// differences).
func TestAdjointMatchesBackpropAndFD(t *testing.T) { paths(t, adjointMatchesBackpropAndFD) }

func adjointMatchesBackpropAndFD(t *testing.T, gorgonia bool) {
	m, y0, ts, cot := gradCase(t)
	node.UseGorgonia(m, gorgonia)
	s, o := node.DormandPrince(), node.Options{RTol: 1e-10, ATol: 1e-10}
	adj, err := m.Gradient(y0, ts, cot, s, o, node.Adjoint)
	if err != nil {
		t.Fatal(err)
	}
	bp, err := m.Gradient(y0, ts, cot, s, o, node.Backprop)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i := range adj.Theta {
		worst = math.Max(worst, relErr(adj.Theta[i], bp.Theta[i]))
	}
	for i := range adj.Y0 {
		worst = math.Max(worst, relErr(adj.Y0[i], bp.Y0[i]))
	}
	worst = math.Max(worst, relErr(adj.T, bp.T))
	t.Logf("adjoint vs backprop: worst relative difference %.3g (forward NFE %d, adjoint backward NFE %d, backprop VJPs %d)",
		worst, adj.Forward.NFE, adj.BackwardNFE, bp.BackwardNFE)
	if worst > 1e-5 {
		t.Errorf("adjoint and backprop differ by %.3g relative", worst)
	}
	checkFD(t, m, y0, ts, cot, s, o, adj, 1e-5)
}

func checkFD(t *testing.T, m *node.Model, y0, ts []float64, cot [][]float64, s node.Solver, o node.Options, g *node.Gradient, tol float64) {
	t.Helper()
	worst := 0.0
	for i := range y0 {
		L := func(h float64) float64 {
			y := append([]float64(nil), y0...)
			y[i] += h
			return functional(t, m, y, ts, cot, s, o)
		}
		worst = math.Max(worst, relErr(g.Y0[i], fd4(L, 1e-3)))
	}
	theta := m.Params()
	for _, i := range []int{0, 5, 17, 40, 100, len(theta) - 3, len(theta) - 1} {
		L := func(h float64) float64 {
			th := append([]float64(nil), theta...)
			th[i] += h
			if err := m.SetParams(th); err != nil {
				t.Fatal(err)
			}
			return functional(t, m, y0, ts, cot, s, o)
		}
		worst = math.Max(worst, relErr(g.Theta[i], fd4(L, 1e-3)))
	}
	if err := m.SetParams(theta); err != nil {
		t.Fatal(err)
	}
	LT := func(h float64) float64 {
		tt := append([]float64(nil), ts...)
		tt[len(tt)-1] += h
		return functional(t, m, y0, tt, cot, s, o)
	}
	worst = math.Max(worst, relErr(g.T, fd4(LT, 1e-3)))
	t.Logf("worst relative error against finite differences: %.3g", worst)
	if worst > tol {
		t.Errorf("gradient differs from finite differences by %.3g relative (tolerance %g)", worst, tol)
	}
}
