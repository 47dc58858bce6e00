package rng

import "testing"

func TestSameSeedSameStream(t *testing.T) {
	a, b := Stream(7, 3), Stream(7, 3)
	c := Stream(7, 4)
	same := 0
	for i := 0; i < 100; i++ {
		x, y, z := a.Uint64(), b.Uint64(), c.Uint64()
		if x != y {
			t.Fatalf("draw %d: same seed and stream gave %d and %d", i, x, y)
		}
		if x == z {
			same++
		}
	}
	if same > 0 {
		t.Fatalf("streams 3 and 4 of one seed agreed on %d of 100 draws", same)
	}
}
