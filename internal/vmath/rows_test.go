package vmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// rowsData returns rows×m values of mixed magnitudes, with signed zeros,
// infinities and NaN sprinkled in.
func rowsData(r *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Ldexp(r.NormFloat64(), r.IntN(80)-40)
		switch r.IntN(61) {
		case 0:
			x[i] = math.Copysign(0, -1)
		case 1:
			x[i] = 0
		case 2:
			x[i] = math.Inf(1 - 2*r.IntN(2))
		case 3:
			x[i] = math.NaN()
		}
	}
	return x
}

func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (a != a && b != b)
}

// TestAddRowsBitForBit: AddRows is the plain loop y[i·m+j] += b[j], bit for
// bit, for every width through the 16-, 4- and 1-column paths, and leaves
// a partial last row alone.
func TestAddRowsBitForBit(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for m := 1; m <= 70; m++ {
		for _, rows := range []int{0, 1, 2, 7} {
			b := rowsData(r, m)
			y := rowsData(r, rows*m+m/2) // a partial row at the end
			want := append([]float64(nil), y...)
			for i := 0; i < rows; i++ {
				for j, v := range b {
					want[i*m+j] += v
				}
			}
			AddRows(y, b)
			for i := range y {
				if !sameBits(y[i], want[i]) {
					t.Fatalf("m=%d rows=%d: y[%d] = %v, want %v", m, rows, i, y[i], want[i])
				}
			}
		}
	}
	AddRows(nil, nil) // no rows, no columns: nothing to do
}

// TestSumRowsBitForBit: SumRows is the plain loop (dst cleared, then
// dst[j] += x[i·m+j] row after row), bit for bit, for every width through
// the 32-, 4- and 1-column paths; a partial last row of x is ignored.
func TestSumRowsBitForBit(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for m := 1; m <= 80; m++ {
		for _, rows := range []int{0, 1, 3, 9} {
			x := rowsData(r, rows*m+m/2)
			want := make([]float64, m)
			for i := 0; i < rows; i++ {
				for j := range want {
					want[j] += x[i*m+j]
				}
			}
			dst := rowsData(r, m) // overwritten
			SumRows(dst, x)
			for j := range dst {
				if !sameBits(dst[j], want[j]) {
					t.Fatalf("m=%d rows=%d: dst[%d] = %v, want %v", m, rows, j, dst[j], want[j])
				}
			}
		}
	}
	// A column of −0 sums to +0 from the +0 start, as the loop does.
	dst := []float64{1}
	SumRows(dst, []float64{math.Copysign(0, -1), math.Copysign(0, -1)})
	if math.Float64bits(dst[0]) != 0 {
		t.Errorf("sum of −0s = %v (bits %x), want +0", dst[0], math.Float64bits(dst[0]))
	}
	SumRows(nil, nil)
}
