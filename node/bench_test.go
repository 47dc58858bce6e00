package node

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/physbias/physbias/internal/cputime"
	"github.com/physbias/physbias/internal/rng"
)

// BenchmarkStep is one Adam training step of a neural ODE as in
// bench/torch_rows/node.py: f a 2-64-64-2 tanh MLP, a batch of 256 states,
// 20 fixed RK4 steps over [0, 1], mean squared error of y(1) against
// targets, gradients by backpropagation through the solver.
func BenchmarkStep(b *testing.B) { benchStep(b, Backprop) }

// BenchmarkStepAdjoint is BenchmarkStep with gradients by the adjoint
// method: 80 evaluations of f forward, and 80 of the augmented system
// backward (each an evaluation of f and its vector–Jacobian product).
func BenchmarkStepAdjoint(b *testing.B) { benchStep(b, Adjoint) }

// BenchmarkStepRegularized is BenchmarkStep with the regularizers of
// Finlay et al. 2020 (Kinetic 0.01, Frobenius 0.01 by Hutchinson) and of
// Kelly et al. 2020 (K = 2, 0.01), each alone and all three, on the fused
// plain-Go path and on the gorgonia kernel (the reference, and the path
// of a user's Network).
func BenchmarkStepRegularized(b *testing.B) {
	for _, reg := range []struct {
		name string
		tc   TrainConfig
	}{{"kinetic", TrainConfig{Kinetic: 0.01}}, {"frobenius", TrainConfig{Frobenius: 0.01}},
		{"kelly", TrainConfig{Kelly: 0.01}}, {"all", TrainConfig{Kinetic: 0.01, Frobenius: 0.01, Kelly: 0.01}}} {
		for _, path := range []string{"fused", "gorgonia"} {
			b.Run(reg.name+"/"+path, func(b *testing.B) {
				benchTrain(b, Backprop, path == "gorgonia", reg.tc)
			})
		}
	}
}

// BenchmarkCNFStep is one Adam step of a continuous normalizing flow on 2-D
// points (f(z, t) a 3-64-64-2 tanh MLP, a batch of 256 points, 10 fixed RK4
// steps over [0, 1], backprop through the solver) with the exact trace (two
// forward tangents) and with Hutchinson's (one), on the fused path and on
// the gorgonia kernel.
func BenchmarkCNFStep(b *testing.B) {
	for _, tr := range []TraceMethod{ExactTrace, Hutchinson} {
		for _, path := range []string{"fused", "gorgonia"} {
			name := map[TraceMethod]string{ExactTrace: "exact", Hutchinson: "hutchinson"}[tr] + "/" + path
			b.Run(name, func(b *testing.B) {
				c, err := NewCNF(2, CNFConfig{Hidden: []int{64, 64}, Trace: tr, Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
				c.m.noFused = path == "gorgonia"
				r := rng.New(2)
				x := make([]float64, 2*256)
				for i := range x {
					x[i] = r.NormFloat64()
				}
				tc := TrainConfig{Steps: 1, LR: 1e-3, Solver: RK4(), Options: Options{Dt: 0.1}}
				if _, err := c.Train(context.Background(), x, tc); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				c0 := cputime.Seconds()
				tc.Steps = b.N
				if _, err := c.Train(context.Background(), x, tc); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric((cputime.Seconds()-c0)*1e3/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// BenchmarkStepKellyOrder is BenchmarkStep with Kelly et al.'s regularizer
// of order K = 3 (weight 0.01): on the fused path by Taylor mode, and on a
// user's Network with the same weights whose two nested derivatives come
// from internal/grad (the gorgonia kernel of the built-in MLP refuses
// K ≥ 3).
func BenchmarkStepKellyOrder(b *testing.B) {
	reg := TrainConfig{Kelly: 0.01, KellyOrder: 3}
	b.Run("K=3/fused", func(b *testing.B) { benchTrain(b, Backprop, false, reg) })
	b.Run("K=3/network", func(b *testing.B) {
		m, err := New(2, Config{Hidden: []int{64, 64}, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		u, err := NewNetwork(2, mlpReplica([]int{2, 64, 64, 2}, "tanh", false), Config{})
		if err != nil {
			b.Fatal(err)
		}
		if err := u.SetParams(m.Params()); err != nil {
			b.Fatal(err)
		}
		benchModel(b, u, Backprop, reg)
	})
}

func benchStep(b *testing.B, method GradMethod) { benchTrain(b, method, false, TrainConfig{}) }

// benchTrain times Adam steps of BenchmarkStep's problem with the
// regularizers of reg, on the gorgonia kernel when gorgonia.
func benchTrain(b *testing.B, method GradMethod, gorgonia bool, reg TrainConfig) {
	m, err := New(2, Config{Hidden: []int{64, 64}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	m.noFused = gorgonia
	benchModel(b, m, method, reg)
}

// benchModel times Adam steps of BenchmarkStep's problem on m.
func benchModel(b *testing.B, m *Model, method GradMethod, reg TrainConfig) {
	r := rng.New(2)
	d := &Data{T: []float64{0, 1}}
	for i := 0; i < 256; i++ {
		d.Y = append(d.Y, []float64{r.NormFloat64(), r.NormFloat64(), r.NormFloat64(), r.NormFloat64()})
	}
	tc := TrainConfig{Steps: 1, LR: 1e-3, Solver: RK4(), Options: Options{Dt: 0.05}, Gradient: method,
		Kinetic: reg.Kinetic, Frobenius: reg.Frobenius, Kelly: reg.Kelly, KellyOrder: reg.KellyOrder}
	if _, err := m.Train(context.Background(), d, tc); err != nil { // set up the buffers
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cputime.Seconds()
	tc.Steps = b.N
	if _, err := m.Train(context.Background(), d, tc); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric((cputime.Seconds()-c0)*1e3/float64(b.N), "cpu-ms/op")
}

// BenchmarkGradMemory measures memory against the number of solver steps
// for both gradient methods (f 2-32-32-2 tanh on the fused path, batch 16,
// RK4 over [0, 1], one gradient of a linear functional of y(1) an op):
// B/op and allocs/op are what a gradient allocates once the model is warm
// (the fused path reuses its buffers and its tape's records between calls);
// first-B is what the first gradient of a fresh model allocates, the
// records of the tape included; held-B is Gradient.HeldBytes, the solver
// states and activations the backward pass keeps. For the adjoint all
// three stay flat in the steps; for backprop all three grow in proportion.
func BenchmarkGradMemory(b *testing.B) {
	for _, method := range []GradMethod{Backprop, Adjoint} {
		for _, steps := range []int{10, 20, 40, 80, 160, 640} {
			b.Run(fmt.Sprintf("%v/steps=%d", method, steps), func(b *testing.B) {
				m, err := New(2, Config{Hidden: []int{32, 32}, Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
				B := 16
				y0 := make([]float64, 2*B)
				cot := make([]float64, 2*B)
				r := rng.New(3)
				for i := range y0 {
					y0[i], cot[i] = r.NormFloat64(), r.NormFloat64()
				}
				ts := []float64{0, 1}
				o := Options{Dt: 1 / float64(steps)}
				var ms0, ms1 runtime.MemStats
				runtime.ReadMemStats(&ms0)
				g, err := m.Gradient(y0, ts, [][]float64{nil, cot}, RK4(), o, method)
				runtime.ReadMemStats(&ms1)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := m.Gradient(y0, ts, [][]float64{nil, cot}, RK4(), o, method); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc), "first-B")
				b.ReportMetric(float64(g.HeldBytes), "held-B")
			})
		}
	}
}
