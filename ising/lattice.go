package ising

import (
	"math"
	"sync"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/spin"
)

// Lattice is the nearest-neighbour Ising model on a periodic hypercubic
// lattice of L^d sites,
//
//	E(s) = −J Σ_⟨ij⟩ s_i s_j − h Σ_i s_i,
//
// the first sum over the d·N bonds (each site to its +1 neighbour along
// every axis, with wrap-around). Site (x_0, …, x_{d−1}) has index
// Σ_a x_a L^a, so in 2D site (x, y) is x + L·y. On L = 2 the +1 and −1
// neighbours coincide and that pair is joined by two bonds.
type Lattice struct {
	d, l, n int
	j, h    float64
	stride  []int

	nbrOnce sync.Once
	nbr     []int32 // 2d neighbours per site: +e_0, −e_0, +e_1, −e_1, …

	graphOnce sync.Once
	graph     *spin.Graph
	graphErr  error
}

// maxSites bounds L^d so that site indices fit in int32.
const maxSites = 1 << 30

// NewLattice returns the model on the periodic L^d lattice with coupling J
// and field h. It returns an error for d < 1, L < 2, L^d above 2^30 sites,
// a NaN or infinite J or h, or J and h so large that energies overflow.
func NewLattice(d, L int, J, h float64) (*Lattice, error) {
	switch {
	case d < 1:
		return nil, fail.Errorf(fail.ErrInput, "ising", "dimension d must be ≥ 1, got %d", d)
	case d > 30:
		// L ≥ 2, so d > 30 means more than 2^30 sites.
		return nil, fail.Errorf(fail.ErrInput, "ising", "dimension d = %d gives more than the 2^30 sites supported", d)
	case L < 2:
		return nil, fail.Errorf(fail.ErrInput, "ising", "side L must be ≥ 2, got %d", L)
	case math.IsNaN(J) || math.IsInf(J, 0):
		return nil, fail.Errorf(fail.ErrInput, "ising", "coupling J is %v", J)
	case math.IsNaN(h) || math.IsInf(h, 0):
		return nil, fail.Errorf(fail.ErrInput, "ising", "field h is %v", h)
	}
	n := 1
	stride := make([]int, d)
	for a := range d {
		stride[a] = n
		if n > maxSites/L {
			return nil, fail.Errorf(fail.ErrInput, "ising", "%d^%d sites is more than the 2^30 supported", L, d)
		}
		n *= L
	}
	// |E| ≤ d·N·|J| + N·|h| must be a finite float64, or energies and
	// their differences come out as Inf or NaN.
	if e := float64(d*n)*math.Abs(J) + float64(n)*math.Abs(h); math.IsInf(e, 0) {
		return nil, fail.Errorf(fail.ErrInput, "ising", "J = %v and h = %v make energies of %d sites overflow float64", J, h, n)
	}
	return &Lattice{d: d, l: L, n: n, j: J, h: h, stride: stride}, nil
}

// N returns the number of sites, L^d.
func (m *Lattice) N() int { return m.n }

func (m *Lattice) check() error {
	if m == nil || m.n == 0 {
		return fail.Errorf(fail.ErrZeroValue, "ising", "nil or zero Lattice (make one with NewLattice)")
	}
	return nil
}

// D returns the dimension d.
func (m *Lattice) D() int { return m.d }

// L returns the side L.
func (m *Lattice) L() int { return m.l }

// J returns the coupling.
func (m *Lattice) J() float64 { return m.j }

// H returns the field.
func (m *Lattice) H() float64 { return m.h }

// neighbours returns the table of the 2d neighbours of every site, built on
// first use.
func (m *Lattice) neighbours() []int32 {
	m.nbrOnce.Do(func() {
		d2 := 2 * m.d
		m.nbr = make([]int32, m.n*d2)
		for i := range m.n {
			for a := range m.d {
				st := m.stride[a]
				x := (i / st) % m.l
				up, dn := i+st, i-st
				if x == m.l-1 {
					up = i - (m.l-1)*st
				}
				if x == 0 {
					dn = i + (m.l-1)*st
				}
				m.nbr[i*d2+2*a] = int32(up)
				m.nbr[i*d2+2*a+1] = int32(dn)
			}
		}
	})
	return m.nbr
}

// Energy returns E(s). It returns an error if s is not a state of the
// model (length N, entries ±1) or the Lattice was not made by NewLattice.
func (m *Lattice) Energy(s []int8) (float64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	if err := checkState(s, m.n); err != nil {
		return 0, err
	}
	return m.energy(s), nil
}

func (m *Lattice) energy(s []int8) float64 {
	nb := m.neighbours()
	d2 := 2 * m.d
	var bonds, mag int
	for i, si := range s {
		c := 0
		for a := range m.d {
			c += int(s[nb[i*d2+2*a]])
		}
		bonds += int(si) * c
		mag += int(si)
	}
	return -m.j*float64(bonds) - m.h*float64(mag)
}

// Graph returns the same model as a Graph: one edge of weight J per bond
// and field h on every site. Samplers on the two give the same
// distribution; the Lattice's own kernels are faster.
func (m *Lattice) Graph() (*Graph, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	g, err := m.spinGraph()
	if err != nil {
		return nil, err
	}
	return &Graph{g: g}, nil
}

func (m *Lattice) spinGraph() (*spin.Graph, error) {
	m.graphOnce.Do(func() {
		nb := m.neighbours()
		d2 := 2 * m.d
		edges := make([]spin.Edge, 0, m.n*m.d)
		for i := range m.n {
			for a := range m.d {
				edges = append(edges, spin.Edge{I: i, J: int(nb[i*d2+2*a]), W: m.j})
			}
		}
		h := make([]float64, m.n)
		for i := range h {
			h[i] = m.h
		}
		m.graph, m.graphErr = spin.NewGraph(m.n, edges, h)
		if m.graphErr != nil {
			m.graphErr = inputErr(m.graphErr)
		}
	})
	return m.graph, m.graphErr
}

// colour returns the checkerboard colour (Σ_a x_a mod 2) of site i.
func (m *Lattice) colour(i int) int {
	c := 0
	for a := range m.d {
		c += (i / m.stride[a]) % m.l
	}
	return c & 1
}
