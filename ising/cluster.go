package ising

import (
	"math"

	"github.com/physbias/physbias/internal/spin"
)

// clusters holds the work space of the Wolff and Swendsen–Wang updates on
// a graph (a lattice uses its Graph). Bond i–j is "satisfied" when
// J_ij s_i s_j > 0 and is frozen (joins the cluster) with probability
// 1 − exp(−2|J_ij|/T), which makes both algorithms exact for couplings of
// any sign; fields enter through the acceptance of a cluster flip.
type clusters struct {
	g     *spin.Graph
	T     float64
	start []int    // CSR offsets of the bond thresholds
	pAdd  []uint64 // threshold of 1 − exp(−2|J_ij|/T) per CSR entry
	mark  []uint32 // mark[i] == gen: i is in the current cluster
	gen   uint32
	stack []int32
	list  []int32
	// Swendsen–Wang
	parent []int32
	hsum   []float64
	flip   []int8
}

func newClusters(g *spin.Graph, T float64) *clusters {
	n := g.N()
	c := &clusters{g: g, T: T, start: make([]int, n+1), mark: make([]uint32, n)}
	for i := range n {
		_, w := g.Neighbors(i)
		c.start[i+1] = c.start[i] + len(w)
		for _, wij := range w {
			c.pAdd = append(c.pAdd, threshold(-math.Expm1(-2*math.Abs(wij)/T)))
		}
	}
	return c
}

// wolff grows one cluster from a random seed site and flips it (always
// when the fields are zero, else with probability min(1, exp(−ΔE_h/T))).
// It returns the cluster size.
func (c *clusters) wolff(s []int8, r *wyrand) int {
	c.gen++
	if c.gen == 0 {
		clear(c.mark)
		c.gen = 1
	}
	i0 := int32(r.intn(len(s)))
	c.mark[i0] = c.gen
	c.stack = append(c.stack[:0], i0)
	c.list = append(c.list[:0], i0)
	var dEh float64
	for len(c.stack) > 0 {
		i := c.stack[len(c.stack)-1]
		c.stack = c.stack[:len(c.stack)-1]
		si := s[i]
		dEh += 2 * c.g.Field(int(i)) * float64(si)
		nb, w := c.g.Neighbors(int(i))
		p := c.pAdd[c.start[i]:c.start[i+1]]
		for k, j := range nb {
			if c.mark[j] == c.gen || w[k]*float64(si*s[j]) <= 0 {
				continue
			}
			if r.next() < p[k] {
				c.mark[j] = c.gen
				c.stack = append(c.stack, j)
				c.list = append(c.list, j)
			}
		}
	}
	if dEh <= 0 || r.next() < threshold(math.Exp(-dEh/c.T)) {
		for _, i := range c.list {
			s[i] = -s[i]
		}
	}
	return len(c.list)
}

func (c *clusters) find(i int32) int32 {
	for c.parent[i] != i {
		c.parent[i] = c.parent[c.parent[i]]
		i = c.parent[i]
	}
	return i
}

// swendsenWang freezes every satisfied bond with probability
// 1 − exp(−2|J_ij|/T), then sets each cluster by heat bath between its
// current and flipped state (probability 1/2 each without fields).
func (c *clusters) swendsenWang(s []int8, r *wyrand) {
	n := len(s)
	if c.parent == nil {
		c.parent = make([]int32, n)
		c.hsum = make([]float64, n)
		c.flip = make([]int8, n)
	}
	for i := range c.parent {
		c.parent[i] = int32(i)
		c.hsum[i] = 0
		c.flip[i] = 0
	}
	for i := range n {
		nb, w := c.g.Neighbors(i)
		p := c.pAdd[c.start[i]:c.start[i+1]]
		si := s[i]
		for k, j := range nb {
			if int(j) <= i || w[k]*float64(si*s[j]) <= 0 {
				continue
			}
			if r.next() < p[k] {
				a, b := c.find(int32(i)), c.find(j)
				if a != b {
					if a < b {
						c.parent[b] = a
					} else {
						c.parent[a] = b
					}
				}
			}
		}
	}
	for i := range n {
		c.hsum[c.find(int32(i))] += 2 * c.g.Field(i) * float64(s[i])
	}
	// Roots in increasing order decide their cluster with one draw each.
	for i := range n {
		if c.parent[i] == int32(i) {
			if r.next() < threshold(spin.UpProbability(-c.hsum[i]/c.T)) {
				c.flip[i] = 1
			} else {
				c.flip[i] = -1
			}
		}
	}
	for i := range n {
		if c.flip[c.find(int32(i))] > 0 {
			s[i] = -s[i]
		}
	}
}

// latticeWolff is the Wolff update specialised to a Lattice: one coupling
// J on every bond, so one freezing threshold and no floating point in the
// cluster growth.
type latticeWolff struct {
	m     *Lattice
	nbr   []int32
	pAdd  uint64
	acc   func(sum int) bool // accept the flip of a cluster of spin sum Σ s_i
	mark  []uint32
	gen   uint32
	stack []int32
	list  []int32
}

func newLatticeWolff(m *Lattice, T float64) *latticeWolff {
	w := &latticeWolff{m: m, nbr: m.neighbours(), pAdd: threshold(-math.Expm1(-2 * math.Abs(m.j) / T)), mark: make([]uint32, m.n)}
	return w
}

// step grows one cluster and flips it (with fields, with probability
// min(1, exp(−2hΣs_i/T))). It returns the cluster size.
func (w *latticeWolff) step(s []int8, T float64, r *wyrand) int {
	w.gen++
	if w.gen == 0 {
		clear(w.mark)
		w.gen = 1
	}
	d2 := 2 * w.m.d
	anti := w.m.j < 0
	i0 := int32(r.intn(len(s)))
	w.mark[i0] = w.gen
	w.stack = append(w.stack[:0], i0)
	w.list = append(w.list[:0], i0)
	sum := 0
	if w.m.j != 0 {
		for len(w.stack) > 0 {
			i := w.stack[len(w.stack)-1]
			w.stack = w.stack[:len(w.stack)-1]
			si := s[i]
			sum += int(si)
			for _, j := range w.nbr[int(i)*d2 : int(i)*d2+d2] {
				if w.mark[j] == w.gen || (s[j] == si) == anti {
					continue
				}
				if r.next() < w.pAdd {
					w.mark[j] = w.gen
					w.stack = append(w.stack, j)
					w.list = append(w.list, j)
				}
			}
		}
	} else {
		sum = int(s[i0])
	}
	if dE := 2 * w.m.h * float64(sum); dE <= 0 || r.next() < threshold(math.Exp(-dE/T)) {
		for _, i := range w.list {
			s[i] = -s[i]
		}
	}
	return len(w.list)
}
