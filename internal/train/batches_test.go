package train

import (
	"slices"
	"testing"
)

// TestBatcherEpochs: in the index stream, every run of n positions starting
// at a multiple of n is a permutation of 0..n−1, whatever the batch size,
// and epochs are shuffled differently.
func TestBatcherEpochs(t *testing.T) {
	for _, n := range []int{1, 2, 7, 10, 33} {
		for _, b := range []int{1, 3, 7, n} {
			if b > n {
				continue
			}
			const epochs = 6
			bt := newBatcher(n, 42)
			var stream []int
			idx := make([]int, b)
			for len(stream) < epochs*n {
				bt.next(idx)
				stream = append(stream, idx...)
			}
			for e := 0; e < epochs; e++ {
				ep := slices.Clone(stream[e*n : (e+1)*n])
				slices.Sort(ep)
				for i, v := range ep {
					if v != i {
						t.Fatalf("n=%d b=%d epoch %d: sorted indices %v are not 0..%d", n, b, e, ep, n-1)
					}
				}
			}
			if n >= 7 && slices.Equal(stream[:n], stream[n:2*n]) {
				t.Errorf("n=%d b=%d: epochs 0 and 1 in the same order", n, b)
			}
		}
	}
}

// TestBatcherSeed: the same seed gives the same stream; another differs.
func TestBatcherSeed(t *testing.T) {
	draw := func(seed uint64) []int {
		bt := newBatcher(50, seed)
		out := make([]int, 200)
		bt.next(out)
		return out
	}
	if !slices.Equal(draw(3), draw(3)) {
		t.Error("seed 3 gave two different streams")
	}
	if slices.Equal(draw(3), draw(4)) {
		t.Error("seeds 3 and 4 gave the same stream")
	}
}
