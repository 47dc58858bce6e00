package hopfield

import (
	"context"
	"math"
	"testing"

	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// logisticLoss returns mean softplus(−y·logit) for logits and ±1 targets
// of shape (B, 1).
func logisticLoss(logit, y *G.Node) *G.Node {
	margin := G.Must(G.HadamardProd(logit, y))
	return G.Must(G.Mean(G.Must(G.Softplus(G.Must(G.Neg(margin))))))
}

// value makes a float64 input node holding data with the given shape.
func value(g *G.ExprGraph, name string, data []float64, shape ...int) *G.Node {
	return G.NewTensor(g, tensor.Float64, len(shape), G.WithShape(shape...), G.WithName(name),
		G.WithValue(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))))
}

// accuracy runs the graph once and returns the fraction of logits whose
// sign matches y.
func accuracy(t *testing.T, g *G.ExprGraph, logit *G.Node, y []float64) float64 {
	t.Helper()
	var lv G.Value
	G.Read(logit, &lv)
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	ok := 0
	for i, z := range lv.Data().([]float64) {
		if z*y[i] > 0 {
			ok++
		}
	}
	return float64(ok) / float64(len(y))
}

// xorData draws n points from four Gaussian clusters at (±1, ±1) (σ = 0.3)
// labelled by the sign of x·y: no linear classifier does better than
// chance.
func xorData(n int, seed uint64) (x, y []float64) {
	r := rng.New(seed)
	x, y = make([]float64, 2*n), make([]float64, n)
	for i := 0; i < n; i++ {
		a, b := float64(2*r.IntN(2)-1), float64(2*r.IntN(2)-1)
		x[2*i] = a + 0.3*r.NormFloat64()
		x[2*i+1] = b + 0.3*r.NormFloat64()
		y[i] = a * b
	}
	return x, y
}

