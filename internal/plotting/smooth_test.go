package plotting

import (
	"math"
	"testing"
)

// RunningMean against the mean of each window computed directly.
func TestRunningMean(t *testing.T) {
	y := []float64{3, -1, 4, 1, -5, 9, 2, 6, 5, 3.5}
	for _, w := range []int{-2, 0, 1, 2, 3, 7, 10, 25} {
		got := RunningMean(y, w)
		if len(got) != len(y) {
			t.Fatalf("w=%d: %d values for %d", w, len(got), len(y))
		}
		for i := range y {
			lo := max(0, i-max(w, 1)+1)
			want := 0.0
			for _, v := range y[lo : i+1] {
				want += v
			}
			want /= float64(i + 1 - lo)
			// A running sum of 10 values of this size: measured 0 to 1e-15.
			if math.Abs(got[i]-want) > 1e-13 {
				t.Errorf("w=%d: out[%d] = %v, want %v", w, i, got[i], want)
			}
		}
	}
	if got := RunningMean(nil, 3); len(got) != 0 {
		t.Errorf("RunningMean(nil) = %v", got)
	}
}
