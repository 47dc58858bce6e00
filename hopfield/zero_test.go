package hopfield_test

import (
	"testing"

	"github.com/physbias/physbias/hopfield"
	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestZeroValuesNoPanic: the methods of zero-value networks and layers,
// a nil visit function, empty tensors, sizes whose products overflow and
// scores that overflow give errors, not panics (or out-of-memory crashes).
func TestZeroValuesNoPanic(t *testing.T) {
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic: %v", r)
		}
	}()
	fail := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", what)
		}
	}
	var net hopfield.Network
	_, err := net.Recall(nil, hopfield.RecallConfig{})
	fail("zero Network Recall", err)
	_, err = net.Recall(nil, hopfield.RecallConfig{Update: hopfield.Sync, Trace: true})
	fail("zero Network sync Recall", err)
	_, err = net.Energy(nil)
	fail("zero Network Energy", err)
	var c hopfield.Continuous
	_, err = c.Energy(nil)
	fail("zero Continuous Energy", err)
	_, err = c.Run(nil, hopfield.RunConfig{})
	fail("zero Continuous Run", err)
	var b hopfield.Boltzmann
	_, err = b.Energy(nil)
	fail("zero Boltzmann Energy", err)
	fail("zero Boltzmann Sample", b.Sample(hopfield.SampleConfig{}, func([]int8) error { return nil }))
	_, err = b.Exact()
	fail("zero Boltzmann Exact", err)
	_, err = b.Histogram(hopfield.SampleConfig{})
	fail("zero Boltzmann Histogram", err)
	_, err = b.Fit([][]int8{{1}}, hopfield.FitConfig{})
	fail("zero Boltzmann Fit", err)
	_, err = b.LogLikelihood([][]int8{{1}})
	fail("zero Boltzmann LogLikelihood", err)
	if b.N() != 0 || b.Edges() != nil || b.Bias() != nil {
		t.Error("zero Boltzmann: N, Edges or Bias not empty")
	}
	bm, err := hopfield.NewBoltzmann(2, nil, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	fail("Sample with nil visit", bm.Sample(hopfield.SampleConfig{}, nil))
	var m hopfield.Modern
	_, err = m.Update(nil)
	fail("zero Modern Update", err)
	_, err = m.Energy(nil)
	fail("zero Modern Energy", err)
	_, _, err = m.Retrieve(nil, 1, 0)
	fail("zero Modern Retrieve", err)
	_, err = m.UpdateBatch(nil, &mat.Dense{})
	fail("zero Modern UpdateBatch", err)

	// Sizes whose products overflow int or would need exabytes.
	_, err = hopfield.New(1<<31 + 1)
	fail("New(2^31+1)", err)
	_, err = hopfield.NewContinuous(1<<32, nil, nil, hopfield.ContinuousConfig{})
	fail("NewContinuous(2^32) with no weights", err)
	_, err = hopfield.NewBoltzmann(1<<40, nil, nil, 1)
	fail("NewBoltzmann(2^40)", err)
	_, err = hopfield.RandomPatterns(1<<62, 1, 0)
	fail("RandomPatterns(2^62, 1)", err)
	_, _, err = hopfield.MarkedSets(1<<40, 1<<40, 2, 0)
	fail("MarkedSets(2^40, 2^40, 2)", err)

	// Scores x_μᵀξ that overflow to +Inf.
	big, err := hopfield.NewModern([][]float64{{1e200, 0}, {-1e200, 0}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = big.Update([]float64{1e200, 1})
	fail("Modern Update with overflowing scores", err)
	_, err = big.Energy([]float64{1e200, 1})
	fail("Modern Energy with overflowing scores", err)
	_, err = big.UpdateBatch(nil, mat.NewDense(1, 2, []float64{1e200, 1}))
	fail("Modern UpdateBatch with overflowing scores", err)

	// An empty dst is sized, as in gonum's mat.
	small, err := hopfield.NewModern([][]float64{{1, 0}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	var dst mat.Dense
	if _, err := small.UpdateBatch(&dst, mat.NewDense(3, 2, nil)); err != nil {
		t.Errorf("UpdateBatch into an empty dst: %v", err)
	} else if r, c := dst.Dims(); r != 3 || c != 2 {
		t.Errorf("empty dst sized %d×%d, want 3×2", r, c)
	}

	// Layers: zero values, empty tensors, parameter counts that overflow.
	g := G.NewGraph()
	x := G.NewTensor(g, tensor.Float64, 3, G.WithShape(1, 2, 3), G.WithName("x"))
	var hl hopfield.Hopfield
	_, err = hl.Forward(x, x)
	fail("zero Hopfield Forward", err)
	var hp hopfield.HopfieldPooling
	_, err = hp.Forward(x)
	fail("zero HopfieldPooling Forward", err)
	var hy hopfield.HopfieldLayer
	_, err = hy.Forward(x)
	fail("zero HopfieldLayer Forward", err)
	e := G.NewTensor(g, tensor.Float64, 3, G.WithShape(0, 2, 3), G.WithName("e"))
	_, err = hopfield.Associate(e, e, e, 1)
	fail("Associate of empty tensors", err)
	_, err = hopfield.NewHopfieldLayer(g, 1<<40, 1, hopfield.LayerConfig{DimK: 1 << 40})
	fail("HopfieldLayer with 2^80 parameters", err)
}
