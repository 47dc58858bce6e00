package ising

import "math/bits"

// acceptRowGo flips the spins of a word row given, per word, the lanes ma
// drawn against threshold pa and the lanes mb drawn against pb; all other
// lanes flip. Each lane compares a uniform 64-bit number with its
// threshold bit by bit from the top: lt marks lanes already below, eq lanes
// still equal. Words go in pairs so the two dependency chains overlap, and
// the first 8 bits are compared unconditionally (a branch on eq after every
// bit mispredicts once per word); the stream of draws is fixed by the
// state, so the result stays deterministic.
func acceptRowGo(row, ma, mb []uint64, pa, pb uint64, tab *[64][2]uint64, r *wyrand) {
	n := len(row)
	ma, mb = ma[:n], mb[:n]
	st := r.s // the generator's state in a register; written back at the end
	wk := 0
	for ; wk+1 < n; wk += 2 {
		ma0, mb0, ma1, mb1 := ma[wk], mb[wk], ma[wk+1], mb[wk+1]
		eq0, eq1 := ma0|mb0, ma1|mb1
		var lt0, lt1 uint64
		bit := 63
		for ; bit >= 56; bit-- {
			st += wyInc
			h0, l0 := bits.Mul64(st, st^wyMix)
			st += wyInc
			h1, l1 := bits.Mul64(st, st^wyMix)
			u0, u1 := h0^l0, h1^l1
			ta, tb := tab[bit][0], tab[bit][1]
			th0, th1 := ma0&ta|mb0&tb, ma1&ta|mb1&tb
			lt0 |= eq0 & th0 &^ u0
			lt1 |= eq1 & th1 &^ u1
			eq0 &^= th0 ^ u0
			eq1 &^= th1 ^ u1
		}
		for ; bit >= 0 && eq0|eq1 != 0; bit-- {
			st += wyInc
			h0, l0 := bits.Mul64(st, st^wyMix)
			st += wyInc
			h1, l1 := bits.Mul64(st, st^wyMix)
			u0, u1 := h0^l0, h1^l1
			ta, tb := tab[bit][0], tab[bit][1]
			th0, th1 := ma0&ta|mb0&tb, ma1&ta|mb1&tb
			lt0 |= eq0 & th0 &^ u0
			lt1 |= eq1 & th1 &^ u1
			eq0 &^= th0 ^ u0
			eq1 &^= th1 ^ u1
		}
		row[wk] ^= ^(ma0 | mb0) | lt0
		row[wk+1] ^= ^(ma1 | mb1) | lt1
	}
	if wk < n {
		ma0, mb0 := ma[wk], mb[wk]
		eq := ma0 | mb0
		var lt uint64
		for bit := 63; bit >= 0 && eq != 0; bit-- {
			st += wyInc
			h, l := bits.Mul64(st, st^wyMix)
			u := h ^ l
			th := ma0&-(pa>>bit&1) | mb0&-(pb>>bit&1)
			lt |= eq & th &^ u
			eq &^= th ^ u
		}
		row[wk] ^= ^(ma0 | mb0) | lt
	}
	r.s = st
}
