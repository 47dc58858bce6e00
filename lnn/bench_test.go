package lnn

import (
	"testing"

	G "gorgonia.org/gorgonia"
)

func benchAccel(b *testing.B, k Kind) {
	m, err := New(2, Config{Kind: k, Hidden: []int{64, 64}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	x := []float64{0.3, -0.2, 0.5, 0.1}
	qdd := make([]float64, 2)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := m.Accel(x, qdd); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAccel*: one plain-Go q̈ evaluation (a rollout's inner step) of a
// 64-64 network.
//
//	go test -run '^$' -bench Accel ./lnn/
func BenchmarkAccelLNN(b *testing.B)      { benchAccel(b, LNN) }
func BenchmarkAccelDeLaN(b *testing.B)    { benchAccel(b, DeLaN) }
func BenchmarkAccelBaseline(b *testing.B) { benchAccel(b, Baseline) }

// benchTrainStep times one Adam step (forward, Euler–Lagrange q̈, backward,
// update) of the training graph Train builds, at batch 256.
func benchTrainStep(b *testing.B, k Kind, hidden int) {
	const B = 256
	m, err := New(2, Config{Kind: k, Hidden: []int{hidden, hidden}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	d, err := DoublePendulum{}.RandomStates(B, 1, 2, 1)
	if err != nil {
		b.Fatal(err)
	}
	g := G.NewGraph()
	nets, err := m.networks(g)
	if err != nil {
		b.Fatal(err)
	}
	x, target, loss, err := m.lossGraph(g, nets, B)
	if err != nil {
		b.Fatal(err)
	}
	copy(x.Value().Data().([]float64), d.X)
	copy(target.Value().Data().([]float64), d.QDD)
	params := m.trainable(nets)
	if _, err := G.Grad(loss, params...); err != nil {
		b.Fatal(err)
	}
	vm := G.NewTapeMachine(g, G.BindDualValues(params...))
	defer vm.Close()
	solver := G.NewAdamSolver(G.WithLearnRate(1e-3))
	step := func() {
		if err := vm.RunAll(); err != nil {
			b.Fatal(err)
		}
		if err := solver.Step(G.NodesToValueGrads(params)); err != nil {
			b.Fatal(err)
		}
		vm.Reset()
	}
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
}

// BenchmarkTrainStep*: one training step of each model at batch 256 with
// two hidden layers of 64 (the package default) or 128 (internal/ad's
// BenchmarkStepLNN size).
//
//	go test -run '^$' -bench TrainStep -benchtime 20x ./lnn/
//	OPENBLAS_NUM_THREADS=1 go test -tags openblas -run '^$' -bench TrainStep -benchtime 20x ./lnn/
func BenchmarkTrainStepLNN64(b *testing.B)      { benchTrainStep(b, LNN, 64) }
func BenchmarkTrainStepLNN128(b *testing.B)     { benchTrainStep(b, LNN, 128) }
func BenchmarkTrainStepDeLaN64(b *testing.B)    { benchTrainStep(b, DeLaN, 64) }
func BenchmarkTrainStepBaseline64(b *testing.B) { benchTrainStep(b, Baseline, 64) }

// benchGradHess times the LNN rollout's per-state derivatives of a
// 4-64-64-1 softplus network on internal/ad's Dense: HessianBatch (gradient
// and Hessian from one forward-over-reverse pass, what Accel runs) against
// InputGrad and Hessian (two passes).
//
//	go test -run '^$' -bench GradHess -count 5 ./lnn/
func benchGradHess(b *testing.B, fused bool) {
	m, err := New(2, Config{Hidden: []int{64, 64}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	x := []float64{0.3, -0.2, 0.5, 0.1}
	g, h := make([]float64, 4), make([]float64, 16)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if fused {
			if _, _, err := m.dense[0].HessianBatch(g, h, x); err != nil {
				b.Fatal(err)
			}
			continue
		}
		if err := m.dense[0].InputGrad(x, g); err != nil {
			b.Fatal(err)
		}
		if err := m.dense[0].Hessian(x, h); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGradHessFused(b *testing.B) { benchGradHess(b, true) }
func BenchmarkGradHessDense(b *testing.B) { benchGradHess(b, false) }

// benchBatch times Accel or Energy on 256 states at once (a rollout of
// several initial states, Loss on a data set, energy curves) of a 64-64
// network.
//
//	go test -run '^$' -bench 'Batch' -count 5 ./lnn/
func benchBatch(b *testing.B, k Kind, energy bool) {
	const B = 256
	m, err := New(2, Config{Kind: k, Hidden: []int{64, 64}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	d, err := DoublePendulum{}.RandomStates(B, 1, 2, 1)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]float64, 2*B)
	b.ReportAllocs()
	start := netCPUSeconds()
	for b.Loop() {
		if energy {
			err = m.Energy(d.X, out[:B])
		} else {
			err = m.Accel(d.X, out)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	netCPUMetric(b, start, b.N)
}

func BenchmarkAccelBatchLNN(b *testing.B)      { benchBatch(b, LNN, false) }
func BenchmarkAccelBatchDeLaN(b *testing.B)    { benchBatch(b, DeLaN, false) }
func BenchmarkAccelBatchBaseline(b *testing.B) { benchBatch(b, Baseline, false) }
func BenchmarkEnergyBatchLNN(b *testing.B)     { benchBatch(b, LNN, true) }
func BenchmarkEnergyBatchDeLaN(b *testing.B)   { benchBatch(b, DeLaN, true) }
