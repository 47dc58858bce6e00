package spin

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Edge is one coupling J_ij = W between units I and J (I ≠ J). The order of
// I and J does not matter.
type Edge struct {
	I, J int
	W    float64
}

// Graph is a set of symmetric couplings J_ij stored sparsely (compressed
// rows: each coupling appears in the rows of both its ends) and a field h_i
// on every unit. A Graph is immutable and safe for concurrent use.
type Graph struct {
	n     int
	start []int32   // row i is nbr[start[i]:start[i+1]]
	nbr   []int32   // neighbour index
	w     []float64 // J_ij for the neighbour at the same position
	h     []float64 // fields, length n
}

// NewGraph returns the graph of n units with the given couplings and fields.
// h may be nil or empty (all fields zero) or have length n. Edges joining
// the same pair of units (in either order) are summed into one coupling.
// It returns an error for n < 1, an edge with I == J (a self-loop) or an
// index outside [0, n), a NaN or infinite weight or field, or a field slice
// of another length.
func NewGraph(n int, edges []Edge, h []float64) (*Graph, error) {
	if n < 1 {
		return nil, fmt.Errorf("spin: a graph needs at least 1 unit, got %d", n)
	}
	if n > math.MaxInt32 {
		return nil, fmt.Errorf("spin: %d units is more than the %d supported", n, math.MaxInt32)
	}
	if len(h) != 0 && len(h) != n {
		return nil, fmt.Errorf("spin: %d fields for %d units (want 0 or %d)", len(h), n, n)
	}
	g := &Graph{n: n, h: make([]float64, n)}
	for i, v := range h {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("spin: field h[%d] is %v", i, v)
		}
		g.h[i] = v
	}
	type pair struct{ a, b int32 }
	sum := make(map[pair]float64, len(edges))
	for k, e := range edges {
		switch {
		case e.I < 0 || e.I >= n || e.J < 0 || e.J >= n:
			return nil, fmt.Errorf("spin: edge %d joins %d and %d, outside [0, %d)", k, e.I, e.J, n)
		case e.I == e.J:
			return nil, fmt.Errorf("spin: edge %d is a self-loop on unit %d", k, e.I)
		case math.IsNaN(e.W) || math.IsInf(e.W, 0):
			return nil, fmt.Errorf("spin: edge %d (%d–%d) has weight %v", k, e.I, e.J, e.W)
		}
		a, b := int32(e.I), int32(e.J)
		if a > b {
			a, b = b, a
		}
		sum[pair{a, b}] += e.W
	}
	deg := make([]int32, n+1)
	for p, w := range sum {
		if math.IsInf(w, 0) {
			return nil, fmt.Errorf("spin: the couplings between %d and %d sum to %v", p.a, p.b, w)
		}
		deg[p.a+1]++
		deg[p.b+1]++
	}
	for i := 1; i <= n; i++ {
		deg[i] += deg[i-1]
	}
	g.start = deg
	g.nbr = make([]int32, 2*len(sum))
	g.w = make([]float64, 2*len(sum))
	fill := append([]int32(nil), deg[:n]...)
	for p, w := range sum {
		g.nbr[fill[p.a]], g.w[fill[p.a]] = p.b, w
		fill[p.a]++
		g.nbr[fill[p.b]], g.w[fill[p.b]] = p.a, w
		fill[p.b]++
	}
	// Sort each row by neighbour so the layout (and so the order of the
	// floating-point sums) does not depend on map iteration order.
	for i := 0; i < n; i++ {
		r := row{g.nbr[g.start[i]:g.start[i+1]], g.w[g.start[i]:g.start[i+1]]}
		sort.Sort(r)
	}
	return g, nil
}

type row struct {
	n []int32
	w []float64
}

func (r row) Len() int           { return len(r.n) }
func (r row) Less(i, j int) bool { return r.n[i] < r.n[j] }
func (r row) Swap(i, j int) {
	r.n[i], r.n[j] = r.n[j], r.n[i]
	r.w[i], r.w[j] = r.w[j], r.w[i]
}

// N returns the number of units (0 for a nil Graph).
func (g *Graph) N() int {
	if g == nil {
		return 0
	}
	return g.n
}

// check returns an error for a nil Graph or one not made by NewGraph.
func (g *Graph) check() error {
	if g == nil || g.n < 1 || len(g.start) != g.n+1 {
		return errors.New("spin: nil or empty Graph: make it with NewGraph")
	}
	return nil
}

// Field returns h_i.
func (g *Graph) Field(i int) float64 { return g.h[i] }

// Neighbors returns the neighbours of unit i and the couplings to them, in
// increasing order of neighbour. The slices belong to the graph: do not
// modify them.
func (g *Graph) Neighbors(i int) (nbr []int32, w []float64) {
	a, b := g.start[i], g.start[i+1]
	return g.nbr[a:b:b], g.w[a:b:b]
}

// Edges returns every coupling once, with I < J, in increasing order of
// (I, J); none for a nil or zero-value Graph.
func (g *Graph) Edges() []Edge {
	if g.check() != nil {
		return nil
	}
	out := make([]Edge, 0, len(g.nbr)/2)
	for i := 0; i < g.n; i++ {
		for k := g.start[i]; k < g.start[i+1]; k++ {
			if j := int(g.nbr[k]); j > i {
				out = append(out, Edge{I: i, J: j, W: g.w[k]})
			}
		}
	}
	return out
}

// LocalField returns h_i + Σ_j J_ij s_j, the field unit i feels.
func (g *Graph) LocalField(s []int8, i int) float64 {
	f := g.h[i]
	a, b := g.start[i], g.start[i+1]
	nb, w := g.nbr[a:b], g.w[a:b]
	for k, j := range nb {
		f += w[k] * float64(s[j])
	}
	return f
}

// Energy returns E(s) = −Σ_{i<j} J_ij s_i s_j − Σ_i h_i s_i.
func (g *Graph) Energy(s []int8) float64 {
	var e float64
	for i := 0; i < g.n; i++ {
		si := float64(s[i])
		var c float64
		for k := g.start[i]; k < g.start[i+1]; k++ {
			if int(g.nbr[k]) > i {
				c += g.w[k] * float64(s[g.nbr[k]])
			}
		}
		e -= si * (c + g.h[i])
	}
	return e
}

// CheckState returns an error unless s has length N and every entry is −1
// or +1.
func (g *Graph) CheckState(s []int8) error {
	if err := g.check(); err != nil {
		return err
	}
	if len(s) != g.n {
		return fmt.Errorf("spin: state has %d units, the graph %d", len(s), g.n)
	}
	for i, v := range s {
		if v != 1 && v != -1 {
			return fmt.Errorf("spin: unit %d is %d, not ±1", i, v)
		}
	}
	return nil
}

// CheckTemperature returns an error unless T is finite and positive.
func CheckTemperature(T float64) error {
	if !(T > 0) || math.IsInf(T, 0) {
		return fmt.Errorf("spin: temperature must be finite and > 0, got %v", T)
	}
	return nil
}
