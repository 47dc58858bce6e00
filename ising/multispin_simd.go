//go:build goexperiment.simd && amd64

package ising

import "simd/archsimd"

// This file is the optional AVX-512 version of the multi-spin kernel, built
// with GOEXPERIMENT=simd on amd64 (Go 1.26's experimental simd package). It
// takes over the zero-field kernel on rows of a multiple of 8 words (L a
// multiple of 1024) when the CPU has AVX-512, and the plain kernel runs
// everywhere else. Eight words are updated at once; each of the eight lanes
// draws from its own xoshiro256++ stream (per stripe and lane), so the
// chain differs from the plain build's but is the same Markov chain, exact
// to 2^−64, and as deterministic under any GOMAXPROCS. Only unsigned vector
// types are used: Go 1.26's experimental logic fusion was seen to
// miscompile a neighbour expression on Int64x8.

// simdBuild reports that this binary has the SIMD kernel.
const simdBuild = true

// simdState is the per-chain state of the SIMD kernel.
type simdState struct {
	on     bool           // kernel in use for this lattice and CPU
	rng    [][4][8]uint64 // per stripe: xoshiro256++ states s0…s3 of the 8 lanes
	ta, tb [64]uint64     // per bit: all ones where pa (pb) has that bit set
}

func (ms *multiSpin) initSIMD(seed uint64) {
	ms.simd.on = archsimd.X86.AVX512() && ms.Sk%8 == 0 && ms.C == 64
	if !ms.simd.on {
		return
	}
	ms.simd.rng = make([][4][8]uint64, ms.stripes)
	for k := range ms.simd.rng {
		for lane := range 8 {
			x := splitmix(seed) ^ splitmix(uint64(k)<<8|uint64(lane)|1<<40)
			for w := range 4 {
				x = splitmix(x + uint64(w))
				ms.simd.rng[k][w][lane] = x | 1 // never the all-zero state
			}
		}
	}
}

func (ms *multiSpin) prepareSIMD() {
	for bit := range 64 {
		ms.simd.ta[bit] = -(ms.pa >> bit & 1)
		ms.simd.tb[bit] = -(ms.pb >> bit & 1)
	}
}

// stripeSIMD updates the words of colour t in stripe k with the vector
// kernel and reports whether it did (false: use the plain kernel).
func (ms *multiSpin) stripeSIMD(t, k int) bool {
	if !ms.simd.on || !ms.fast {
		return false
	}
	wy0, wy1 := k*ms.Sy/ms.stripes, (k+1)*ms.Sy/ms.stripes
	tw, ow := ms.words[t], ms.words[1-t]
	Sy, Sk := ms.Sy, ms.Sk
	st := &ms.simd.rng[k]
	s0 := archsimd.LoadUint64x8(&st[0])
	s1 := archsimd.LoadUint64x8(&st[1])
	s2 := archsimd.LoadUint64x8(&st[2])
	s3 := archsimd.LoadUint64x8(&st[3])
	zero := archsimd.BroadcastUint64x8(0)
	idxL := archsimd.LoadUint64x8(&[8]uint64{7, 8, 9, 10, 11, 12, 13, 14})
	idxR := archsimd.LoadUint64x8(&[8]uint64{1, 2, 3, 4, 5, 6, 7, 8})
	ta, tb := &ms.simd.ta, &ms.simd.tb
	ferro := ms.ferro
	for wy := wy0; wy < wy1; wy++ {
		row := tw[wy*Sk : wy*Sk+Sk]
		same := ow[wy*Sk : wy*Sk+Sk]
		// C = 64 here (A = 1): the rows above and below need no rotation.
		up := ow[((wy+Sy-1)%Sy)*Sk:][:Sk]
		dn := ow[((wy+1)%Sy)*Sk:][:Sk]
		left := (wy+t)&1 == 0
		for c0 := 0; c0 < Sk; c0 += 8 {
			s := archsimd.LoadUint64x8Slice(row[c0:])
			nu := archsimd.LoadUint64x8Slice(up[c0:])
			nd := archsimd.LoadUint64x8Slice(dn[c0:])
			nh := archsimd.LoadUint64x8Slice(same[c0:])
			var nx archsimd.Uint64x8
			if left {
				// Lanes hold words c0−1 … c0+6; word −1 is word Sk−1
				// rotated left by one bit (site k−1 of the row's wrap).
				var prev archsimd.Uint64x8
				if c0 == 0 {
					prev = archsimd.LoadUint64x8Slice(same[Sk-8:]).RotateAllLeft(1)
				} else {
					prev = archsimd.LoadUint64x8Slice(same[c0-8:])
				}
				nx = prev.ConcatPermute(nh, idxL)
			} else {
				var next archsimd.Uint64x8
				if c0+8 == Sk {
					next = archsimd.LoadUint64x8Slice(same[:8]).RotateAllRight(1)
				} else {
					next = archsimd.LoadUint64x8Slice(same[c0+8:])
				}
				nx = nh.ConcatPermute(next, idxR)
			}
			a1 := s.Xor(nu).Not()
			a2 := s.Xor(nd).Not()
			a3 := s.Xor(nh).Not()
			a4 := s.Xor(nx).Not()
			x1, y1 := a1.Xor(a2), a1.And(a2)
			x2, y2 := a3.Xor(a4), a3.And(a4)
			b0, c := x1.Xor(x2), x1.And(x2)
			b1 := y1.Xor(y2).Xor(c)
			b2 := y1.And(y2)
			var ma, mb archsimd.Uint64x8
			if ferro {
				ma, mb = b1.And(b0), b2
			} else {
				ma, mb = b0.AndNot(b1), b0.Or(b1).Or(b2).Not()
			}
			need := ma.Or(mb)
			eq, lt := need, zero
			for bit := 63; bit >= 0; bit-- {
				if bit < 56 && eq.Equal(zero).ToBits() == 0xff {
					break
				}
				// xoshiro256++ in eight lanes.
				u := s0.Add(s3).RotateAllLeft(23).Add(s0)
				x := s1.ShiftAllLeft(17)
				s2 = s2.Xor(s0)
				s3 = s3.Xor(s1)
				s1 = s1.Xor(s2)
				s0 = s0.Xor(s3)
				s2 = s2.Xor(x)
				s3 = s3.RotateAllLeft(45)
				th := ma.And(archsimd.BroadcastUint64x8(ta[bit])).Or(mb.And(archsimd.BroadcastUint64x8(tb[bit])))
				lt = lt.Or(eq.And(th).AndNot(u))
				eq = eq.AndNot(th.Xor(u))
			}
			s.Xor(need.Not().Or(lt)).StoreSlice(row[c0:])
		}
	}
	s0.Store(&st[0])
	s1.Store(&st[1])
	s2.Store(&st[2])
	s3.Store(&st[3])
	return true
}

func simdOn(ms *multiSpin) bool { return ms.simd.on }
