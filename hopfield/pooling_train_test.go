package hopfield

import (
	"context"
	"fmt"
	"testing"

	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// setModel is a set classifier: pooling of the set, then a linear read-out
// to one logit, trained with the logistic loss mean softplus(−y·logit).
type setModel struct {
	g            *G.ExprGraph
	x, y, logit  *G.Node
	loss         *G.Node
	params       []*G.Node
	xData, yData []float64
}

// newSetModel builds the model for batches of b sets; pooling is
// "hopfield" (HopfieldPooling with one learned query) or "mean" (the same
// value projection W_V, averaged over the set).
func newSetModel(pooling string, b, size, dim, dv int, seed uint64) (*setModel, error) {
	m := &setModel{g: G.NewGraph(), xData: make([]float64, b*size*dim), yData: make([]float64, b)}
	m.x = G.NewTensor(m.g, tensor.Float64, 3, G.WithShape(b, size, dim), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(b, size, dim), tensor.WithBacking(m.xData))))
	m.y = G.NewMatrix(m.g, tensor.Float64, G.WithShape(b, 1), G.WithName("y"),
		G.WithValue(tensor.New(tensor.WithShape(b, 1), tensor.WithBacking(m.yData))))
	var pooled *G.Node
	switch pooling {
	case "hopfield":
		p, err := NewHopfieldPooling(m.g, dim, 1, LayerConfig{DimK: 8, DimV: dv, Seed: seed, Beta: 1})
		if err != nil {
			return nil, err
		}
		z, err := p.Forward(m.x)
		if err != nil {
			return nil, err
		}
		pooled = G.Must(G.Reshape(z, tensor.Shape{b, dv}))
		m.params = p.Params()
	case "mean":
		wv, err := param(m.g, "mean_wv", dim, dv, seed, 3)
		if err != nil {
			return nil, err
		}
		x2 := G.Must(G.Reshape(m.x, tensor.Shape{b * size, dim}))
		v := G.Must(G.Reshape(G.Must(G.Mul(x2, wv)), tensor.Shape{b, size, dv}))
		pooled = G.Must(G.Mean(v, 1))
		m.params = []*G.Node{wv}
	default:
		return nil, fmt.Errorf("unknown pooling %q", pooling)
	}
	wo, err := param(m.g, "out_w", dv, 1, seed, 9)
	if err != nil {
		return nil, err
	}
	m.params = append(m.params, wo)
	m.logit = G.Must(G.Mul(pooled, wo))
	margin := G.Must(G.HadamardProd(m.logit, m.y))
	m.loss = G.Must(G.Mean(G.Must(G.Softplus(G.Must(G.Neg(margin))))))
	return m, nil
}

// trainSets trains the model on the marked-set task and returns its test
// accuracy.
func trainSets(t *testing.T, pooling string, seed uint64) float64 {
	t.Helper()
	const (
		size, dim, dv = 16, 6, 8
		nTrain, nTest = 4000, 2000
		batch         = 50
	)
	xs, ys, err := MarkedSets(nTrain, size, dim, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := newSetModel(pooling, batch, size, dim, dv, seed)
	if err != nil {
		t.Fatal(err)
	}
	feed := func(idx []int) error {
		for k, i := range idx {
			copy(m.xData[k*size*dim:(k+1)*size*dim], xs[i*size*dim:(i+1)*size*dim])
			m.yData[k] = ys[i]
		}
		return nil
	}
	hist, err := TrainGraph(context.Background(), Objective{Graph: m.g, Loss: m.loss, Params: m.params, N: nTrain, Feed: feed},
		TrainConfig{LR: 0.03, Steps: 1500, BatchSize: batch, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Evaluate on fresh sets with a graph of the test size and the trained
	// parameters.
	xt, yt, _ := MarkedSets(nTest, size, dim, 2)
	e, err := newSetModel(pooling, nTest, size, dim, dv, seed)
	if err != nil {
		t.Fatal(err)
	}
	vals, _ := train.Values(m.params)
	if err := train.SetValues(e.params, vals); err != nil {
		t.Fatal(err)
	}
	copy(e.xData, xt)
	copy(e.yData, yt)
	var lv G.Value
	G.Read(e.logit, &lv)
	vm := G.NewTapeMachine(e.g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	ok := 0
	for i, z := range lv.Data().([]float64) {
		if z*yt[i] > 0 {
			ok++
		}
	}
	acc := float64(ok) / nTest
	t.Logf("%s pooling: final training loss %.3f, test accuracy %.3f (%d steps, %v)", pooling, hist.Loss[len(hist.Loss)-1], acc, hist.Steps, hist.Elapsed.Round(1e6))
	return acc
}

// HopfieldPooling finds the one marked element of each set (its learned
// query matches the marker feature) and reads its label feature; mean
// pooling of the same value projection dilutes that feature 16-fold in
// noise (the Bayes rate of a linear read-out of the mean is about
// Φ(1.3/√15) ≈ 0.63). Expected: HopfieldPooling ≥ 0.95, mean ≤ 0.75, and
// HopfieldPooling at least 0.2 above mean pooling. (β = 1; with the
// default β = 1/√8 training is slower. Over initial seeds 1–5, four reach
// test accuracy 1.000 and one stops in a local optimum at 0.918; seed 1 is
// tested.)
func TestHopfieldPoolingBeatsMeanPooling(t *testing.T) {
	hop := trainSets(t, "hopfield", 1)
	mean := trainSets(t, "mean", 1)
	if hop < 0.95 || mean > 0.75 || hop-mean < 0.2 {
		t.Errorf("test accuracy: HopfieldPooling %.3f, mean pooling %.3f; want ≥ 0.95, ≤ 0.75 and a gap ≥ 0.2", hop, mean)
	}
}
