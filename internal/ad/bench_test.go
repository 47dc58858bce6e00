package ad_test

// Training-step benchmarks of the four model kinds the physbias packages
// build on this core. bench/compare.sh runs the same models in PyTorch.
// Each benchmark builds its graph once and trains it with train.Run's Adam,
// as the physbias packages do; an iteration is one full Adam step (forward,
// input derivatives, backward, update).
//
//	go test -run '^$' -bench Step -benchtime 20x ./internal/ad/
//	OPENBLAS_NUM_THREADS=1 go test -tags openblas -run '^$' -bench Step -benchtime 20x ./internal/ad/

import (
	"math"
	"testing"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/linalg"
	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func uniform(seed uint64, n int, lo, hi float64) []float64 {
	r := rng.New(seed)
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*r.Float64()
	}
	return v
}

func constant(g *G.ExprGraph, rows, cols int, data []float64) *G.Node {
	return G.NewConstant(tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(data)), G.In(g))
}

// stepper is a built training graph: run trains it with train.Run's Adam,
// as the physbias packages do.
type stepper struct {
	nodes   int
	problem train.Problem
}

func newStepper(b *testing.B, g *G.ExprGraph, loss *G.Node, params []*G.Node) *stepper {
	b.Helper()
	// train.Run would call G.Grad itself; calling it here (Run accepts
	// that) lets nodes count the gradient nodes as before.
	if _, err := G.Grad(loss, params...); err != nil {
		b.Fatal(err)
	}
	return &stepper{nodes: len(g.AllNodes()), problem: train.Problem{Graph: g, Loss: loss, Params: params}}
}

// run times b.N Adam steps in one train.Run (compiling its tape machine
// included: a few hundred µs, amortised over the steps).
func (s *stepper) run(b *testing.B) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuSeconds()
	h, err := train.Run(s.problem, train.Adam{LR: 1e-3}, train.Config{Steps: b.N})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	// CPU time per step (all threads): on a busy machine the wall time
	// also counts waiting for a core.
	b.ReportMetric((cpuSeconds()-c0)*1e3/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(s.nodes), "nodes")
	if l := h.Loss[len(h.Loss)-1]; math.IsNaN(l) || math.IsInf(l, 0) {
		b.Fatalf("loss is %v", l)
	}
}

func mse(b *testing.B, pred, target *G.Node) *G.Node {
	d, err := G.Sub(pred, target)
	if err != nil {
		b.Fatal(err)
	}
	sq, err := G.Square(d)
	if err != nil {
		b.Fatal(err)
	}
	l, err := G.Mean(sq)
	if err != nil {
		b.Fatal(err)
	}
	return l
}

