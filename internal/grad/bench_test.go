package grad

// Training-step benchmarks of the hnn and lnn rows of bench/compare.sh, built
// with this package's general derivatives, beside the same steps built with
// internal/ad's fused path (as internal/ad/bench_test.go builds them: same
// sizes, seeds, data and losses). An iteration is one full Adam step of
// train.Run (forward, input derivatives, backward, update).
//
//	go test -run '^$' -bench Step -benchtime 20x ./internal/grad/

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/cputime"
	"github.com/physbias/physbias/internal/linalg"
	"github.com/physbias/physbias/internal/train"
)

func benchConst(g *G.ExprGraph, rows, cols int, data []float64) *G.Node {
	return G.NewConstant(tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(data)), G.In(g))
}

func mseLoss(t testing.TB, pred, target *G.Node) *G.Node {
	must := must(t)
	return must(G.Mean(must(G.Square(must(G.Sub(pred, target))))))
}

// stepProblem is a built training graph.
type stepProblem struct {
	g      *G.ExprGraph
	loss   *G.Node
	params []*G.Node
}

// hnnStep: H = MLP 2-200-200-1 tanh on (q, p), batch 256; the field
// (∂H/∂p, −∂H/∂q) against targets; general or fused input gradient.
func hnnStep(t testing.TB, general bool) stepProblem {
	const B = 256
	must := must(t)
	g := G.NewGraph()
	m, err := ad.NewMLP(g, "hnn", []int{2, 200, 200, 1}, ad.Tanh, 1)
	if err != nil {
		t.Fatal(err)
	}
	x := benchConst(g, B, 2, uniform(2, 2*B, -1, 1))
	var gr *G.Node
	if general {
		gr = must(BatchGrad(primitiveForward(t, m, x, G.Tanh), x))
	} else {
		gr = must(m.InputGrad(x))
	}
	field := must(G.Mul(gr, benchConst(g, 2, 2, []float64{0, -1, 1, 0})))
	loss := mseLoss(t, field, benchConst(g, B, 2, uniform(3, 2*B, -1, 1)))
	ps := m.Params()
	return stepProblem{g, loss, ps[:len(ps)-1]}
}

// lnnStep: L = MLP 4-128-128-1 softplus on (q, q̇), batch 256;
// q̈ = (∇q̇∇q̇ᵀL)⁻¹[∇qL − (∇q∇q̇ᵀL)q̇] by linalg.Solve, MSE to targets.
func lnnStep(t testing.TB, general bool) stepProblem {
	const B = 256
	must := must(t)
	g := G.NewGraph()
	m, err := ad.NewMLP(g, "lnn", []int{4, 128, 128, 1}, ad.Softplus, 1)
	if err != nil {
		t.Fatal(err)
	}
	xv := uniform(2, 4*B, -1, 1)
	x := benchConst(g, B, 4, xv)
	qd := benchConst(g, B, 2, func() []float64 {
		v := make([]float64, 2*B)
		for i := 0; i < B; i++ {
			v[2*i], v[2*i+1] = xv[4*i+2], xv[4*i+3]
		}
		return v
	}())
	var M, C, gr *G.Node
	if general {
		L := primitiveForward(t, m, x, G.Softplus)
		gr = must(BatchGrad(L, x))
		// Hessian rows of q̇₀, q̇₁ (columns 2, 3): one HVP each
		var mRows, cRows []*G.Node
		for _, i := range []int{2, 3} {
			e := must(column(x, x.Shape(), i))
			// (forward tangents of the gradient, forward-over-reverse,
			// build the same 213 nodes and cost the same: measured)
			h, err := backward([]*G.Node{gr}, []*G.Node{e}, []*G.Node{x}, false)
			if err != nil {
				t.Fatal(err)
			}
			bq, _ := newBlock(tensor.Shape{B, 4}, 1, 0, 2, 1, nil)
			bv, _ := newBlock(tensor.Shape{B, 4}, 1, 2, 4, 1, nil)
			cRows = append(cRows, must(take(h[0], bq)))
			mRows = append(mRows, must(take(h[0], bv)))
		}
		M = must(stack(mRows, tensor.Shape{B, 2, 2}, 1))
		C = must(stack(cRows, tensor.Shape{B, 2, 2}, 1))
	} else {
		M = must(m.HessianBlock(x, []int{2, 3}, []int{2, 3}))
		C = must(m.HessianBlock(x, []int{2, 3}, []int{0, 1}))
		gr = must(m.InputGrad(x))
	}
	gq := must(G.Mul(gr, benchConst(g, 4, 2, []float64{1, 0, 0, 1, 0, 0, 0, 0})))
	rhs := must(G.Sub(gq, must(linalg.MatVec(C, qd))))
	acc := must(linalg.Solve(M, rhs))
	loss := mseLoss(t, acc, benchConst(g, B, 2, uniform(3, 2*B, -1, 1)))
	ps := m.Params()
	return stepProblem{g, loss, ps[:len(ps)-1]}
}

func runSteps(t testing.TB, p stepProblem, steps int) train.History {
	t.Helper()
	h, err := train.Run(train.Problem{Graph: p.g, Loss: p.loss, Params: p.params}, train.Adam{LR: 1e-3}, train.Config{Steps: steps})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestStepLossesAgree: the general and the fused path give the same losses
// over the first Adam steps of the hnn and lnn benchmark rows.
func TestStepLossesAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two 200-wide networks")
	}
	for _, row := range []struct {
		name  string
		build func(testing.TB, bool) stepProblem
	}{{"hnn", hnnStep}, {"lnn", lnnStep}} {
		hg := runSteps(t, row.build(t, true), 3)
		hf := runSteps(t, row.build(t, false), 3)
		for i := range hf.Loss {
			d := math.Abs(hg.Loss[i]-hf.Loss[i]) / math.Abs(hf.Loss[i])
			t.Logf("%s step %d: loss general %.15g fused %.15g (relative difference %.1e)", row.name, i+1, hg.Loss[i], hf.Loss[i], d)
			// measured: ≤ 2e-16 for hnn; lnn 6e-12 at step 1, whose loss
			// (4e5) comes from near-singular mass matrices that amplify
			// rounding, 7e-14 after
			if d > 1e-10 {
				t.Errorf("%s step %d: general loss %.15g, fused %.15g", row.name, i+1, hg.Loss[i], hf.Loss[i])
			}
		}
	}
}

func benchStep(b *testing.B, p stepProblem) {
	if _, err := G.Grad(p.loss, p.params...); err != nil {
		b.Fatal(err)
	}
	nodes := len(p.g.AllNodes())
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cputime.Seconds()
	h := runSteps(b, p, b.N)
	b.StopTimer()
	b.ReportMetric((cputime.Seconds()-c0)*1e3/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(nodes), "nodes")
	if l := h.Loss[len(h.Loss)-1]; math.IsNaN(l) || math.IsInf(l, 0) {
		b.Fatalf("loss is %v", l)
	}
}

func BenchmarkStepHNNGeneral(b *testing.B) { benchStep(b, hnnStep(b, true)) }
func BenchmarkStepHNNFused(b *testing.B)   { benchStep(b, hnnStep(b, false)) }
func BenchmarkStepLNNGeneral(b *testing.B) { benchStep(b, lnnStep(b, true)) }
func BenchmarkStepLNNFused(b *testing.B)   { benchStep(b, lnnStep(b, false)) }
