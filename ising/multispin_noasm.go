//go:build !amd64 || purego

package ising

// acceptRow is acceptRowGo on CPUs without the assembly version.
func acceptRow(row, ma, mb []uint64, pa, pb uint64, tab *[64][2]uint64, r *wyrand) {
	acceptRowGo(row, ma, mb, pa, pb, tab, r)
}
