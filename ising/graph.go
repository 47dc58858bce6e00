package ising

import (
	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/spin"
)

// Edge is one coupling J_ij = W between sites I and J of a Graph.
type Edge = spin.Edge

// Graph is the Ising model on an arbitrary weighted graph,
//
//	E(s) = −Σ_{i<j} J_ij s_i s_j − Σ_i h_i s_i,
//
// the same model a Boltzmann machine samples.
type Graph struct {
	g *spin.Graph
}

// NewGraph returns the model on n sites with the given couplings and fields
// (h nil or empty for no field, else of length n). Edges joining the same
// pair (in either order) are summed. It returns an error for n < 1, a
// self-loop, an index outside [0, n), a NaN or infinite weight or field, or
// a field slice of another length.
func NewGraph(n int, edges []Edge, h []float64) (*Graph, error) {
	g, err := spin.NewGraph(n, edges, h)
	if err != nil {
		return nil, inputErr(err)
	}
	return &Graph{g: g}, nil
}

// N returns the number of sites (0 for a zero Graph).
func (m *Graph) N() int {
	if m.g == nil {
		return 0
	}
	return m.g.N()
}

// Edges returns every coupling once, with I < J, in increasing order (none
// for a zero Graph).
func (m *Graph) Edges() []Edge {
	if m.g == nil {
		return nil
	}
	return m.g.Edges()
}

// Field returns h_i. Like a slice index, it panics if i is outside [0, N).
func (m *Graph) Field(i int) float64 { return m.g.Field(i) }

func (m *Graph) check() error {
	if m == nil || m.g == nil {
		return fail.Errorf(fail.ErrZeroValue, "ising", "nil or zero Graph (make one with NewGraph)")
	}
	return nil
}

// Energy returns E(s). It returns an error if s is not a state of the
// model (length N, entries ±1) or the Graph was not made by NewGraph.
func (m *Graph) Energy(s []int8) (float64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	if err := checkState(s, m.N()); err != nil {
		return 0, err
	}
	return m.g.Energy(s), nil
}

func (m *Graph) spinGraph() (*spin.Graph, error) { return m.g, nil }
