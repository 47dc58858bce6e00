package flows_test

import (
	"context"
	"testing"

	"github.com/physbias/physbias/flows"
)

// benchStep times one Adam training step of f on batches of 512 points of
// the two moons (a step is one forward and backward pass and one update;
// the graph is compiled once, before the timer).
func benchStep(b *testing.B, f flows.Flow) {
	x, err := flows.TwoMoons.Sample(4096, 1)
	if err != nil {
		b.Fatal(err)
	}
	tc := flows.TrainConfig{Steps: 1, BatchSize: 512, Seed: 1}
	if _, err := f.Train(context.Background(), x, tc); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuSeconds()
	tc.Steps = b.N
	if _, err := f.Train(context.Background(), x, tc); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric((cpuSeconds()-c0)*1e3/float64(b.N), "cpu-ms/op")
}

// BenchmarkNHFStep is one NHF training step: 2-D data, V and K 2-64-64-1
// tanh, encoder networks 2-64-64-2, 10 leapfrog steps, batch 512.
func BenchmarkNHFStep(b *testing.B) {
	m, err := flows.NewNHF(2, flows.NHFConfig{Hidden: []int{64, 64}, Leapfrog: 10, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	benchStep(b, m)
}

// BenchmarkRealNVPStep is one RealNVP training step as in
// bench/torch_rows/realnvp.py: 2-D data, 8 affine coupling layers with
// scale and shift networks 1-64-64-1 tanh, batch 512.
func BenchmarkRealNVPStep(b *testing.B) {
	m, err := flows.NewRealNVP(2, flows.RealNVPConfig{Layers: 8, Hidden: []int{64, 64}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	benchStep(b, m)
}

// BenchmarkNHFLogProb and BenchmarkRealNVPLogProb time the plain-Go
// evaluation after training (the networks on a whole batch, one matrix
// product a layer): the NHF's importance-weighted bound at 32 points with
// its default 64 momenta a point, RealNVP's exact log-density at 512.
//
//	go test -run '^$' -bench LogProb -count 5 ./flows/
func BenchmarkNHFLogProb(b *testing.B) {
	m, err := flows.NewNHF(2, flows.NHFConfig{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	x, err := flows.TwoMoons.Sample(32, 2)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.LogProb(x); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRealNVPLogProb(b *testing.B) {
	m, err := flows.NewRealNVP(2, flows.RealNVPConfig{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	x, err := flows.TwoMoons.Sample(512, 2)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.LogProb(x); err != nil {
			b.Fatal(err)
		}
	}
}
