package hopfield_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/physbias/physbias/hopfield"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Store 10 random patterns in 200 units with Hebb's rule and recall one
// from a cue with 20% of its bits flipped.
func ExampleNetwork_Recall() {
	pats, _ := hopfield.RandomPatterns(10, 200, 1)
	net, _ := hopfield.New(200)
	if err := net.StoreHebbian(pats); err != nil {
		fmt.Println(err)
		return
	}
	cue, _ := hopfield.Corrupt(pats[3], 0.2, 2)
	before, _ := hopfield.Overlap(cue, pats[3])
	res, _ := net.Recall(cue, hopfield.RecallConfig{Seed: 3})
	after, _ := hopfield.Overlap(res.State, pats[3])
	fmt.Printf("overlap %.2f → %.2f, fixed point: %v\n", before, after, res.Converged)
	// Output:
	// overlap 0.60 → 1.00, fixed point: true
}

// The modern network holds 500 patterns in 32 dimensions (the classical
// capacity would be about 4) and retrieves one in a single update.
func ExampleModern_Update() {
	pats, _ := hopfield.RandomPatterns(500, 32, 1)
	xs := make([][]float64, len(pats))
	for i, p := range pats {
		xs[i] = hopfield.Spins(p)
	}
	m, _ := hopfield.NewModern(xs, 1)
	cue, _ := hopfield.Corrupt(pats[7], 0.15, 2)
	xi, _ := m.Update(hopfield.Spins(cue))
	got, _ := hopfield.Overlap(hopfield.Signs(xi), pats[7])
	e0, _ := m.Energy(hopfield.Spins(cue))
	e1, _ := m.Energy(xi)
	fmt.Printf("overlap after one update %.2f, energy %.1f → %.1f\n", got, e0, e1)
	// Output:
	// overlap after one update 1.00, energy 16.1 → 6.5
}

// Two units coupled by w = 1 at T = 1: Gibbs sampling against the exact
// distribution p(s) ∝ exp(s₁s₂).
func ExampleBoltzmann_Histogram() {
	b, _ := hopfield.NewBoltzmann(2, []hopfield.Edge{{I: 0, J: 1, W: 1}}, nil, 1)
	exact, _ := b.Exact()
	h, _ := b.Histogram(hopfield.SampleConfig{Samples: 200000, Seed: 1})
	tv, _ := hopfield.TotalVariation(exact, h)
	fmt.Printf("p(agree) exact %.3f, TV(Gibbs, exact) < 0.01: %v\n", exact[0]+exact[3], tv < 0.01)
	// Output:
	// p(agree) exact 0.881, TV(Gibbs, exact) < 0.01: true
}

// The continuous network from the classical one's weights: the energy
// falls along the trajectory and the signs of V end at the pattern.
func ExampleContinuous_Run() {
	pats, _ := hopfield.RandomPatterns(3, 50, 1)
	net, _ := hopfield.New(50)
	_ = net.StoreHebbian(pats)
	c, _ := net.Continuous(hopfield.ContinuousConfig{Gain: 8})
	cue, _ := hopfield.Corrupt(pats[0], 0.1, 2)
	u0 := hopfield.Spins(cue)
	for i := range u0 {
		u0[i] *= 0.1
	}
	tr, _ := c.Run(u0, hopfield.RunConfig{Duration: 10, RTol: 1e-8, ATol: 1e-10})
	m, _ := hopfield.Overlap(hopfield.Signs(tr.U), pats[0])
	fmt.Printf("energy %.2f → %.2f, overlap %.2f\n", tr.Energy[0], tr.Energy[len(tr.Energy)-1], m)
	// Output:
	// energy -5.24 → -19.25, overlap 1.00
}

// HopfieldPooling in a gorgonia graph: 4 sets of 10 elements in 6
// dimensions pooled by 2 learned queries into (4, 2, 8).
func ExampleHopfieldPooling() {
	g := G.NewGraph()
	x := G.NewTensor(g, tensor.Float64, 3, G.WithShape(4, 10, 6), G.WithName("sets"), G.WithInit(G.Zeroes()))
	pool, err := hopfield.NewHopfieldPooling(g, 6, 2, hopfield.LayerConfig{DimK: 8, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	z, err := pool.Forward(x)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("pooled shape", z.Shape(), "parameters", len(pool.Params()))
	// Output:
	// pooled shape (4, 2, 8) parameters 3
}

// Boltzmann learning recovers a coupling from samples: 20,000 Gibbs
// samples of two units with w = 0.8 at T = 1, fitted from w = 0.
func ExampleBoltzmann_Fit() {
	teacher, _ := hopfield.NewBoltzmann(2, []hopfield.Edge{{I: 0, J: 1, W: 0.8}}, nil, 1)
	var data [][]int8
	_ = teacher.Sample(hopfield.SampleConfig{Samples: 20000, Thin: 5, Seed: 1}, func(s []int8) error {
		data = append(data, append([]int8(nil), s...))
		return nil
	})
	student, _ := hopfield.NewBoltzmann(2, []hopfield.Edge{{I: 0, J: 1}}, nil, 1)
	fit, err := student.Fit(data, hopfield.FitConfig{LR: 0.5, Steps: 200})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("fitted w = %.1f\n", fit.Edges()[0].W)
	// Output:
	// fitted w = 0.8
}

// One modern Hopfield update as a gorgonia op: a query near the first of
// two stored patterns retrieves it, softmax(β q kᵀ) v with v = k.
func ExampleAssociate() {
	g := G.NewGraph()
	node := func(name string, shape []int, data []float64) *G.Node {
		return G.NewTensor(g, tensor.Float64, 3, G.WithShape(shape...), G.WithName(name),
			G.WithValue(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))))
	}
	q := node("q", []int{1, 1, 3}, []float64{0.9, 0.2, -0.1})
	k := node("k", []int{1, 2, 3}, []float64{1, 0, 0, 0, 1, 0})
	z, err := hopfield.Associate(q, k, k, 8)
	if err != nil {
		fmt.Println(err)
		return
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.3f\n", z.Value().Data())
	// Output: [0.996 0.004 0.000]
}

// Train a HopfieldLayer model on a data set of one's own (y = x² on
// [−1, 1], 16 learned prototypes), then save and load it.
func ExampleModel() {
	var d hopfield.Data
	for i := 0; i <= 100; i++ {
		x := -1 + float64(i)/50
		d.X = append(d.X, []float64{x})
		d.Y = append(d.Y, []float64{x * x})
	}
	m, err := hopfield.NewModel(hopfield.Config{In: 1, Layer: hopfield.LayerConfig{DimK: 4, DimV: 4, Beta: 4}, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := m.Train(context.Background(), d, hopfield.TrainConfig{Steps: 1000, LR: 0.02})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("training MSE below 1e-3:", h.Loss[len(h.Loss)-1] < 1e-3)
	var file bytes.Buffer
	if err := m.Save(&file); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := hopfield.Load(&file)
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := m.Predict([][]float64{{0.6}})
	b, _ := loaded.Predict([][]float64{{0.6}})
	fmt.Printf("f(0.6) = %.1f (0.36); loaded model the same: %v\n", a[0][0], a[0][0] == b[0][0])
	// Output:
	// training MSE below 1e-3: true
	// f(0.6) = 0.4 (0.36); loaded model the same: true
}
