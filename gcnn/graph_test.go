package gcnn_test

import (
	"context"
	"errors"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/gcnn"
)

// TestTrainGraph: a user's own float32 P4M network (float64 parameters cast
// to float32) regresses the mean brightness of each of its images from an
// invariant head; TrainGraph lowers the loss tenfold.
func TestTrainGraph(t *testing.T) {
	const n, s = 32, 8
	g := G.NewGraph()
	x := tensorNode(g, "x", tensor.Float32, randn(31, n*s*s), n, 1, s, s)
	target := make([]float64, n)
	xv := x.Value().Data().([]float32)
	for i := range target {
		for _, v := range xv[i*s*s : (i+1)*s*s] {
			target[i] += float64(v) / (s * s)
		}
	}
	w1 := tensorNode(g, "w1", tensor.Float64, scaled(randn(32, 4*9), 9), 4, 1, 3, 3)
	w2 := tensorNode(g, "w2", tensor.Float64, scaled(randn(33, 4*8*9), 4*8*9), 1, 4, 8, 3, 3)
	must := func(y *G.Node, err error) *G.Node {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return y
	}
	h := must(gcnn.Lift(x, must(gcnn.Cast(w1, tensor.Float32)), nil, gcnn.P4M, gcnn.Conv{Pad: 1}))
	h = must(gcnn.GroupConv(h, must(gcnn.Cast(w2, tensor.Float32)), nil, gcnn.P4M, gcnn.Conv{Pad: 1}))
	h = must(gcnn.GroupPool(h, gcnn.P4M, gcnn.Mean))
	h = must(gcnn.GlobalPool(h, gcnn.Mean))
	y := must(gcnn.Cast(must(G.Reshape(h, tensor.Shape{n})), tensor.Float64))
	tn := tensorNode(g, "t", tensor.Float64, target, n)
	loss := must(G.Mean(must(G.Square(must(G.Sub(y, tn))))))
	hist, err := gcnn.TrainGraph(context.Background(), gcnn.Objective{Graph: g, Loss: loss, Params: []*G.Node{w1, w2}},
		gcnn.TrainConfig{Steps: 200, LR: 1e-2})
	if err != nil {
		t.Fatal(err)
	}
	first, last := hist.Loss[0], hist.Loss[len(hist.Loss)-1]
	// Measured: 0.67 → 2.9e-5.
	t.Logf("loss %.3g -> %.3g", first, last)
	if last > first/10 {
		t.Errorf("loss %.3g -> %.3g", first, last)
	}
	if _, err := gcnn.TrainGraph(context.Background(), gcnn.Objective{}, gcnn.TrainConfig{}); !errors.Is(err, gcnn.ErrInput) {
		t.Errorf("empty objective: %v", err)
	}
}
