package train

import (
	"fmt"
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestNaNLossFromTraining: loss = θ + 0·√θ has gradient 1, so Adam's first
// steps move θ by LR/(1+Eps) each (m̂/√v̂ = 1 exactly for a constant
// gradient). From θ = 1.05 with LR 0.1 the forward pass of step k sees
// θ = 1.05 − 0.1(k−1): 0.05 at step 11, −0.05 at step 12, where √θ is NaN.
func TestNaNLossFromTraining(t *testing.T) {
	g := G.NewGraph()
	th := G.NewScalar(g, tensor.Float64, G.WithName("theta"), G.WithValue(1.05))
	zero := G.NewScalar(g, tensor.Float64, G.WithName("zero"), G.WithValue(0.0))
	loss := G.Must(G.Add(th, G.Must(G.Mul(zero, G.Must(G.Sqrt(th))))))
	h, err := Run(Problem{Graph: g, Loss: loss, Params: []*G.Node{th}}, Adam{LR: 0.1}, Config{Steps: 100})
	if err == nil || err.Error() != "train: step 12: loss is NaN" {
		t.Fatalf("got error %v, want train: step 12: loss is NaN", err)
	}
	if len(h.Loss) != 11 {
		t.Errorf("history holds %d losses, want the 11 good steps", len(h.Loss))
	}
	// The parameter keeps its value from before the failing step.
	if v := float64(*th.Value().(*G.F64)); math.Abs(v-(-0.05)) > 1e-6 {
		t.Errorf("theta = %v after the NaN, want −0.05", v)
	}
}

// feedProblem is loss = Σ √(w + x) over a scalar parameter w and a fed
// scalar input x; feed decides x from the step and the current w.
func feedProblem(t *testing.T, feed func(step int, w float64) float64) Problem {
	t.Helper()
	g := G.NewGraph()
	w := G.NewScalar(g, tensor.Float64, G.WithName("w"), G.WithValue(0.5))
	x := G.NewScalar(g, tensor.Float64, G.WithName("x"), G.WithValue(1.0))
	loss := G.Must(G.Sqrt(G.Must(G.Add(w, x))))
	step := 0
	return Problem{Graph: g, Loss: loss, Params: []*G.Node{w}, N: 1, Feed: func(idx []int) error {
		step++
		return G.Let(x, feed(step, float64(*w.Value().(*G.F64))))
	}}
}

// TestNaNLossFromData: a NaN fed at step 7 stops training at step 7.
func TestNaNLossFromData(t *testing.T) {
	p := feedProblem(t, func(step int, w float64) float64 {
		if step == 7 {
			return math.NaN()
		}
		return 1
	})
	_, err := Run(p, Adam{}, Config{Steps: 20, BatchSize: 1})
	if err == nil || err.Error() != "train: step 7: loss is NaN" {
		t.Fatalf("got %v, want train: step 7: loss is NaN", err)
	}
}

// TestInfLoss: +Inf is caught like NaN.
func TestInfLoss(t *testing.T) {
	p := feedProblem(t, func(step int, w float64) float64 {
		if step == 3 {
			return math.Inf(1)
		}
		return 1
	})
	_, err := Run(p, Adam{}, Config{Steps: 20, BatchSize: 1})
	if err == nil || err.Error() != "train: step 3: loss is +Inf" {
		t.Fatalf("got %v, want train: step 3: loss is +Inf", err)
	}
}

// TestInfGradient: at step 5 the fed x is −w, so the loss √(w+x) is 0
// (finite) and its gradient 1/(2√0) is +Inf.
func TestInfGradient(t *testing.T) {
	p := feedProblem(t, func(step int, w float64) float64 {
		if step == 5 {
			return -w
		}
		return 1
	})
	_, err := Run(p, Adam{}, Config{Steps: 20, BatchSize: 1})
	want := `train: step 5: gradient of parameter "w" is +Inf at element 0`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

// TestLBFGSNaN: L-BFGS pulled towards the NaN region of √θ stops with an
// error naming the step and leaves θ where it was before that step: at the
// last completed iteration, or at the start 2 if there was none.
func TestLBFGSNaN(t *testing.T) {
	g := G.NewGraph()
	th := G.NewScalar(g, tensor.Float64, G.WithName("theta"), G.WithValue(2.0))
	zero := G.NewScalar(g, tensor.Float64, G.WithName("zero"), G.WithValue(0.0))
	one := G.NewConstant(1.0)
	// (θ+1)² has its minimum at −1, where √θ is NaN.
	loss := G.Must(G.Add(G.Must(G.Square(G.Must(G.Add(th, one)))), G.Must(G.Mul(zero, G.Must(G.Sqrt(th))))))
	h, err := Run(Problem{Graph: g, Loss: loss, Params: []*G.Node{th}}, LBFGS{}, Config{Steps: 50})
	if err == nil || !strings.HasPrefix(err.Error(), fmt.Sprintf("train: step %d: ", len(h.Loss)+1)) || !strings.HasSuffix(err.Error(), ": loss is NaN") {
		t.Fatalf("got %v after %d iterations, want train: step %d: loss is NaN", err, len(h.Loss), len(h.Loss)+1)
	}
	v := float64(*th.Value().(*G.F64))
	if len(h.Loss) == 0 && v != 2 {
		t.Errorf("theta = %v after an error in the first iteration, want the starting 2", v)
	}
	if n := len(h.Loss); n > 0 && (v+1)*(v+1) != h.Loss[n-1] {
		t.Errorf("theta = %v after the error has loss %v, the last completed iteration %v", v, (v+1)*(v+1), h.Loss[n-1])
	}
	t.Log(err)
}

// TestLBFGSNaNLater: when the NaN comes after some iterations, L-BFGS
// keeps the last completed iteration: the parameters are left where the
// last recorded loss was measured. Rosenbrock from (−1.2, 1) walks to (1, 1)
// from below in x; the term 0·√(0.95 − x) turns the loss NaN once a trial
// point passes x = 0.95.
func TestLBFGSNaNLater(t *testing.T) {
	p, x, y := rosenbrock(t, -1.2, 1)
	zero := G.NewScalar(p.Graph, tensor.Float64, G.WithName("zero"), G.WithValue(0.0))
	guard := G.Must(G.Mul(zero, G.Must(G.Sqrt(G.Must(G.Sub(G.NewConstant(0.95), x))))))
	p.Loss = G.Must(G.Add(p.Loss, guard))
	h, err := Run(p, LBFGS{}, Config{Steps: 200})
	if err == nil || !strings.HasSuffix(err.Error(), ": loss is NaN") {
		t.Fatalf("got %v, want a NaN loss error", err)
	}
	if len(h.Loss) < 3 {
		t.Fatalf("NaN after %d iterations; the test needs a later one", len(h.Loss))
	}
	xv, yv := float64(*x.Value().(*G.F64)), float64(*y.Value().(*G.F64))
	f := (1-xv)*(1-xv) + 100*(yv-xv*xv)*(yv-xv*xv)
	if last := h.Loss[len(h.Loss)-1]; f != last {
		t.Errorf("parameters (%v, %v) have loss %v, the last recorded iteration %v", xv, yv, f, last)
	}
	t.Logf("%v after %d iterations; parameters (%.4f, %.4f)", err, len(h.Loss), xv, yv)
}
