package gnn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/physbias/physbias/gnn"
)

// randomGraph returns a graph of n nodes and e random edges (self-loops
// and repeated edges allowed) with random features of the sizes of c.
func randomGraph(r *rand.Rand, c gnn.Config, n, e int) gnn.Graph {
	g := gnn.Graph{Nodes: randRows(r, n, c.NodeIn)}
	for range e {
		g.Senders = append(g.Senders, r.IntN(n))
		g.Receivers = append(g.Receivers, r.IntN(n))
	}
	if c.EdgeIn > 0 {
		g.Edges = randRows(r, e, c.EdgeIn)
	}
	if c.GlobalIn > 0 {
		g.Globals = randRows(r, 1, c.GlobalIn)[0]
	}
	return g
}

func randRows(r *rand.Rand, n, w int) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, w)
		for k := range out[i] {
			out[i][k] = r.NormFloat64()
		}
	}
	return out
}

// permute returns g with node i renamed p[i] and edge k moved to place
// q[k].
func permute(g gnn.Graph, p, q []int) gnn.Graph {
	out := gnn.Graph{Globals: g.Globals, Nodes: make([][]float64, len(g.Nodes))}
	for i, row := range g.Nodes {
		out.Nodes[p[i]] = row
	}
	e := len(g.Senders)
	out.Senders, out.Receivers = make([]int, e), make([]int, e)
	if g.Edges != nil {
		out.Edges = make([][]float64, e)
	}
	for k := range e {
		out.Senders[q[k]] = p[g.Senders[k]]
		out.Receivers[q[k]] = p[g.Receivers[k]]
		if g.Edges != nil {
			out.Edges[q[k]] = g.Edges[k]
		}
	}
	return out
}

// maxDiff returns the largest |a−b| over matching rows.
func maxDiff(t *testing.T, a, b [][]float64) float64 {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d rows against %d", len(a), len(b))
	}
	d := 0.0
	for i := range a {
		if len(a[i]) != len(b[i]) {
			t.Fatalf("row %d: %d values against %d", i, len(a[i]), len(b[i]))
		}
		for k := range a[i] {
			d = max(d, math.Abs(a[i][k]-b[i][k]))
		}
	}
	return d
}

// simulate makes the n-body data the tests use: law p in dim dimensions,
// sims systems of steps recorded states one leapfrog step apart (0.01 for
// springs, 0.001 for the other laws), positions and velocities N(0, 1),
// masses exp(spread·N(0, 1)), charges ±1, nothing held out.
func simulate(t testing.TB, p gnn.Potential, dim, particles, sims, steps int, seed uint64, spread float64) *gnn.Dataset {
	t.Helper()
	sys := p.System(dim, particles)
	sys.Initial = gnn.RandomInitial(spread)
	dt := 0.001
	if p == gnn.Spring {
		dt = 0.01
	}
	d, err := gnn.Simulate(sys, gnn.DataConfig{Sims: sims, Steps: steps, DT: dt, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return d
}
