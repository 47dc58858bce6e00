package lnn

import (
	"context"
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/train"
)

// graphAccel evaluates the model's training graph for q̈ (the one Train
// differentiates) at the states x.
func graphAccel(t *testing.T, m *Model, x []float64) []float64 {
	t.Helper()
	B := len(x) / (2 * m.n)
	g := G.NewGraph()
	nets, err := m.networks(g)
	if err != nil {
		t.Fatal(err)
	}
	for k, net := range nets {
		if err := train.SetValues(net.Params(), m.theta[k]); err != nil {
			t.Fatal(err)
		}
	}
	b := build.New(g, "lnn")
	xn := b.Constant(append([]float64(nil), x...), B, 2*m.n)
	acc := m.accelGraph(b, nets, xn)
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	return runRead(t, g, acc)
}

// runRead runs g once and returns the value of n.
func runRead(t *testing.T, g *G.ExprGraph, n *G.Node) []float64 {
	t.Helper()
	var v G.Value
	G.Read(n, &v)
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	return append([]float64(nil), v.Data().([]float64)...)
}

// constNode is a constant tensor on g.
func constNode(g *G.ExprGraph, data []float64, shape ...int) *G.Node {
	return G.NewConstant(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), data...))), G.In(g))
}

// relErr is ‖got − want‖∞ / max(‖want‖∞, 1e-300).
func relErr(got, want []float64) float64 {
	num, den := 0.0, 0.0
	for i := range want {
		num = math.Max(num, math.Abs(got[i]-want[i]))
		den = math.Max(den, math.Abs(want[i]))
	}
	return num / math.Max(den, 1e-300)
}

// randStates returns B double-pendulum-like states, angles in [−1, 1] and
// velocities in [−2, 2].
func randStates(seed uint64, B, n int) []float64 {
	r := rng.New(seed)
	x := make([]float64, B*2*n)
	for i := range x {
		s := 1.0
		if i%(2*n) >= n {
			s = 2
		}
		x[i] = s * (2*r.Float64() - 1)
	}
	return x
}

// fdGrad4 is the 4th-order central-difference gradient of f at x.
func fdGrad4(f func([]float64) float64, x []float64, h float64) []float64 {
	g := make([]float64, len(x))
	y := append([]float64(nil), x...)
	at := func(i int, d float64) float64 {
		y[i] = x[i] + d
		v := f(y)
		y[i] = x[i]
		return v
	}
	for i := range x {
		g[i] = (8*(at(i, h)-at(i, -h)) - (at(i, 2*h) - at(i, -2*h))) / (12 * h)
	}
	return g
}

// fdHess4 is the Hessian of f at x (row-major) as 4th-order central
// differences of fdGrad4.
func fdHess4(f func([]float64) float64, x []float64, h float64) []float64 {
	n := len(x)
	H := make([]float64, n*n)
	y := append([]float64(nil), x...)
	for j := 0; j < n; j++ {
		at := func(d float64) []float64 {
			y[j] = x[j] + d
			g := fdGrad4(f, y, h)
			y[j] = x[j]
			return g
		}
		p1, m1, p2, m2 := at(h), at(-h), at(2*h), at(-2*h)
		for i := 0; i < n; i++ {
			H[i*n+j] = (8*(p1[i]-m1[i]) - (p2[i] - m2[i])) / (12 * h)
		}
	}
	return H
}

// inputNode is an input (not constant) tensor node on g holding data.
func inputNode(g *G.ExprGraph, data []float64, shape ...int) *G.Node {
	return G.NewTensor(g, G.Float64, len(shape), G.WithShape(shape...),
		G.WithValue(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), data...)))))
}

// pendulum returns the double pendulum's System.
func pendulum(t testing.TB) System {
	t.Helper()
	s, err := DoublePendulum{}.System()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// simulate makes the double pendulum's paper data set with the fields of
// c that are set (Trajectories, TestTrajectories, T, Samples) and c.Seed.
func simulate(t testing.TB, c DataConfig) (train, test *Dataset) {
	t.Helper()
	sys := pendulum(t)
	d := sys.Paper
	if c.Trajectories != 0 {
		d.Trajectories = c.Trajectories
	}
	if c.TestTrajectories != 0 {
		d.TestTrajectories = c.TestTrajectories
	}
	if c.T != 0 {
		d.T = c.T
	}
	if c.Samples != 0 {
		d.Samples = c.Samples
	}
	d.Seed = c.Seed
	ds, err := Simulate(sys, d)
	if err != nil {
		t.Fatal(err)
	}
	return ds, ds.Test
}

// tcfg returns PaperTrainConfig with the given steps and seed.
func tcfg(steps int, seed uint64) TrainConfig {
	tc := PaperTrainConfig()
	tc.Steps, tc.Seed = steps, seed
	return tc
}

// fit trains m and fails the test on error.
func fit(t testing.TB, m *Model, d *Dataset, tc TrainConfig) History {
	t.Helper()
	h, err := m.Train(context.Background(), d, tc)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
