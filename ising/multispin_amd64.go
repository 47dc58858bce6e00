//go:build amd64 && !purego

package ising

// acceptPairs is acceptRowGo's loop over pairs of words in assembly
// (multispin_amd64.s): it updates row[0:2·pairs] from ma, mb and the
// per-bit threshold masks tab, drawing from the wyrand state st, and
// returns the state after the last draw.
//
//go:noescape
func acceptPairs(row, ma, mb *uint64, pairs int, tab *[64][2]uint64, st uint64) uint64

// acceptRow is acceptRowGo with the pairs of words done in assembly: the
// same draws in the same order, so the same flips bit for bit.
func acceptRow(row, ma, mb []uint64, pa, pb uint64, tab *[64][2]uint64, r *wyrand) {
	n := len(row)
	ma, mb = ma[:n], mb[:n]
	if n < 2 {
		acceptRowGo(row, ma, mb, pa, pb, tab, r)
		return
	}
	p := n / 2
	r.s = acceptPairs(&row[0], &ma[0], &mb[0], p, tab, r.s)
	if n > 2*p {
		acceptRowGo(row[2*p:], ma[2*p:], mb[2*p:], pa, pb, tab, r)
	}
}
