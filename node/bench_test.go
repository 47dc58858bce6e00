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
func BenchmarkStep(b *testing.B) {
	m, err := New(2, Config{Hidden: []int{64, 64}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	r := rng.New(2)
	d := &Data{T: []float64{0, 1}}
	for i := 0; i < 256; i++ {
		d.Y = append(d.Y, []float64{r.NormFloat64(), r.NormFloat64(), r.NormFloat64(), r.NormFloat64()})
	}
	tc := TrainConfig{Steps: 1, LR: 1e-3, Solver: RK4(), Options: Options{Dt: 0.05}}
	if _, err := m.Train(context.Background(), d, tc); err != nil { // compile the graphs
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
// for both gradient methods (f 2-32-32-2, batch 16, RK4 over [0, 1]):
// retained-B is the heap still held after the forward solve, before the
// backward pass (the tape of stage states for backprop; the output
// checkpoints only for the adjoint), measured with runtime.ReadMemStats
// after a GC. B/op is everything allocated, garbage included.
func BenchmarkGradMemory(b *testing.B) {
	for _, method := range []GradMethod{Backprop, Adjoint} {
		for _, steps := range []int{16, 64, 256, 1024} {
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
				k, err := m.kernel(B, nil)
				if err != nil {
					b.Fatal(err)
				}
				sys := newSystem(k, nil)
				var retained float64
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					var ms0, ms1 runtime.MemStats
					runtime.GC()
					runtime.ReadMemStats(&ms0)
					var keep any
					if method == Backprop {
						_, _, tp, err := forwardTape(sys, RK4().tab(), y0, ts, o.rk())
						if err != nil {
							b.Fatal(err)
						}
						keep = tp
					} else {
						ys, err := solveRK(RK4().tab(), sys, y0, ts, o)
						if err != nil {
							b.Fatal(err)
						}
						keep = ys
					}
					runtime.GC()
					runtime.ReadMemStats(&ms1)
					retained += float64(ms1.HeapAlloc) - float64(ms0.HeapAlloc)
					runtime.KeepAlive(keep)
					if _, err := m.Gradient(y0, ts, [][]float64{nil, cot}, RK4(), o, method); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(retained/float64(b.N), "retained-B")
			})
		}
	}
}
