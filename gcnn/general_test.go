package gcnn_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/gcnn"
	"github.com/physbias/physbias/internal/rng"
)

// noise returns n images of c channels of side s, standard normal pixels.
func noise(seed uint64, n, c, s int) gcnn.Images {
	r := rng.New(seed)
	x := make([]float32, n*c*s*s)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	return gcnn.Images{X: x, C: c, H: s, W: s}
}

// Models of layouts no other test uses — odd, even and prime sizes, 1 to 3
// input channels, kernels 1 to 5, padding, strides where they keep the
// symmetry, max-pools after odd and even layers, Max and Mean group
// pooling, float32 and float64 — and batches that do not fill or cross the
// prediction batch (1, 7, 101 and 250 images): the logits are invariant
// under every element of the model's group, every layer's feature maps
// (FeatureMaps) transform as the group acts on them, and an image's logits
// do not depend on the batch it is in.
func TestModelEquivarianceGeneral(t *testing.T) {
	for _, c := range []struct {
		cfg   gcnn.Config
		batch int
	}{
		{gcnn.Config{Group: gcnn.P4M, Size: 13, InChannels: 3, Classes: 4, Width: 3, Seed: 1,
			Layers: []gcnn.Layer{{Kernel: 3, Pad: 1}, {Kernel: 3, Stride: 2}, {Kernel: 3, Pad: 1, MaxPool: 2}, {Kernel: 3}}}, 7},
		{gcnn.Config{Group: gcnn.P4, Size: 20, InChannels: 2, Classes: 3, Width: 5, Pool: gcnn.Mean, Float64: true, Seed: 2,
			Layers: []gcnn.Layer{{Kernel: 5, MaxPool: 2}, {Kernel: 1}, {Kernel: 3, Pad: 1}, {Kernel: 8}}}, 101},
		{gcnn.Config{Group: gcnn.P4M, Size: 12, Classes: 2, Width: 2, Seed: 3,
			Layers: []gcnn.Layer{{Kernel: 4, Stride: 2, Pad: 1}, {Kernel: 3, MaxPool: 2}, {Kernel: 2}}}, 250},
		{gcnn.Config{Group: gcnn.P4, Size: 11, InChannels: 1, Classes: 5, Width: 4, Seed: 4,
			Layers: []gcnn.Layer{{Kernel: 3, Stride: 2, Pad: 1}, {Kernel: 3, MaxPool: 2}, {Kernel: 2}}}, 1},
	} {
		cfg := c.cfg
		name := fmt.Sprintf("%v/size%d/in%d/float64=%t/batch%d", cfg.Group, cfg.Size, max(cfg.InChannels, 1), cfg.Float64, c.batch)
		t.Run(name, func(t *testing.T) {
			m, err := gcnn.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			cc := m.Config()
			s, ch, k, n := cc.Size, cc.InChannels, cc.Classes, cc.Group.Order()
			im := noise(uint64(cfg.Seed)+10, c.batch, ch, s)
			z0, err := m.Logits(&im)
			if err != nil {
				t.Fatal(err)
			}
			if len(z0) != c.batch*k {
				t.Fatalf("%d logits for %d images of %d classes", len(z0), c.batch, k)
			}
			// Measured, relative to the largest logit (and, for the feature
			// maps, to each value where it is above 1): float64 ≤ 7e-16
			// (feature maps 3.6e-15), float32 ≤ 7e-7 (feature maps 1.7e-6).
			tol := 1e-13
			if !cfg.Float64 {
				tol = 1e-5
			}
			var worst, scale float64
			for e := 1; e < n; e++ {
				x, _, _, err := gcnn.Act(cfg.Group, e, im.X, c.batch, ch, s, s, false)
				if err != nil {
					t.Fatal(err)
				}
				z, err := m.Logits(&gcnn.Images{X: x, C: ch, H: s, W: s})
				if err != nil {
					t.Fatal(err)
				}
				for i := range z {
					worst = math.Max(worst, math.Abs(z[i]-z0[i]))
					scale = math.Max(scale, math.Abs(z0[i]))
				}
			}
			t.Logf("logits up to %.2g change by %.2g under %v", scale, worst, cfg.Group)
			if worst > tol*math.Max(1, scale) || scale < 1e-3 {
				t.Errorf("logits (up to %.2g) change by %.2g under %v", scale, worst, cfg.Group)
			}

			// The same model with its convolutions in the other precision
			// (the float32 path is a direct convolution with the ReLU and
			// max-pool inside the op, the float64 path im2col) gives the
			// same logits to float32 rounding.
			other := cfg
			other.Float64 = !cfg.Float64
			mo, err := gcnn.New(other)
			if err != nil {
				t.Fatal(err)
			}
			zo, err := mo.Logits(&im)
			if err != nil {
				t.Fatal(err)
			}
			var dPrec float64
			for i := range zo {
				dPrec = math.Max(dPrec, math.Abs(zo[i]-z0[i]))
			}
			// Measured: ≤ 4.7e-6 on logits up to 6.4 (7.3e-7 relative).
			t.Logf("float32 and float64 logits differ by %.2g", dPrec)
			if dPrec > 1e-5*math.Max(1, scale) {
				t.Errorf("float32 and float64 logits differ by %.2g", dPrec)
			}

			// The last image alone gives the logits it had in the batch.
			last := gcnn.Images{X: im.X[(c.batch-1)*ch*s*s:], C: ch, H: s, W: s}
			zl, err := m.Logits(&last)
			if err != nil {
				t.Fatal(err)
			}
			var dBatch float64
			for j := 0; j < k; j++ {
				dBatch = math.Max(dBatch, math.Abs(zl[j]-z0[(c.batch-1)*k+j]))
			}
			t.Logf("the last image alone: logits differ by %.2g", dBatch)
			if dBatch > tol*math.Max(1, scale) {
				t.Errorf("the last image's logits alone differ from those in the batch by %.2g", dBatch)
			}

			// Feature maps of every layer, for the first image and each
			// element.
			one := gcnn.Images{X: im.X[:ch*s*s], C: ch, H: s, W: s}
			var fworst float64
			for e := 1; e < n; e++ {
				x, _, _, err := gcnn.Act(cfg.Group, e, one.X, 1, ch, s, s, false)
				if err != nil {
					t.Fatal(err)
				}
				moved := gcnn.Images{X: x, C: ch, H: s, W: s}
				for layer := range cc.Layers {
					f0, side, err := m.FeatureMaps(&one, 0, layer)
					if err != nil {
						t.Fatal(err)
					}
					f1, _, err := m.FeatureMaps(&moved, 0, layer)
					if err != nil {
						t.Fatal(err)
					}
					want, _, _, err := gcnn.Act(cfg.Group, e, f0, 1, len(f0)/(side*side), side, side, true)
					if err != nil {
						t.Fatal(err)
					}
					for i := range want {
						fworst = math.Max(fworst, math.Abs(f1[i]-want[i])/math.Max(1, math.Abs(want[i])))
					}
				}
			}
			t.Logf("feature maps: largest relative difference %.2g", fworst)
			if fworst > tol {
				t.Errorf("feature maps differ from the group's action on them by %.2g", fworst)
			}
		})
	}
}

