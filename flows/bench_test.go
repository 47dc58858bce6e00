package flows_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"

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

// BenchmarkNHFStepNetworks is BenchmarkNHFStep with K and V given as a
// user's Networks (the same 2-64-64-1 tanh networks written in gorgonia's
// ops, without output bias): ∇K and ∇V come from internal/grad instead of
// internal/ad's fused ops, the price of generality.
func BenchmarkNHFStepNetworks(b *testing.B) {
	m, err := flows.NewNHFNetworks(2, tanhMLP(2, 64, 64), tanhMLP(2, 64, 64),
		flows.NHFConfig{EncoderHidden: []int{64, 64}, Leapfrog: 10, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	benchStep(b, m)
}

// tanhMLP is a user's Network: tanh hidden layers, a linear output
// without bias, from gorgonia's own ops.
func tanhMLP(dim int, hidden ...int) flows.Network {
	return flows.NetworkFunc(func(g *G.ExprGraph, name string, seed uint64) (func(*G.Node) (*G.Node, error), []*G.Node, error) {
		r := rand.New(rand.NewPCG(seed, 3))
		sizes := append(append([]int{dim}, hidden...), 1)
		var ps []*G.Node
		for l := 0; l+1 < len(sizes); l++ {
			ps = append(ps, newParam(g, fmt.Sprintf("%s.W%d", name, l), r, math.Sqrt(6/float64(sizes[l]+sizes[l+1])), sizes[l], sizes[l+1]))
			if l+2 < len(sizes) {
				ps = append(ps, newParam(g, fmt.Sprintf("%s.b%d", name, l), r, 0, 1, sizes[l+1]))
			}
		}
		f := func(x *G.Node) (*G.Node, error) {
			a := x
			for l := 0; ; l += 2 {
				z, err := G.Mul(a, ps[l])
				if err != nil || l+1 == len(ps) {
					return z, err
				}
				if z, err = G.BroadcastAdd(z, ps[l+1], nil, []byte{0}); err != nil {
					return nil, err
				}
				if a, err = G.Tanh(z); err != nil {
					return nil, err
				}
			}
		}
		return f, ps, nil
	})
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
	benchLogProb(b, m, err, 32)
}

func BenchmarkRealNVPLogProb(b *testing.B) {
	m, err := flows.NewRealNVP(2, flows.RealNVPConfig{Seed: 1})
	benchLogProb(b, m, err, 512)
}

func benchLogProb(b *testing.B, m flows.Flow, err error, n int) {
	if err != nil {
		b.Fatal(err)
	}
	x, err := flows.TwoMoons.Sample(n, 2)
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
