package ising

import (
	"math"
	"math/bits"
	"runtime"

	"github.com/physbias/physbias/internal/fail"
)

// multiSpin is the 2D checkerboard Metropolis kernel with multi-spin
// coding: 64 spins of one checkerboard colour in each machine word.
//
// # Layout
//
// The sites of colour t ((x+y) mod 2 = t) form an L × L/2 array (y, k) with
// x = 2k + ((y+t) mod 2). It is cut into words: word (wy, wk), wy < Sy,
// wk < Sk, holds in bit a·C + c (a < A, c < C, A·C = 64) the site
// y = wy + a·Sy, k = wk + c·Sk, so A·Sy = L and C·Sk = L/2. Because every
// word is a translate of one pattern, each of a site's four neighbours
// (all of the other colour) sits at the same bit of one neighbour word —
// the word at (wy∓1, wk) for y∓1, (wy, wk) for one horizontal neighbour and
// (wy, wk∓1) for the other — except at the edges of the word grid, where a
// rotation of the word (by C bits across rows, by one bit inside each C-bit
// segment across columns) lines the neighbours up. Sy is even, so all sites
// of a word share their row parity and so the side of their second
// horizontal neighbour. Any L that is a multiple of 16 fits: C is the
// largest power of two ≤ 64 dividing L/2.
//
// # Update
//
// For a word s and its neighbour words, bit-sliced half adders count k,
// the number of aligned neighbours (0…4) of every spin at once. Flipping
// spin s_i costs ΔE = 2J(2k − 4) + 2h s_i. Spins with ΔE ≤ 0 flip; the
// others flip when a uniform 64-bit u is below floor(exp(−ΔE/T)·2^64),
// compared in all 64 lanes at once bit by bit from the top (one random
// word per bit; the loop stops when every lane is decided, after about
// seven words), which is exact to 2^−64.
//
// # Determinism
//
// The word rows are cut into a fixed number of stripes, each with its own
// wyrand stream seeded from (seed, stripe). A half-sweep updates one colour
// reading only the other, so stripes are independent and the result does
// not depend on how many goroutines run them.
type multiSpin struct {
	L, C, A, Sy, Sk int
	low, top        uint64 // bit 0 and bit C−1 of every C-bit segment
	words           [2][]uint64
	stripes         int
	rng             []wyrand
	scratch         [][]uint64 // per stripe: the masks ma, mb of one word row
	team            msTeam     // helper goroutines of the parallel half-sweeps
	simd            simdState  // the optional AVX-512 kernel (GOEXPERIMENT=simd)

	J, h, T float64
	fast    bool          // h == 0: two classes, thresholds pa (k=3 or 1) and pb (k=4 or 0)
	ferro   bool          // J > 0 (for the fast path)
	pa, pb  uint64        // thresholds of exp(−4|J|/T) and exp(−8|J|/T)
	tab     [64][2]uint64 // per bit: all ones where pa, pb have that bit set
	classes [5][2]msClass
}

// msClass is the acceptance of the spins with k aligned neighbours and
// value up (0: −1, 1: +1).
type msClass struct {
	always bool
	p      uint64
}

// parallelWords is the number of words per colour above which a
// half-sweep is spread over goroutines.
const parallelWords = 1024

func newMultiSpin(m *Lattice, T float64, seed uint64) (*multiSpin, error) {
	if m.d != 2 || m.l%16 != 0 {
		return nil, fail.Errorf(fail.ErrInput, "ising", "the multi-spin kernel needs a 2D lattice with L a multiple of 16, got d = %d, L = %d", m.d, m.l)
	}
	L := m.l
	half := L / 2
	C := 64
	for half%C != 0 {
		C /= 2
	}
	A := 64 / C
	ms := &multiSpin{L: L, C: C, A: A, Sy: L / A, Sk: half / C}
	for a := range A {
		ms.low |= 1 << (a * C)
		ms.top |= 1 << (a*C + C - 1)
	}
	nw := ms.Sy * ms.Sk
	ms.words[0] = make([]uint64, nw)
	ms.words[1] = make([]uint64, nw)
	ms.stripes = min(ms.Sy, 64)
	ms.rng = make([]wyrand, ms.stripes)
	ms.scratch = make([][]uint64, ms.stripes)
	for k := range ms.scratch {
		ms.scratch[k] = make([]uint64, 2*ms.Sk)
	}
	for k := range ms.rng {
		ms.rng[k] = newWyrand(seed, uint64(k)+1)
	}
	ms.J, ms.h = m.j, m.h
	ms.initSIMD(seed)
	ms.setTemperature(T)
	return ms, nil
}

