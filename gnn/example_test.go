package gnn_test

import (
	"fmt"
	"math"

	"github.com/physbias/physbias/gnn"
)

// A DeepSets model is invariant to the order of its set: the same three
// numbers in two orders give the same output, up to the rounding of
// sums taken in another order.
func ExampleDeepSets() {
	m, err := gnn.New(gnn.DeepSets(1, 8, 1, []int{16}))
	if err != nil {
		fmt.Println(err)
		return
	}
	a := gnn.Graph{Nodes: [][]float64{{1}, {2}, {3}}}
	b := gnn.Graph{Nodes: [][]float64{{3}, {1}, {2}}}
	out, err := m.Apply([]gnn.Graph{a, b})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("outputs differ by less than 1e-12: %v\n", math.Abs(out[0].Globals[0]-out[1].Globals[0]) < 1e-12)
	// Output: outputs differ by less than 1e-12: true
}

// Read the spring law off exact forces: FitLaw returns the force's
// x-component as 2·Δx/r − 2·Δx, i.e. F = −2(r − 1)·Δx/r.
func ExampleFitLaw() {
	sys := gnn.Spring.System(2, 4) // 2-D, 4 particles
	cfg := sys.Paper               // the paper's data set, made smaller
	cfg.Sims, cfg.Steps, cfg.TestFraction = 5, 4, 0
	d, err := gnn.Simulate(sys, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	et, err := gnn.Spring.Edges(d.Graphs, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fx := make([]float64, len(et.Force))
	for e, f := range et.Force {
		fx[e] = f[0]
	}
	law, err := gnn.FitLaw(et, fx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(law)
	// Output: 2·Δx₁/r - 2·Δx₁
}

// An interaction network predicts one acceleration per particle from
// messages summed at each receiver.
func ExampleModel_Apply() {
	sys := gnn.Charge.System(2, 3)
	d, err := gnn.Simulate(sys, gnn.DataConfig{Sims: 1, Steps: 1, DT: 0.001, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := gnn.New(gnn.InteractionNetwork(sys.Dim(), 2, 2, []int{16}))
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := m.Apply(d.Graphs)
	if err != nil {
		fmt.Println(err)
		return
	}
	g := out[0]
	fmt.Printf("%d particles, %d edges, %d messages of size %d, %d accelerations of size %d\n",
		len(d.Graphs[0].Nodes), g.NumEdges(), len(g.Edges), len(g.Edges[0]), len(g.Nodes), len(g.Nodes[0]))
	// Output: 3 particles, 6 edges, 6 messages of size 2, 3 accelerations of size 2
}
