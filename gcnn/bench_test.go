package gcnn_test

import (
	"context"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/gcnn"
)

// benchLayer times forward and backward of one layer on (64, C·N, 24, 24)
// float32 maps: a P4 group convolution from 10 to 10 features (40 maps
// each), and a Z2 convolution from 40 to 40 channels, the same product
// sizes; the difference is the filter expansion.
func benchLayer(b *testing.B, grp gcnn.Group) {
	const batch, side = 64, 24
	n := grp.Order()
	c := 40 / n
	g := G.NewGraph()
	x := tensorNode(g, "x", tensor.Float32, randn(1, batch*40*side*side), batch, 40, side, side)
	w := tensorNode(g, "w", tensor.Float32, scaled(randn(2, c*c*n*9), c*n*9), c, c, n, 3, 3)
	y, err := gcnn.GroupConv(x, w, nil, grp, gcnn.Conv{Pad: 1})
	if err != nil {
		b.Fatal(err)
	}
	loss := G.Must(G.Sum(G.Must(G.Square(y))))
	if _, err := G.Grad(loss, x, w); err != nil {
		b.Fatal(err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	b.ResetTimer()
	c0 := cpuSeconds()
	for i := 0; i < b.N; i++ {
		if err := m.RunAll(); err != nil {
			b.Fatal(err)
		}
		m.Reset()
	}
	b.ReportMetric((cpuSeconds()-c0)*1e3/float64(b.N), "cpu-ms/op")
}

func BenchmarkGroupConvP4(b *testing.B) { benchLayer(b, gcnn.P4) }
func BenchmarkConvZ2(b *testing.B)      { benchLayer(b, gcnn.Z2) }

// benchStep times training steps (forward, backward, Adam) of the paper's
// network on batches of 64 28×28 images (float32 convolutions). Each Train
// call builds and compiles its graph once; with b.N steps that is shared
// out (the PyTorch row, bench/torch_rows/p4cnn.py, times steps alone).
func benchStep(b *testing.B, grp gcnn.Group) {
	d := &gcnn.Dataset{Train: shapes(9, 128, 28)}
	d.Train.Labels = make([]int, 128) // 10 classes, labels all 0
	m, err := gcnn.New(gcnn.Config{Group: grp})
	if err != nil {
		b.Fatal(err)
	}
	// One step first: graph building and compiling are outside the timing.
	ctx := context.Background()
	if _, err := m.Train(ctx, d, gcnn.TrainConfig{Steps: 1, BatchSize: 64}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	c0 := cpuSeconds()
	if _, err := m.Train(ctx, d, gcnn.TrainConfig{Steps: b.N, BatchSize: 64}); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric((cpuSeconds()-c0)*1e3/float64(b.N), "cpu-ms/op")
}

func BenchmarkP4CNNStep(b *testing.B) { benchStep(b, gcnn.P4) }
func BenchmarkZ2CNNStep(b *testing.B) { benchStep(b, gcnn.Z2) }