func (ms *multiSpin) setTemperature(T float64) {
	ms.T = T
	ms.fast = ms.h == 0
	ms.ferro = ms.J > 0
	ms.pa = threshold(math.Exp(-4 * math.Abs(ms.J) / T))
	ms.pb = threshold(math.Exp(-8 * math.Abs(ms.J) / T))
	if ms.J == 0 {
		ms.pa, ms.pb = ^uint64(0), ^uint64(0)
	}
	for bit := range 64 {
		ms.tab[bit] = [2]uint64{-(ms.pa >> bit & 1), -(ms.pb >> bit & 1)}
	}
	ms.prepareSIMD()
	for k := range 5 {
		for up := range 2 {
			dE := 2*ms.J*float64(2*k-4) + 2*ms.h*float64(2*up-1)
			if dE <= 0 {
				ms.classes[k][up] = msClass{always: true}
			} else {
				ms.classes[k][up] = msClass{p: threshold(math.Exp(-dE / T))}
			}
		}
	}
}

// site returns the lattice index of bit b of word w of colour t.
func (ms *multiSpin) site(t, w, b int) int {
	wy, wk := w/ms.Sk, w%ms.Sk
	a, c := b/ms.C, b%ms.C
	y := wy + a*ms.Sy
	k := wk + c*ms.Sk
	x := 2*k + ((y + t) & 1)
	return x + ms.L*y
}

func (ms *multiSpin) pack(s []int8) {
	for t := range 2 {
		for w := range ms.words[t] {
			var v uint64
			for b := range 64 {
				if s[ms.site(t, w, b)] > 0 {
					v |= 1 << b
				}
			}
			ms.words[t][w] = v
		}
	}
}

func (ms *multiSpin) unpack(s []int8) {
	for t := range 2 {
		for w, v := range ms.words[t] {
			for b := range 64 {
				s[ms.site(t, w, b)] = int8(2*((v>>b)&1)) - 1
			}
		}
	}
}

// neighbours returns the four neighbour words of word (wy, wk) of colour
// t, aligned bit for bit with it.
func (ms *multiSpin) neighbours(t, wy, wk int) (nu, nd, nh, nx uint64) {
	ow := ms.words[1-t]
	Sy, Sk, C := ms.Sy, ms.Sk, ms.C
	base := wy * Sk
	if wy > 0 {
		nu = ow[base-Sk+wk]
	} else {
		nu = bits.RotateLeft64(ow[(Sy-1)*Sk+wk], C)
	}
	if wy < Sy-1 {
		nd = ow[base+Sk+wk]
	} else {
		nd = bits.RotateLeft64(ow[wk], -C)
	}
	nh = ow[base+wk]
	if (wy+t)&1 == 0 {
		if wk > 0 {
			nx = ow[base+wk-1]
		} else {
			src := ow[base+Sk-1]
			nx = (src<<1)&^ms.low | (src>>(C-1))&ms.low
		}
	} else {
		if wk < Sk-1 {
			nx = ow[base+wk+1]
		} else {
			src := ow[base]
			nx = (src>>1)&^ms.top | (src<<(C-1))&ms.top
		}
	}
	return
}

// sweep updates colour 0 then colour 1.
func (ms *multiSpin) sweep() {
	ms.half(0)
	ms.half(1)
}

func (ms *multiSpin) half(t int) {
	workers := runtime.GOMAXPROCS(0)
	if workers > ms.stripes {
		workers = ms.stripes
	}
	if workers < 2 || len(ms.words[t]) < parallelWords {
		for k := range ms.stripes {
			ms.stripe(t, k)
		}
		return
	}
	ms.team.run(ms, t, workers-1)
}

