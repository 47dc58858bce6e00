package train

import (
	"math"
	"testing"
)

// TestAdamStepAllocatesNothing: once the moments exist, an Adam update
// (reading gradients, clipping, weight decay, writing the parameters)
// allocates nothing, with every option on.
func TestAdamStepAllocatesNothing(t *testing.T) {
	s, params := adamSession(t)
	if _, err := s.eval(1); err != nil {
		t.Fatal(err)
	}
	st, err := newAdamState(params)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := Adam{WeightDecay: 0.1, ClipNorm: 0.5}.withDefaults()
	allocs := testing.AllocsPerRun(100, func() {
		if err := st.step(a, params); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Adam step allocates %v times, want 0", allocs)
	}
}

// TestAdamZeroesGradients: after Run the gradients are zero, as gorgonia's
// solvers leave them, while the parameters have moved.
func TestAdamZeroesGradients(t *testing.T) {
	p, params := adamProblem(t)
	if _, err := Run(p, Adam{LR: 0.05}, Config{Steps: 3}); err != nil {
		t.Fatal(err)
	}
	for _, n := range params {
		g, err := gradData(n)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range g {
			if v != 0 {
				t.Errorf("gradient of %s[%d] is %g after Run, want 0", n.Name(), i, v)
			}
		}
	}
	x, _ := Values(params)
	for i := range x {
		if x[i] == adamX0[i] {
			t.Errorf("θ[%d] did not move", i)
		}
	}
}

// TestAdamRestartsMoments: a second Run starts from zero moments and step
// count, as documented: two Runs of 100 steps match PyTorch's Adam run for
// 100 steps, then a fresh Adam for 100 more from where it stopped (not one
// 200-step run). Tolerance 1e-12 as in TestAdamMatchesPyTorch (rounding
// only; seen ≤ 1e-15).
func TestAdamRestartsMoments(t *testing.T) {
	p, params := adamProblem(t)
	opt := Adam{LR: 0.05, WeightDecay: 0.1, ClipNorm: 1}
	for range 2 {
		if _, err := Run(p, opt, Config{Steps: 100}); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := Values(params)
	d, _ := opt.withDefaults()
	mid := torchAdam(adamX0, 100, d.LR, d.Beta1, d.Beta2, d.Eps, d.WeightDecay, d.ClipNorm)
	want := torchAdam(mid, 100, d.LR, d.Beta1, d.Beta2, d.Eps, d.WeightDecay, d.ClipNorm)
	once := torchAdam(adamX0, 200, d.LR, d.Beta1, d.Beta2, d.Eps, d.WeightDecay, d.ClipNorm)
	differs := false
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("θ[%d] = %.15f, PyTorch's Adam restarted after 100 steps %.15f", i, got[i], want[i])
		}
		differs = differs || math.Abs(want[i]-once[i]) > 1e-6
	}
	if !differs {
		t.Error("restarting Adam should change the result on this problem; the test cannot tell")
	}
}

// BenchmarkAdamUpdate: the in-place update of one parameter the size of
// BenchmarkStepMLP's 2-200-200-1 network (40,801 values).
func BenchmarkAdamUpdate(b *testing.B) {
	const n = 2*200 + 200 + 200*200 + 200 + 200 + 1
	x, g, m, v := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = math.Sin(float64(i))
	}
	b.SetBytes(8 * n)
	for i := 0; i < b.N; i++ {
		for j := range g {
			g[j] = x[j]
		}
		adamUpdate(x, g, m, v, 1, 0, 0.9, 0.999, 1e-8, 1e-3, 10, 1000)
	}
}
