package ising

import (
	"fmt"
	"strings"

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
		return nil, fmt.Errorf("ising: %s", strings.TrimPrefix(err.Error(), "spin: "))
	}
	return &Graph{g: g}, nil
}

// N returns the number of sites.
func (m *Graph) N() int { return m.g.N() }

// Edges returns every coupling once, with I < J, in increasing order.
func (m *Graph) Edges() []Edge { return m.g.Edges() }

// Field returns h_i.
func (m *Graph) Field(i int) float64 { return m.g.Field(i) }

// Energy returns E(s). It returns an error if s is not a state of the
// model (length N, entries ±1).
func (m *Graph) Energy(s []int8) (float64, error) {
	if err := checkState(s, m.N()); err != nil {
		return 0, err
	}
	return m.g.Energy(s), nil
}

func (m *Graph) spinGraph() (*spin.Graph, error) { return m.g, nil }