// A user's own network from the public layers, on odd 15×15 images with two
// channels: Lift (5×5, padded), ReLU, GroupConv with stride 2, tanh,
// GroupConv, GroupPool (Max), GlobalPool (Max) and a linear head of the
// user's, in float64, trained with TrainGraph on a user's task: which
// channel holds a short bright bar (of any position and orientation). The
// trained network's class probabilities do not change under any element of
// P4M, and it classifies held-out images.
func TestUserNetworkP4M(t *testing.T) {
	const s, c, hidden = 15, 2, 3
	data := func(seed uint64, n int) ([]float64, []int) {
		r := rng.New(seed)
		x := make([]float64, n*c*s*s)
		y := make([]int, n)
		for k := 0; k < n; k++ {
			img := x[k*c*s*s : (k+1)*c*s*s]
			for i := range img {
				img[i] = 0.3 * r.NormFloat64()
			}
			y[k] = r.IntN(2)
			row, col, vertical := 2+r.IntN(s-4), 2+r.IntN(s-4), r.IntN(2) == 1
			for d := -2; d <= 2; d++ {
				i, j := row, col+d
				if vertical {
					i, j = row+d, col
				}
				img[y[k]*s*s+i*s+j] += 1.5
			}
		}
		return x, y
	}
	const n = 64
	xs, ys := data(1, n)
	g := G.NewGraph()
	x := tensorNode(g, "x", tensor.Float64, xs, n, c, s, s)
	n8 := gcnn.P4M.Order()
	w1 := tensorNode(g, "w1", tensor.Float64, scaled(randn(41, hidden*c*25), c*25), hidden, c, 5, 5)
	b1 := tensorNode(g, "b1", tensor.Float64, make([]float64, hidden), hidden)
	w2 := tensorNode(g, "w2", tensor.Float64, scaled(randn(42, hidden*hidden*n8*9), hidden*n8*9), hidden, hidden, n8, 3, 3)
	w3 := tensorNode(g, "w3", tensor.Float64, scaled(randn(43, hidden*hidden*n8*9), hidden*n8*9), hidden, hidden, n8, 3, 3)
	head := tensorNode(g, "head", tensor.Float64, scaled(randn(44, hidden*2), hidden), hidden, 2)
	must := func(y *G.Node, err error) *G.Node {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return y
	}
	h := must(gcnn.Lift(x, w1, b1, gcnn.P4M, gcnn.Conv{Pad: 2}))
	h = must(G.Rectify(h))
	h = must(gcnn.GroupConv(h, w2, nil, gcnn.P4M, gcnn.Conv{Stride: 2})) // (15 − 3) is even
	h = must(G.Tanh(h))
	h = must(gcnn.GroupConv(h, w3, nil, gcnn.P4M, gcnn.Conv{Pad: 1}))
	h = must(gcnn.GroupPool(h, gcnn.P4M, gcnn.Max))
	h = must(gcnn.GlobalPool(h, gcnn.Max))
	logits := must(G.Mul(h, head))
	probs := must(G.SoftMax(logits))
	oneHot := make([]float64, n*2)
	for i, l := range ys {
		oneHot[i*2+l] = 1
	}
	oh := tensorNode(g, "onehot", tensor.Float64, oneHot, n, 2)
	logp := must(G.Log(must(G.Add(probs, G.NewConstant(1e-12, G.WithName("eps"))))))
	loss := must(G.Neg(must(G.Mean(must(G.Sum(must(G.HadamardProd(logp, oh)), 1))))))
	var probVal G.Value
	G.Read(probs, &probVal)

	hist, err := gcnn.TrainGraph(context.Background(), gcnn.Objective{Graph: g, Loss: loss, Params: []*G.Node{w1, b1, w2, w3, head}},
		gcnn.TrainConfig{Steps: 60, LR: 2e-2})
	if err != nil {
		t.Fatal(err)
	}
	first, last := hist.Loss[0], hist.Loss[len(hist.Loss)-1]
	t.Logf("training loss %.3f -> %.3f in %v", first, last, hist.Elapsed)

	// Evaluate held-out images, and every element of P4M acting on them,
	// through the same graph.
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	eval := func(in []float64) []float64 {
		copy(x.Value().Data().([]float64), in)
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		vm.Reset()
		return append([]float64(nil), probVal.Data().([]float64)...)
	}
	test, labels := data(2, n)
	p0 := eval(test)
	wrong := 0
	for i, l := range labels {
		if p0[2*i+l] < 0.5 {
			wrong++
		}
	}
	var worst float64
	for e := 1; e < n8; e++ {
		moved, _, _, err := gcnn.Act(gcnn.P4M, e, test, n, c, s, s, false)
		if err != nil {
			t.Fatal(err)
		}
		p := eval(moved)
		for i := range p {
			worst = math.Max(worst, math.Abs(p[i]-p0[i]))
		}
	}
	t.Logf("held-out error %d/%d; probabilities change by %.2g under P4M", wrong, n, worst)
	// Measured: loss 1.85 → 0.001, held-out error 1/64 (chance 32/64),
	// change ≤ 4.4e-16.
	if last > first/4 || wrong > n/8 {
		t.Errorf("training loss %.3f -> %.3f, held-out error %d/%d", first, last, wrong, n)
	}
	if worst > 1e-13 {
		t.Errorf("class probabilities change by %.2g under P4M", worst)
	}
}
