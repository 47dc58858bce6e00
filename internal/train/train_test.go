package train

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestAdamLeastSquares: full-batch Adam reaches the closed-form least
// squares solution. After 3000 steps at LR 0.05 the loss is flat to
// rounding; Adam's steady state jitters by about LR·eps-level amounts, so
// 1e-6 on the parameters is a comfortable bound.
func TestAdamLeastSquares(t *testing.T) {
	p := newLSQ(t, 64, 3, 0, 1)
	h, err := Run(p.problem(0), Adam{LR: 0.05}, Config{Steps: 3000})
	if err != nil {
		t.Fatal(err)
	}
	p.checkParams(t, 1e-6)
	if h.Steps != 3000 || len(h.Loss) != 3000 || h.Evals != 3000 {
		t.Errorf("history: %d steps, %d losses, %d evals; want 3000", h.Steps, len(h.Loss), h.Evals)
	}
	if last := h.Loss[len(h.Loss)-1]; math.Abs(last-p.lossStar) > 1e-10 {
		t.Errorf("final loss %.12g, closed-form minimum %.12g", last, p.lossStar)
	}
}

// TestLBFGSLeastSquares: L-BFGS on a 4-parameter quadratic converges to the
// closed form to 1e-8 (GradTol 1e-12; the problem is well conditioned).
func TestLBFGSLeastSquares(t *testing.T) {
	p := newLSQ(t, 64, 3, 0, 2)
	h, err := Run(p.problem(0), LBFGS{GradTol: 1e-12}, Config{Steps: 100})
	if err != nil {
		t.Fatal(err)
	}
	p.checkParams(t, 1e-8)
	if h.Steps == 0 || h.Steps > 20 {
		t.Errorf("L-BFGS took %d iterations on a 4-d quadratic (%s)", h.Steps, h.Stop)
	}
	t.Logf("L-BFGS: %d iterations, %d evaluations, stop: %s", h.Steps, h.Evals, h.Stop)
}

// rosenbrock builds f(x, y) = (1−x)² + 100(y−x²)² with x, y scalar
// parameter nodes, minimum 0 at (1, 1).
func rosenbrock(t testing.TB, x0, y0 float64) (Problem, *G.Node, *G.Node) {
	t.Helper()
	g := G.NewGraph()
	x := G.NewScalar(g, tensor.Float64, G.WithName("x"), G.WithValue(x0))
	y := G.NewScalar(g, tensor.Float64, G.WithName("y"), G.WithValue(y0))
	one := G.NewConstant(1.0)
	hundred := G.NewConstant(100.0)
	a := G.Must(G.Square(G.Must(G.Sub(one, x))))
	b := G.Must(G.Mul(hundred, G.Must(G.Square(G.Must(G.Sub(y, G.Must(G.Square(x))))))))
	loss := G.Must(G.Add(a, b))
	return Problem{Graph: g, Loss: loss, Params: []*G.Node{x, y}}, x, y
}

// TestLBFGSRosenbrock: from the classic start (−1.2, 1) L-BFGS reaches
// (1, 1) to 1e-6 (GradTol 1e-10 bounds the distance at about
// GradTol·cond ≈ 1e-7).
func TestLBFGSRosenbrock(t *testing.T) {
	p, x, y := rosenbrock(t, -1.2, 1)
	h, err := Run(p, LBFGS{GradTol: 1e-10}, Config{Steps: 200})
	if err != nil {
		t.Fatal(err)
	}
	xv, yv := float64(*x.Value().(*G.F64)), float64(*y.Value().(*G.F64))
	if math.Abs(xv-1) > 1e-6 || math.Abs(yv-1) > 1e-6 {
		t.Errorf("L-BFGS ended at (%.9f, %.9f), want (1, 1); %s", xv, yv, h.Stop)
	}
	t.Logf("Rosenbrock: %d iterations, %d evaluations, final loss %.3g, stop %s", h.Steps, h.Evals, h.Loss[len(h.Loss)-1], h.Stop)
	// L-BFGS losses at major iterations never increase (Wolfe line search).
	for i := 1; i < len(h.Loss); i++ {
		if h.Loss[i] > h.Loss[i-1] {
			t.Errorf("iteration %d: loss rose from %g to %g", i+1, h.Loss[i-1], h.Loss[i])
		}
	}
}

// TestLBFGSMaxIter: MaxIter caps the iterations and History records each.
func TestLBFGSMaxIter(t *testing.T) {
	p, _, _ := rosenbrock(t, -1.2, 1)
	var calls []Progress
	h, err := Run(p, LBFGS{MaxIter: 5}, Config{Steps: 1000, ReportEvery: 2, Progress: func(pr Progress) { calls = append(calls, pr) }})
	if err != nil {
		t.Fatal(err)
	}
	if h.Steps != 5 || len(h.Loss) != 5 {
		t.Fatalf("MaxIter 5 gave %d steps (%d losses), stop %q", h.Steps, len(h.Loss), h.Stop)
	}
	// Progress at steps 2 and 4, then the final call at 5.
	if len(calls) != 3 || calls[0].Step != 2 || calls[1].Step != 4 || calls[2].Step != 5 || !calls[2].Done || calls[2].Steps != 5 {
		t.Errorf("progress calls %+v", calls)
	}
}

