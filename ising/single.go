package ising

import "math"

// tables holds the acceptance thresholds of the single-spin lattice kernels
// for one (d, J, h, T): the local sum σ = Σ_nbr s_j takes only the 4d+1
// values −2d…2d, so exp is never called in a sweep.
type tables struct {
	off    int         // 2d: index of σ is σ + off
	flip   [2][]uint64 // flip[up][σ+off]: Metropolis flip threshold, floor(p·2^64)
	always [2][]bool   // always[up][σ+off]: ΔE ≤ 0, flip without a draw
	upP    []uint64    // heat-bath threshold of s_i = +1 given σ
}

func newTables(d int, J, h, T float64) *tables {
	off := 2 * d
	tb := &tables{off: off, upP: make([]uint64, 2*off+1)}
	for up := range 2 {
		tb.flip[up] = make([]uint64, 2*off+1)
		tb.always[up] = make([]bool, 2*off+1)
		si := float64(2*up - 1)
		for k := range 2*off + 1 {
			f := J*float64(k-off) + h
			dE := 2 * si * f
			if dE <= 0 {
				tb.always[up][k] = true
				tb.flip[up][k] = ^uint64(0)
			} else {
				tb.flip[up][k] = threshold(math.Exp(-dE / T))
			}
		}
	}
	for k := range 2*off + 1 {
		f := J*float64(k-off) + h
		x := 2 * f / T
		var p float64
		if x >= 0 {
			p = 1 / (1 + math.Exp(-x))
		} else {
			e := math.Exp(x)
			p = e / (1 + e)
		}
		tb.upP[k] = threshold(p)
	}
	return tb
}

// metropolisRandom makes N Metropolis attempts at uniformly random sites.
func metropolisRandom(m *Lattice, s []int8, tb *tables, r *wyrand) {
	nb := m.neighbours()
	d2 := 2 * m.d
	n := m.n
	for range n {
		i := r.intn(n)
		sum := 0
		for _, j := range nb[i*d2 : i*d2+d2] {
			sum += int(s[j])
		}
		up := int(s[i]+1) >> 1
		k := sum + tb.off
		if tb.always[up][k] || r.next() < tb.flip[up][k] {
			s[i] = -s[i]
		}
	}
}

// metropolisOrdered makes one Metropolis attempt at every site in the
// order given.
func metropolisOrdered(m *Lattice, s []int8, order []int32, tb *tables, r *wyrand) {
	nb := m.neighbours()
	d2 := 2 * m.d
	for _, i := range order {
		sum := 0
		for _, j := range nb[int(i)*d2 : int(i)*d2+d2] {
			sum += int(s[j])
		}
		up := int(s[i]+1) >> 1
		k := sum + tb.off
		if tb.always[up][k] || r.next() < tb.flip[up][k] {
			s[i] = -s[i]
		}
	}
}

// checkerboard2D is the single-spin kernel for d = 2 and even L: one
// Metropolis attempt at every site of colour 0 ((x+y) even), then at every
// site of colour 1, neighbours found by index arithmetic (no table).
func checkerboard2D(L int, s []int8, tb *tables, r *wyrand) {
	fl0, fl1 := tb.flip[0][:9], tb.flip[1][:9]
	al0, al1 := tb.always[0][:9], tb.always[1][:9]
	for c := range 2 {
		for y := range L {
			row := s[y*L : y*L+L]
			up := s[((y+L-1)%L)*L:][:L]
			dn := s[((y+1)%L)*L:][:L]
			for x := (y + c) & 1; x < L; x += 2 {
				l, rt := x-1, x+1
				if x == 0 {
					l = L - 1
				}
				if rt == L {
					rt = 0
				}
				sum := int(row[l]) + int(row[rt]) + int(up[x]) + int(dn[x]) + 4
				if row[x] > 0 {
					if al1[sum] || r.next() < fl1[sum] {
						row[x] = -1
					}
				} else if al0[sum] || r.next() < fl0[sum] {
					row[x] = 1
				}
			}
		}
	}
}

// heatBathOrdered sets every site in the order given from its conditional
// distribution.
func heatBathOrdered(m *Lattice, s []int8, order []int32, tb *tables, r *wyrand) {
	nb := m.neighbours()
	d2 := 2 * m.d
	visit := func(i int) {
		sum := 0
		for _, j := range nb[i*d2 : i*d2+d2] {
			sum += int(s[j])
		}
		if r.next() < tb.upP[sum+tb.off] {
			s[i] = 1
		} else {
			s[i] = -1
		}
	}
	if order == nil {
		for i := range m.n {
			visit(i)
		}
		return
	}
	for _, i := range order {
		visit(int(i))
	}
}
