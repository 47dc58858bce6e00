package ising

import (
	"fmt"
	"math"
	"testing"
)

// TestAcceptRowMatchesGo: acceptRow (the assembly version on amd64) makes
// the same draws and the same flips as acceptRowGo, bit for bit, on rows
// of 1 to 17 words with random masks (dense, sparse and empty lanes) at
// thresholds from 0 to all ones, including T_c's.
func TestAcceptRowMatchesGo(t *testing.T) {
	for _, bmi := range bmiVariants() {
		t.Run(fmt.Sprintf("BMI=%v", bmi), func(t *testing.T) {
			defer setBMI(setBMI(bmi))
			checkAcceptRow(t)
		})
	}
}

func checkAcceptRow(t *testing.T) {
	src := newWyrand(3, 4)
	temps := []float64{0.5, 1, CriticalTemperature, 5, math.Inf(1)}
	for _, T := range temps {
		pa, pb := threshold(math.Exp(-4/T)), threshold(math.Exp(-8/T))
		var tab [64][2]uint64
		for bit := range 64 {
			tab[bit] = [2]uint64{-(pa >> bit & 1), -(pb >> bit & 1)}
		}
		for n := 1; n <= 17; n++ {
			for rep := range 20 {
				row, ma, mb := make([]uint64, n), make([]uint64, n), make([]uint64, n)
				for i := range row {
					row[i] = src.next()
					switch rep % 3 {
					case 0: // disjoint random lanes
						ma[i] = src.next()
						mb[i] = src.next() &^ ma[i]
					case 1: // sparse
						ma[i] = src.next() & src.next() & src.next()
						mb[i] = src.next() & src.next() &^ ma[i]
					}
				}
				want := append([]uint64(nil), row...)
				r1, r2 := newWyrand(uint64(rep), uint64(n)), newWyrand(uint64(rep), uint64(n))
				acceptRowGo(want, ma, mb, pa, pb, &tab, &r1)
				acceptRow(row, ma, mb, pa, pb, &tab, &r2)
				if r1 != r2 {
					t.Fatalf("T = %v, n = %d, rep %d: generator state %x after acceptRow, %x after acceptRowGo", T, n, rep, r2.s, r1.s)
				}
				for i := range row {
					if row[i] != want[i] {
						t.Fatalf("T = %v, n = %d, rep %d: word %d is %x, acceptRowGo gives %x", T, n, rep, i, row[i], want[i])
					}
				}
			}
		}
	}
}