// TestAdamThenLBFGS: a second Run on the same Problem reuses the gradient
// nodes of the first (Grad is not called twice) and keeps improving.
func TestAdamThenLBFGS(t *testing.T) {
	p := newLSQ(t, 64, 3, 0, 3)
	pr := p.problem(0)
	h1, err := Run(pr, Adam{LR: 0.01}, Config{Steps: 50})
	if err != nil {
		t.Fatal(err)
	}
	h2, err := Run(pr, LBFGS{GradTol: 1e-12}, Config{Steps: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !(h2.Loss[0] < h1.Loss[len(h1.Loss)-1]) {
		t.Errorf("L-BFGS first loss %g not below Adam's last %g", h2.Loss[0], h1.Loss[len(h1.Loss)-1])
	}
	p.checkParams(t, 1e-8)
}

// TestGradCalledElsewhere: a graph on which G.Grad was called for another
// cost is refused, since gorgonia would silently reuse the old derivatives.
func TestGradCalledElsewhere(t *testing.T) {
	p := newLSQ(t, 16, 2, 0, 4)
	other := G.Must(G.Sum(G.Must(G.Square(p.w))))
	if _, err := G.Grad(other, p.w); err != nil {
		t.Fatal(err)
	}
	_, err := Run(p.problem(0), Adam{}, Config{Steps: 1})
	if err == nil || !strings.Contains(err.Error(), "G.Grad") {
		t.Fatalf("got %v, want an error about G.Grad", err)
	}
}

// TestCallerCalledGrad: if the caller already called G.Grad(Loss,
// Params...), Run reuses those gradient nodes and trains correctly.
func TestCallerCalledGrad(t *testing.T) {
	p := newLSQ(t, 32, 2, 0, 13)
	if _, err := G.Grad(p.loss, p.w, p.b); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(p.problem(0), LBFGS{GradTol: 1e-12}, Config{Steps: 100}); err != nil {
		t.Fatal(err)
	}
	p.checkParams(t, 1e-8)
}

// TestLBFGSPastRounding: asked for a gradient below anything reachable,
// L-BFGS stops on its own (function convergence or a line search that can
// no longer improve) without an error, at the optimum.
func TestLBFGSPastRounding(t *testing.T) {
	p := newLSQ(t, 64, 3, 0, 14)
	h, err := Run(p.problem(0), LBFGS{GradTol: 1e-300}, Config{Steps: 500})
	if err != nil {
		t.Fatal(err)
	}
	if h.Steps >= 500 {
		t.Errorf("ran into the iteration limit: %s", h.Stop)
	}
	p.checkParams(t, 1e-10)
	t.Logf("%d iterations, %d evaluations, stop: %s", h.Steps, h.Evals, h.Stop)
}

// TestAdamWeightDecayRidge: Adam's WeightDecay λ adds λθ to the gradient
// (PyTorch's weight_decay, gorgonia's WithL2Reg), so full-batch Adam
// converges to the minimiser of mean((Aθ−y)²) + (λ/2)‖θ‖², θ = (w, b):
// the solution of ((2/n)AᵀA + λI)θ = (2/n)Aᵀy. Tolerance 1e-6 as in
// TestAdamLeastSquares.
func TestAdamWeightDecayRidge(t *testing.T) {
	const n, d, lambda = 64, 3, 0.5
	p := newLSQ(t, n, d, 0, 16)
	if _, err := Run(p.problem(0), Adam{LR: 0.05, WeightDecay: lambda}, Config{Steps: 3000}); err != nil {
		t.Fatal(err)
	}
	A := p.design()
	var M mat.Dense
	M.Mul(A.T(), A)
	M.Scale(2.0/n, &M)
	for j := 0; j <= d; j++ {
		M.Set(j, j, M.At(j, j)+lambda)
	}
	var rhs mat.VecDense
	rhs.MulVec(A.T(), mat.NewVecDense(n, p.Y))
	rhs.ScaleVec(2.0/n, &rhs)
	var want mat.VecDense
	if err := want.SolveVec(&M, &rhs); err != nil {
		t.Fatal(err)
	}
	got := p.params(t)
	for j := range got {
		if math.Abs(got[j]-want.AtVec(j)) > 1e-6 {
			t.Errorf("param %d: Adam %.9f, ridge closed form %.9f (plain least squares %.9f)", j, got[j], want.AtVec(j), p.wStar[j])
		}
	}
}
