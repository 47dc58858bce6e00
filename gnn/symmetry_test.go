package gnn_test

import (
	"testing"

	"github.com/physbias/physbias/gnn"
	"github.com/physbias/physbias/internal/rng"
)

// A full Graph Network block (edge, node and global features and updates)
// on graphs with self-loops and repeated edges: permuting nodes and edges
// permutes node and edge outputs the same way and leaves global outputs
// unchanged, for every aggregator. Measured differences ≤ 2e-15 (sums in
// another order); bound 1e-12.
func TestPermutationEquivariance(t *testing.T) {
	r := rng.New(11)
	for _, agg := range []gnn.Aggregation{gnn.Sum, gnn.Mean, gnn.Max} {
		c := gnn.Config{NodeIn: 3, EdgeIn: 2, GlobalIn: 2, EdgeOut: 4, NodeOut: 3, GlobalOut: 2,
			Hidden: []int{16, 16}, Aggregation: agg, Activation: gnn.Tanh, Seed: 5}
		m, err := gnn.New(c)
		if err != nil {
			t.Fatal(err)
		}
		// Two graphs in one batch, of sizes the paper does not use.
		g1, g2 := randomGraph(r, c, 7, 19), randomGraph(r, c, 5, 9)
		p, q := r.Perm(7), r.Perm(19)
		g1p := permute(g1, p, q)
		out, err := m.Apply([]gnn.Graph{g1, g2})
		if err != nil {
			t.Fatal(err)
		}
		outp, err := m.Apply([]gnn.Graph{g2, g1p})
		if err != nil {
			t.Fatal(err)
		}
		back := permute(out[0], p, q) // the outputs, permuted like the inputs
		worst := max(maxDiff(t, back.Nodes, outp[1].Nodes), maxDiff(t, back.Edges, outp[1].Edges),
			maxDiff(t, [][]float64{out[0].Globals}, [][]float64{outp[1].Globals}),
			maxDiff(t, out[1].Nodes, outp[0].Nodes))
		t.Logf("%v: largest difference %.2g", agg, worst)
		if worst > 1e-12 {
			t.Errorf("%v: permuted outputs differ by %.3g", agg, worst)
		}
	}
}

// DeepSets' output is invariant to the order of the set, for sets of
// several sizes, and a set of one element is a valid input.
func TestDeepSetsInvariant(t *testing.T) {
	r := rng.New(12)
	for _, agg := range []gnn.Aggregation{gnn.Sum, gnn.Mean, gnn.Max} {
		c := gnn.DeepSets(4, 8, 3, []int{16})
		c.Aggregation = agg
		m, err := gnn.New(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{1, 6, 40} {
			g := gnn.Graph{Nodes: randRows(r, n, 4)}
			gp := permute(g, r.Perm(n), nil)
			out, err := m.Apply([]gnn.Graph{g, gp})
			if err != nil {
				t.Fatal(err)
			}
			if d := maxDiff(t, [][]float64{out[0].Globals}, [][]float64{out[1].Globals}); d > 1e-12 {
				t.Errorf("%v, %d elements: permuted set changes the output by %.3g", agg, n, d)
			}
		}
	}
}

// A graph without edges and a graph without nodes are valid inputs, alone
// and batched with others: the empty reductions are zero, so the node
// outputs of an edgeless graph equal the node network applied to [v, 0, u],
// and a graph without nodes still has a global output.
func TestEmptyGraphs(t *testing.T) {
	r := rng.New(13)
	for _, agg := range []gnn.Aggregation{gnn.Sum, gnn.Mean, gnn.Max} {
		c := gnn.Config{NodeIn: 2, GlobalIn: 1, EdgeOut: 3, NodeOut: 2, GlobalOut: 2, Hidden: []int{8}, Aggregation: agg}
		m, err := gnn.New(c)
		if err != nil {
			t.Fatal(err)
		}
		noEdges := randomGraph(r, c, 4, 0)
		empty := gnn.Graph{Globals: []float64{0.5}}
		full := randomGraph(r, c, 4, 6)
		alone, err := m.Apply([]gnn.Graph{noEdges})
		if err != nil {
			t.Fatal(err)
		}
		mixed, err := m.Apply([]gnn.Graph{full, noEdges, empty})
		if err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(t, alone[0].Nodes, mixed[1].Nodes); d > 1e-12 {
			t.Errorf("%v: edgeless graph's nodes change by %.3g when batched", agg, d)
		}
		if len(mixed[2].Nodes) != 0 || len(mixed[2].Edges) != 0 || len(mixed[2].Globals) != 2 {
			t.Errorf("%v: empty graph gave %d nodes, %d edges, %d globals", agg, len(mixed[2].Nodes), len(mixed[2].Edges), len(mixed[2].Globals))
		}
		onlyEmpty, err := m.Apply([]gnn.Graph{empty})
		if err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(t, [][]float64{onlyEmpty[0].Globals}, [][]float64{mixed[2].Globals}); d > 1e-12 {
			t.Errorf("%v: empty graph's globals change by %.3g when batched", agg, d)
		}
		// A model with no global update on a graph without nodes.
		c2 := gnn.InteractionNetwork(2, 2, 2, []int{4})
		m2, _ := gnn.New(c2)
		if out, err := m2.Apply([]gnn.Graph{{}}); err != nil || len(out[0].Nodes) != 0 {
			t.Errorf("interaction network on an empty graph: %v, %v", out, err)
		}
	}
}
