package ad

import "testing"

// Benchmarks of the batched Dense against the one-point methods, at the
// sizes of the physbias rollouts: the LNN's 4-64-64-1 softplus Lagrangian
// (gradient and Hessian at one state a call), DeLaN's 2-64-64-3 Cholesky
// network (Jacobian), the HNN's 2-200-200-1 tanh network (gradient at the
// 25 states of an Evaluate rollout, and at 750 training states).
//
// The *OnePoint benchmarks call the one-point methods (InputGrad and
// Hessian: two passes) point after point. Beside ns/op they report
// cpu-ns/op, the process's CPU time a call (run with -cpu 1 to compare it
// across benchmarks: with more threads it includes the garbage collector's
// and other goroutines' time).
//
//	go test -run '^$' -bench Dense -cpu 1 -count 5 ./internal/ad/
//
// Measured (cpu-ns/op, 2-core AMD EPYC shared with other jobs, load ~24):
// HessianLNN1 14k, HessianLNN1OnePoint 21k, HessianLNN256 1.9M (7.5k a
// state), HessianLNN256OnePoint 5.0–5.3M, GradHNN25 0.23M, GradHNN25OnePoint
// 0.51M, GradHNN750 5.9–6.1M, JacobianDeLaN1 6.5k, GradHNN1 21k. The
// one-point loops Dense ran before (the *Reference benchmarks) take 47k
// (HessianLNN1Reference; lnn's own fused copy took 36–40k) and 54–56k
// (GradHNN1Reference; hnn's copy on gonum's Dgemm 43–54k).

// cpuMetric reports the CPU time per iteration since start.
func cpuMetric(b *testing.B, start float64) {
	if c := denseCPUSeconds(); c > 0 {
		b.ReportMetric((c-start)*1e9/float64(b.N), "cpu-ns/op")
	}
}

func benchDenseHessian(b *testing.B, sizes []int, act Activation, B int, batched bool) {
	d := randomDense(b, sizes, act, 1)
	in := d.In()
	x := randVec(2, B*in, 1)
	g, h := make([]float64, B*in), make([]float64, B*in*in)
	b.ReportAllocs()
	start := denseCPUSeconds()
	defer cpuMetric(b, start)
	for b.Loop() {
		if batched {
			if _, _, err := d.HessianBatch(g, h, x); err != nil {
				b.Fatal(err)
			}
			continue
		}
		for p := 0; p < B; p++ {
			if err := d.InputGrad(x[p*in:(p+1)*in], g[p*in:(p+1)*in]); err != nil {
				b.Fatal(err)
			}
			if err := d.Hessian(x[p*in:(p+1)*in], h[p*in*in:(p+1)*in*in]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkDenseHessianLNN1(b *testing.B) {
	benchDenseHessian(b, []int{4, 64, 64, 1}, Softplus, 1, true)
}
func BenchmarkDenseHessianLNN1OnePoint(b *testing.B) {
	benchDenseHessian(b, []int{4, 64, 64, 1}, Softplus, 1, false)
}
func BenchmarkDenseHessianLNN256(b *testing.B) {
	benchDenseHessian(b, []int{4, 64, 64, 1}, Softplus, 256, true)
}
func BenchmarkDenseHessianLNN256OnePoint(b *testing.B) {
	benchDenseHessian(b, []int{4, 64, 64, 1}, Softplus, 256, false)
}

func benchDenseGrad(b *testing.B, sizes []int, B int, batched bool) {
	d := randomDense(b, sizes, Tanh, 1)
	in := d.In()
	x := randVec(2, B*in, 1)
	g := make([]float64, B*in)
	b.ReportAllocs()
	start := denseCPUSeconds()
	defer cpuMetric(b, start)
	for b.Loop() {
		if batched {
			if _, err := d.InputGradBatch(g, x); err != nil {
				b.Fatal(err)
			}
			continue
		}
		for p := 0; p < B; p++ {
			if err := d.InputGrad(x[p*in:(p+1)*in], g[p*in:(p+1)*in]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkDenseGradHNN25(b *testing.B) { benchDenseGrad(b, []int{2, 200, 200, 1}, 25, true) }
func BenchmarkDenseGradHNN25OnePoint(b *testing.B) {
	benchDenseGrad(b, []int{2, 200, 200, 1}, 25, false)
}
func BenchmarkDenseGradHNN750(b *testing.B) { benchDenseGrad(b, []int{2, 200, 200, 1}, 750, true) }

func BenchmarkDenseJacobianDeLaN1(b *testing.B) {
	d := randomDense(b, []int{2, 64, 64, 3}, Softplus, 1)
	x := randVec(2, 2, 1)
	y, jac := make([]float64, 3), make([]float64, 6)
	b.ReportAllocs()
	start := denseCPUSeconds()
	defer cpuMetric(b, start)
	for b.Loop() {
		if _, _, err := d.JacobianBatch(y, jac, x); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDenseHessianLNN1Reference is the one-point loops Dense ran
// before the batched pass (dense_reference_test.go), for the before/after.
func BenchmarkDenseHessianLNN1Reference(b *testing.B) {
	d := randomDense(b, []int{4, 64, 64, 1}, Softplus, 1)
	x := randVec(2, 4, 1)
	g, h := make([]float64, 4), make([]float64, 16)
	b.ReportAllocs()
	start := denseCPUSeconds()
	defer cpuMetric(b, start)
	for b.Loop() {
		if err := d.refInputGradPoint(x, g); err != nil {
			b.Fatal(err)
		}
		if err := d.refHessianPoint(x, h); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDenseGradHNN1Reference: the same for the HNN's gradient at one
// state.
func BenchmarkDenseGradHNN1Reference(b *testing.B) {
	d := randomDense(b, []int{2, 200, 200, 1}, Tanh, 1)
	x := randVec(2, 2, 1)
	g := make([]float64, 2)
	b.ReportAllocs()
	start := denseCPUSeconds()
	defer cpuMetric(b, start)
	for b.Loop() {
		if err := d.refInputGradPoint(x, g); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDenseGradHNN1 is the batched pass on one state.
func BenchmarkDenseGradHNN1(b *testing.B) { benchDenseGrad(b, []int{2, 200, 200, 1}, 1, true) }