// stripe updates the words of colour t in stripe k.
func (ms *multiSpin) stripe(t, k int) {
	if ms.stripeSIMD(t, k) {
		return
	}
	wy0, wy1 := k*ms.Sy/ms.stripes, (k+1)*ms.Sy/ms.stripes
	r := ms.rng[k]
	tw, ow := ms.words[t], ms.words[1-t]
	Sy, Sk, C := ms.Sy, ms.Sk, ms.C
	low, top := ms.low, ms.top
	fast, ferro, pa, pb := ms.fast, ms.ferro, ms.pa, ms.pb
	ma, mb := ms.scratch[k][:Sk], ms.scratch[k][Sk:2*Sk]
	for wy := wy0; wy < wy1; wy++ {
		row := tw[wy*Sk : wy*Sk+Sk]
		same := ow[wy*Sk : wy*Sk+Sk]
		// Rows above and below; at the edges of the word grid the
		// neighbour word is rotated by C bits (a rotation by 0 elsewhere).
		var up, dn []uint64
		rotU, rotD := 0, 0
		if wy > 0 {
			up = ow[(wy-1)*Sk : wy*Sk]
		} else {
			up, rotU = ow[(Sy-1)*Sk:Sy*Sk], C
		}
		if wy < Sy-1 {
			dn = ow[(wy+1)*Sk : (wy+2)*Sk]
		} else {
			dn, rotD = ow[:Sk], -C
		}
		left := (wy+t)&1 == 0 // second horizontal neighbour at k−1 (else k+1)
		up, dn = up[:len(row)], dn[:len(row)]
		for wk, s := range row {
			nu := bits.RotateLeft64(up[wk], rotU)
			nd := bits.RotateLeft64(dn[wk], rotD)
			nh := same[wk]
			var nx uint64
			if left {
				if wk > 0 {
					nx = same[wk-1]
				} else {
					src := same[Sk-1]
					nx = (src<<1)&^low | (src>>(C-1))&low
				}
			} else {
				if wk < Sk-1 {
					nx = same[wk+1]
				} else {
					src := same[0]
					nx = (src>>1)&^top | (src<<(C-1))&top
				}
			}
			// Aligned-neighbour bits and their bit-sliced count k = b2 b1 b0.
			a1, a2, a3, a4 := ^(s ^ nu), ^(s ^ nd), ^(s ^ nh), ^(s ^ nx)
			x1, y1 := a1^a2, a1&a2
			x2, y2 := a3^a4, a3&a4
			b0, c0 := x1^x2, x1&x2
			b1 := y1 ^ y2 ^ c0
			b2 := y1 & y2 // k = 4 (then c0 = 0)
			if !fast {
				row[wk] = s ^ ms.generalFlip(s, b0, b1, b2, &r)
				continue
			}
			if ferro {
				ma[wk], mb[wk] = b1&b0, b2 // k = 3, k = 4
			} else {
				ma[wk], mb[wk] = b0&^b1, ^(b0 | b1 | b2) // k = 1, k = 0
			}
		}
		if fast {
			acceptRow(row, ma, mb, pa, pb, &ms.tab, &r)
		}
	}
	ms.rng[k] = r
}

// generalFlip returns the flip mask for any J and h: ten classes (k, s_i).
func (ms *multiSpin) generalFlip(s, b0, b1, b2 uint64, r *wyrand) uint64 {
	km := [5]uint64{^(b0 | b1 | b2), b0 &^ b1, b1 &^ b0, b1 & b0, b2}
	var flip uint64
	var masks [10]uint64
	var ps [10]uint64
	n := 0
	for k := range 5 {
		for up := range 2 {
			m := km[k] & s
			if up == 0 {
				m = km[k] &^ s
			}
			if m == 0 {
				continue
			}
			cl := ms.classes[k][up]
			if cl.always {
				flip |= m
				continue
			}
			masks[n], ps[n] = m, cl.p
			n++
		}
	}
	if n == 0 {
		return flip
	}
	var eq uint64
	for i := range n {
		eq |= masks[i]
	}
	var lt uint64
	for bit := 63; bit >= 0 && eq != 0; bit-- {
		u := r.next()
		var th uint64
		for i := range n {
			th |= masks[i] & -(ps[i] >> bit & 1)
		}
		lt |= eq & th &^ u
		eq &^= th ^ u
	}
	return flip | lt
}

// energyMag returns the total energy and magnetization.
func (ms *multiSpin) energyMag() (e, m float64) {
	ups := 0
	for t := range 2 {
		for _, v := range ms.words[t] {
			ups += bits.OnesCount64(v)
		}
	}
	n := ms.L * ms.L
	aligned := 0
	for wy := range ms.Sy {
		for wk := range ms.Sk {
			s := ms.words[0][wy*ms.Sk+wk]
			nu, nd, nh, nx := ms.neighbours(0, wy, wk)
			aligned += bits.OnesCount64(^(s ^ nu)) + bits.OnesCount64(^(s ^ nd)) +
				bits.OnesCount64(^(s ^ nh)) + bits.OnesCount64(^(s ^ nx))
		}
	}
	// 2N bonds, each seen once from its colour-0 end: Σ s_i s_j = 2·aligned − 2N.
	mag := float64(2*ups - n)
	return -ms.J*float64(2*aligned-2*n) - ms.h*mag, mag
}