// HopfieldLayer as a learned memory: 8 stored patterns with one-dimensional
// values, queried by 2-D points, learn the XOR of four clusters (its
// stored patterns become prototypes of the clusters). A linear classifier
// on the same inputs, trained the same way, stays near chance. Expected:
// HopfieldLayer ≥ 0.95 on fresh points (the Bayes rate is ≈ 0.999),
// linear ≤ 0.65.
func TestHopfieldLayerLearnsXOR(t *testing.T) {
	const nTrain, nTest = 400, 2000
	build := func(n int, x, y []float64, hop bool) (*G.ExprGraph, *G.Node, *G.Node, []*G.Node) {
		g := G.NewGraph()
		xn := value(g, "x", x, n, 2)
		yn := value(g, "y", y, n, 1)
		var logit *G.Node
		var params []*G.Node
		if hop {
			l, err := NewHopfieldLayer(g, 2, 8, LayerConfig{DimK: 4, DimV: 1, Beta: 1, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			if logit, err = l.Forward(xn); err != nil {
				t.Fatal(err)
			}
			params = l.Params()
		} else {
			w, err := param(g, "lin_w", 2, 1, 3, 1)
			if err != nil {
				t.Fatal(err)
			}
			logit = G.Must(G.Mul(xn, w))
			params = []*G.Node{w}
		}
		return g, logit, logisticLoss(logit, yn), params
	}
	x, y := xorData(nTrain, 1)
	xt, yt := xorData(nTest, 2)
	acc := map[bool]float64{}
	for _, hop := range []bool{true, false} {
		g, _, loss, params := build(nTrain, x, y, hop)
		if _, err := TrainGraph(context.Background(), Objective{Graph: g, Loss: loss, Params: params},
			TrainConfig{LR: 0.05, Steps: 600}); err != nil {
			t.Fatal(err)
		}
		ge, logit, _, pe := build(nTest, xt, yt, hop)
		vals, _ := train.Values(params)
		if err := train.SetValues(pe, vals); err != nil {
			t.Fatal(err)
		}
		acc[hop] = accuracy(t, ge, logit, yt)
	}
	t.Logf("XOR test accuracy: HopfieldLayer %.3f, linear %.3f", acc[true], acc[false])
	if acc[true] < 0.95 || acc[false] > 0.65 {
		t.Errorf("HopfieldLayer %.3f (want ≥ 0.95), linear %.3f (want ≤ 0.65)", acc[true], acc[false])
	}
}

// keyValueData makes n samples of a lookup task: a set of size elements,
// each a random key in ℝ^k of norm 2 followed by a ±1 value, and a query
// equal to one element's key plus noise (σ = 0.3); the label is that
// element's value. Keys of equal norm make the largest dot product the
// nearest key, which dot-product attention can find (with Gaussian keys it
// cannot: it favours long keys).
func keyValueData(n, size, k int, seed uint64) (r, ys, labels []float64) {
	rg := rng.New(seed)
	r = make([]float64, n*k)
	ys = make([]float64, n*size*(k+1))
	labels = make([]float64, n)
	for s := 0; s < n; s++ {
		set := ys[s*size*(k+1) : (s+1)*size*(k+1)]
		for e := 0; e < size; e++ {
			key := set[e*(k+1) : e*(k+1)+k]
			var n2 float64
			for j := range key {
				key[j] = rg.NormFloat64()
				n2 += key[j] * key[j]
			}
			for j := range key {
				key[j] *= 2 / math.Sqrt(n2)
			}
			set[e*(k+1)+k] = float64(2*rg.IntN(2) - 1)
		}
		m := rg.IntN(size)
		for j := 0; j < k; j++ {
			r[s*k+j] = set[m*(k+1)+j] + 0.3*rg.NormFloat64()
		}
		labels[s] = set[m*(k+1)+k]
	}
	return r, ys, labels
}

// The Hopfield layer as cross-attention: the state pattern (the query)
// must retrieve, from the stored patterns of its own set, the element
// whose key it matches, and read its value. Pooling the same set without
// the query (HopfieldPooling, learned query) cannot know which element is
// asked for: the best it can do is about the majority of the set's values
// (≈ 0.66). The nearest-key oracle scores 0.989 on the test sets.
// Expected: Hopfield ≥ 0.95, pooling ≤ 0.7 on fresh sets.
func TestHopfieldCrossAttentionLookup(t *testing.T) {
	const (
		size, k       = 6, 4
		nTrain, nTest = 2000, 2000
		batch         = 100
	)
	type model struct {
		g           *G.ExprGraph
		r, y, lab   []float64
		logit, loss *G.Node
		params      []*G.Node
	}
	build := func(b int, cross bool) model {
		m := model{g: G.NewGraph(), r: make([]float64, b*k), y: make([]float64, b*size*(k+1)), lab: make([]float64, b)}
		rn := value(m.g, "r", m.r, b, 1, k)
		yn := value(m.g, "ys", m.y, b, size, k+1)
		ln := value(m.g, "labels", m.lab, b, 1)
		var z *G.Node
		var err error
		if cross {
			h, e := NewHopfield(m.g, k, k+1, LayerConfig{DimK: 8, DimV: 4, Beta: 1, Seed: 5})
			if e != nil {
				t.Fatal(e)
			}
			z, err = h.Forward(rn, yn)
			m.params = h.Params()
		} else {
			p, e := NewHopfieldPooling(m.g, k+1, 1, LayerConfig{DimK: 8, DimV: 4, Beta: 1, Seed: 5})
			if e != nil {
				t.Fatal(e)
			}
			z, err = p.Forward(yn)
			m.params = p.Params()
		}
		if err != nil {
			t.Fatal(err)
		}
		wo, err := param(m.g, "out_w", 4, 1, 5, 9)
		if err != nil {
			t.Fatal(err)
		}
		m.params = append(m.params, wo)
		m.logit = G.Must(G.Mul(G.Must(G.Reshape(z, tensor.Shape{b, 4})), wo))
		m.loss = logisticLoss(m.logit, ln)
		return m
	}
	r, ys, labels := keyValueData(nTrain, size, k, 1)
	rt, yt, lt := keyValueData(nTest, size, k, 2)
	acc := map[bool]float64{}
	for _, cross := range []bool{true, false} {
		m := build(batch, cross)
		feed := func(idx []int) error {
			for j, i := range idx {
				copy(m.r[j*k:(j+1)*k], r[i*k:(i+1)*k])
				copy(m.y[j*size*(k+1):(j+1)*size*(k+1)], ys[i*size*(k+1):(i+1)*size*(k+1)])
				m.lab[j] = labels[i]
			}
			return nil
		}
		if _, err := TrainGraph(context.Background(), Objective{Graph: m.g, Loss: m.loss, Params: m.params, N: nTrain, Feed: feed},
			TrainConfig{LR: 0.05, Steps: 500, BatchSize: batch, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		e := build(nTest, cross)
		vals, _ := train.Values(m.params)
		if err := train.SetValues(e.params, vals); err != nil {
			t.Fatal(err)
		}
		copy(e.r, rt)
		copy(e.y, yt)
		copy(e.lab, lt)
		acc[cross] = accuracy(t, e.g, e.logit, lt)
	}
	t.Logf("key-value lookup test accuracy: Hopfield (cross-attention) %.3f, HopfieldPooling without the query %.3f", acc[true], acc[false])
	if acc[true] < 0.95 || acc[false] > 0.7 {
		t.Errorf("Hopfield %.3f (want ≥ 0.95), pooling %.3f (want ≤ 0.7)", acc[true], acc[false])
	}
}
