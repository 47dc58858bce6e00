package gnn

import (
	"math"
)

// Graph is one directed graph with features on its nodes, its edges and
// the graph as a whole. Edge k goes from node Senders[k] to node
// Receivers[k]; its message is aggregated at the receiver. A graph may have
// no edges, and even no nodes.
type Graph struct {
	// Nodes holds one row of Config.NodeIn features per node.
	Nodes [][]float64
	// Edges holds one row of Config.EdgeIn features per edge; nil when
	// EdgeIn is 0.
	Edges [][]float64
	// Senders and Receivers hold each edge's endpoints, node indices in
	// [0, len(Nodes)).
	Senders, Receivers []int
	// Globals holds Config.GlobalIn features; nil when GlobalIn is 0.
	Globals []float64
}

// NumEdges returns the number of edges, len(Senders).
func (g Graph) NumEdges() int { return len(g.Senders) }

// FullyConnected returns the senders and receivers of the complete
// directed graph on n nodes without self-loops, n(n−1) edges, ordered by
// receiver and then sender.
func FullyConnected(n int) (senders, receivers []int) {
	for i := range n {
		for j := range n {
			if i != j {
				senders = append(senders, j)
				receivers = append(receivers, i)
			}
		}
	}
	return senders, receivers
}

// check checks g against the sizes of c; i names the graph in errors.
func (g Graph) check(c Config, i int) error {
	n := len(g.Nodes)
	if len(g.Senders) != len(g.Receivers) {
		return errorf(ErrInput, "graph %d has %d senders and %d receivers", i, len(g.Senders), len(g.Receivers))
	}
	for k := range g.Senders {
		if s, r := g.Senders[k], g.Receivers[k]; s < 0 || s >= n || r < 0 || r >= n {
			return errorf(ErrInput, "graph %d: edge %d goes from node %d to node %d, outside [0, %d)", i, k, s, r, n)
		}
	}
	if err := checkRows(g.Nodes, c.NodeIn, i, "node"); err != nil {
		return err
	}
	if c.EdgeIn == 0 {
		if len(g.Edges) != 0 {
			return errorf(ErrInput, "graph %d has %d edge feature rows but the model takes none (EdgeIn 0)", i, len(g.Edges))
		}
	} else {
		if len(g.Edges) != len(g.Senders) {
			return errorf(ErrInput, "graph %d has %d edge feature rows for %d edges", i, len(g.Edges), len(g.Senders))
		}
		if err := checkRows(g.Edges, c.EdgeIn, i, "edge"); err != nil {
			return err
		}
	}
	if len(g.Globals) != c.GlobalIn {
		return errorf(ErrInput, "graph %d has %d global features, want %d", i, len(g.Globals), c.GlobalIn)
	}
	if err := checkFinite(g.Globals, i, "global", 0); err != nil {
		return err
	}
	return nil
}

func checkRows(rows [][]float64, want, i int, what string) error {
	for k, r := range rows {
		if len(r) != want {
			return errorf(ErrInput, "graph %d: %s %d has %d features, want %d", i, what, k, len(r), want)
		}
		if err := checkFinite(r, i, what, k); err != nil {
			return err
		}
	}
	return nil
}

func checkFinite(x []float64, i int, what string, k int) error {
	for j, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errorf(ErrNotFinite, "graph %d: %s %d feature %d is %v", i, what, k, j, v)
		}
	}
	return nil
}

// sameStructure reports whether a and b have the same number of nodes and
// the same senders and receivers.
func sameStructure(a, b Graph) bool {
	if len(a.Nodes) != len(b.Nodes) || len(a.Senders) != len(b.Senders) {
		return false
	}
	for k := range a.Senders {
		if a.Senders[k] != b.Senders[k] || a.Receivers[k] != b.Receivers[k] {
			return false
		}
	}
	return true
}