// musts returns a helper that stops the benchmark on a graph-building error.
func musts(b *testing.B) func(*G.Node, error) *G.Node {
	return func(n *G.Node, err error) *G.Node {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
}

// BenchmarkStepMLP: MLP 2-200-200-1 tanh, batch 256, MSE to fixed targets.
func BenchmarkStepMLP(b *testing.B) {
	const B = 256
	g := G.NewGraph()
	must := musts(b)
	m, err := ad.NewMLP(g, "mlp", []int{2, 200, 200, 1}, ad.Tanh, 1)
	if err != nil {
		b.Fatal(err)
	}
	x := constant(g, B, 2, uniform(2, 2*B, -1, 1))
	y := must(m.Forward(x))
	loss := mse(b, y, constant(g, B, 1, uniform(3, B, -1, 1)))
	newStepper(b, g, loss, m.Params()).run(b)
}

// BenchmarkStepHNN: H = MLP 2-200-200-1 tanh on (q, p), batch 256; the
// predicted field (∂H/∂p, −∂H/∂q) against targets.
func BenchmarkStepHNN(b *testing.B) {
	const B = 256
	g := G.NewGraph()
	must := musts(b)
	m, err := ad.NewMLP(g, "hnn", []int{2, 200, 200, 1}, ad.Tanh, 1)
	if err != nil {
		b.Fatal(err)
	}
	x := constant(g, B, 2, uniform(2, 2*B, -1, 1))
	grad := must(m.InputGrad(x))
	// (∂H/∂q, ∂H/∂p)·[[0 −1] [1 0]] = (∂H/∂p, −∂H/∂q)
	field := must(G.Mul(grad, constant(g, 2, 2, []float64{0, -1, 1, 0})))
	loss := mse(b, field, constant(g, B, 2, uniform(3, 2*B, -1, 1)))
	ps := m.Params()
	newStepper(b, g, loss, ps[:len(ps)-1]).run(b) // the output bias drops out of ∇H
}

// BenchmarkStepLNN: L = MLP 4-128-128-1 softplus on (q, q̇) ∈ R⁴, batch 256;
// q̈ = (∇q̇∇q̇ᵀL)⁻¹[∇qL − (∇q∇q̇ᵀL)q̇] by linalg.Solve, MSE to targets.
func BenchmarkStepLNN(b *testing.B) {
	const B = 256
	g := G.NewGraph()
	must := musts(b)
	m, err := ad.NewMLP(g, "lnn", []int{4, 128, 128, 1}, ad.Softplus, 1)
	if err != nil {
		b.Fatal(err)
	}
	xv := uniform(2, 4*B, -1, 1)
	x := constant(g, B, 4, xv)
	qd := constant(g, B, 2, func() []float64 {
		v := make([]float64, 2*B)
		for i := 0; i < B; i++ {
			v[2*i], v[2*i+1] = xv[4*i+2], xv[4*i+3]
		}
		return v
	}())
	M := must(m.HessianBlock(x, []int{2, 3}, []int{2, 3}))
	C := must(m.HessianBlock(x, []int{2, 3}, []int{0, 1}))
	grad := must(m.InputGrad(x))
	gq := must(G.Mul(grad, constant(g, 4, 2, []float64{1, 0, 0, 1, 0, 0, 0, 0})))
	rhs := must(G.Sub(gq, must(linalg.MatVec(C, qd))))
	acc := must(linalg.Solve(M, rhs))
	loss := mse(b, acc, constant(g, B, 2, uniform(3, 2*B, -1, 1)))
	ps := m.Params()
	newStepper(b, g, loss, ps[:len(ps)-1]).run(b) // the output bias drops out of q̈
}

// BenchmarkStepPINN: u = MLP 2-20×8-1 tanh on (t, x), 2,048 points; Burgers
// residual u_t + u·u_x − (0.01/π)·u_xx, loss its mean square.
func BenchmarkStepPINN(b *testing.B) {
	const N = 2048
	g := G.NewGraph()
	must := musts(b)
	sizes := []int{2, 20, 20, 20, 20, 20, 20, 20, 20, 1}
	m, err := ad.NewMLP(g, "pinn", sizes, ad.Tanh, 1)
	if err != nil {
		b.Fatal(err)
	}
	tx := uniform(2, 2*N, 0, 1)
	for i := 0; i < N; i++ {
		tx[2*i+1] = 2*tx[2*i+1] - 1 // x ∈ [−1, 1], t ∈ [0, 1]
	}
	x := constant(g, N, 2, tx)
	d, err := m.Derivatives(x, []int{1})
	if err != nil {
		b.Fatal(err)
	}
	res := must(G.Add(d.First[0], must(G.HadamardProd(d.Value, d.First[1]))))
	res = must(G.Sub(res, must(G.HadamardProd(G.NewConstant(0.01/math.Pi), d.Second[0]))))
	loss := must(G.Mean(must(G.Square(res))))
	newStepper(b, g, loss, m.Params()).run(b)
}

// BenchmarkDense: the plain-Go evaluator on one point of an LNN-sized
// network (4-128-128-1 softplus), as rollouts call it.
func BenchmarkDense(b *testing.B) {
	m, err := ad.NewMLP(G.NewGraph(), "L", []int{4, 128, 128, 1}, ad.Softplus, 1)
	if err != nil {
		b.Fatal(err)
	}
	d, err := m.Snapshot()
	if err != nil {
		b.Fatal(err)
	}
	x := uniform(2, 4, -1, 1)
	y, g, h := make([]float64, 1), make([]float64, 4), make([]float64, 16)
	b.Run("Forward", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = d.Forward(x, y)
		}
	})
	b.Run("InputGrad", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = d.InputGrad(x, g)
		}
	})
	b.Run("Hessian", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = d.Hessian(x, h)
		}
	})
}
