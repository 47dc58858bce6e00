package hnn

import "testing"

// benchTrain times training steps of the paper's 200-200 tanh network on
// the mass-spring data (750 pairs, full batch): the time a step is
// ns/op divided by steps.
//
//	go test -run - -bench TrainStep ./hnn
func benchTrain(b *testing.B, baseline bool) {
	ds, err := Simulate(MassSpring(), paper(MassSpring(), 1))
	if err != nil {
		b.Fatal(err)
	}
	const steps = 20
	tc := PaperTrainConfig()
	tc.Steps = steps
	for b.Loop() {
		m, err := New(2, Config{Baseline: baseline})
		if err != nil {
			b.Fatal(err)
		}
		fit(b, m, ds, tc)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*steps), "ms/step")
}

// BenchmarkTrainStepHNN is an HNN training step (forward, explicit input
// gradient, loss, backward, Adam) at batch 750.
func BenchmarkTrainStepHNN(b *testing.B) { benchTrain(b, false) }

// BenchmarkTrainStepBaseline is the baseline's step on the same data.
func BenchmarkTrainStepBaseline(b *testing.B) { benchTrain(b, true) }

// BenchmarkRolloutHNN is an RK4 rollout of the 200-200 HNN from 25 states
// over 400 steps (the one Evaluate does per model and integrator).
func BenchmarkRolloutHNN(b *testing.B) {
	m, err := New(2, Config{})
	if err != nil {
		b.Fatal(err)
	}
	x0 := make([]float64, 50)
	for i := range x0 {
		x0[i] = 0.5 / float64(i+1)
	}
	for b.Loop() {
		if _, err := Rollout(m, x0, 20, 400, RK4()); err != nil {
			b.Fatal(err)
		}
	}
}
