//go:build amd64 && !purego

package ising

import "github.com/physbias/physbias/internal/cpufeat"

// acceptPairs is acceptRowGo's loop over pairs of words in assembly
// (multispin_amd64.s): it updates row[0:2·pairs] from ma, mb and the
// per-bit threshold masks tab, drawing from the wyrand state st, and
// returns the state after the last draw.
//
//go:noescape
func acceptPairs(row, ma, mb *uint64, pairs int, tab *[64][2]uint64, st uint64) uint64

// acceptPairsBMI is acceptPairs with BMI1's ANDN and BMI2's MULX, for CPUs
// that have them (haveBMI): the same draws and flips.
//
//go:noescape
func acceptPairsBMI(row, ma, mb *uint64, pairs int, tab *[64][2]uint64, st uint64) uint64

// useBMI: acceptRow runs acceptPairsBMI (the CPU has BMI1 and BMI2).
var useBMI = cpufeat.BMI

// acceptRow is acceptRowGo with the pairs of words done in assembly (with
// BMI1/BMI2 where the CPU has them): the same draws in the same order, so
// the same flips bit for bit.
func acceptRow(row, ma, mb []uint64, pa, pb uint64, tab *[64][2]uint64, r *wyrand) {
	n := len(row)
	ma, mb = ma[:n], mb[:n]
	if n < 2 {
		acceptRowGo(row, ma, mb, pa, pb, tab, r)
		return
	}
	p := n / 2
	if useBMI {
		r.s = acceptPairsBMI(&row[0], &ma[0], &mb[0], p, tab, r.s)
	} else {
		r.s = acceptPairs(&row[0], &ma[0], &mb[0], p, tab, r.s)
	}
	if n > 2*p {
		acceptRowGo(row[2*p:], ma[2*p:], mb[2*p:], pa, pb, tab, r)
	}
}
