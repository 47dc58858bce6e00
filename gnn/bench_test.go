package gnn

import (
	"context"
	"fmt"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/cputime"
	"github.com/physbias/physbias/internal/rng"
)

// benchGraph returns one graph of n nodes with e random edges and node
// features of size in.
func benchGraph(seed uint64, n, e, in int) Graph {
	r := rng.New(seed)
	g := Graph{Nodes: make([][]float64, n)}
	for i := range g.Nodes {
		g.Nodes[i] = make([]float64, in)
		for k := range g.Nodes[i] {
			g.Nodes[i][k] = r.NormFloat64()
		}
	}
	for range e {
		g.Senders = append(g.Senders, r.IntN(n))
		g.Receivers = append(g.Receivers, r.IntN(n))
	}
	return g
}

// BenchmarkMessagePassing times one forward pass of an interaction network
// (node features 6, messages 16, hidden 32, sum aggregation) on one graph
// of E edges and E/10 nodes, the graph built once: the cost grows linearly
// with E (fit the slope of log time against log E over the sizes).
func BenchmarkMessagePassing(b *testing.B) {
	for _, e := range []int{100, 1000, 10000, 100000} {
		b.Run(fmt.Sprintf("E=%d", e), func(b *testing.B) {
			m, err := New(InteractionNetwork(6, 16, 2, []int{32}))
			if err != nil {
				b.Fatal(err)
			}
			bt := newBatch([]Graph{benchGraph(1, e/10, e, 6)}, m.cfg)
			gr, err := m.build(bt)
			if err != nil {
				b.Fatal(err)
			}
			vm := G.NewTapeMachine(gr.g)
			defer vm.Close()
			b.ReportAllocs()
			b.ResetTimer()
			c0 := cputime.Seconds()
			for range b.N {
				if err := vm.RunAll(); err != nil {
					b.Fatal(err)
				}
				vm.Reset()
			}
			// CPU time per edge (all threads): on a busy machine the wall
			// time also counts waiting for a core.
			b.ReportMetric((cputime.Seconds()-c0)*1e9/float64(b.N)/float64(e), "cpu-ns/edge")
		})
	}
}

// BenchmarkStepGNN times one Adam training step of Cranmer et al.'s
// interaction network in small: 100 particles (node features 6, 2-D),
// 1,000 random edges, messages of 100, edge network 12-128-128-100 and
// node network 106-128-128-2 with ReLU (the paper's activation),
// L1 loss on the accelerations plus 1e-2 L1 on the messages. The PyTorch
// side is bench/torch_rows/gnn.py (index_add_).
func BenchmarkStepGNN(b *testing.B) {
	const n, e = 100, 1000
	g := benchGraph(1, n, e, 6)
	r := rng.New(2)
	y := make([][]float64, n)
	for i := range y {
		y[i] = []float64{r.NormFloat64(), r.NormFloat64()}
	}
	d := &Dataset{Graphs: []Graph{g}, NodeTargets: [][][]float64{y}}
	cfg := InteractionNetwork(6, 100, 2, []int{128, 128})
	cfg.Activation = ReLU
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cputime.Seconds()
	if _, err := m.Train(context.Background(), d, TrainConfig{Steps: b.N, Loss: MAE, MessageL1: 1e-2}); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric((cputime.Seconds()-c0)*1e3/float64(b.N), "cpu-ms/op")
}
