package train

import (
	"math"
	"runtime"
	"slices"
	"testing"
)

// TestSameSeedBitIdentical: two minibatch runs with one seed end with
// bit-identical parameters and losses, also when the second runs with
// GOMAXPROCS=1 and the first with 2; another seed ends elsewhere.
func TestSameSeedBitIdentical(t *testing.T) {
	run := func(seed uint64) ([]float64, []float64) {
		p := newLSQ(t, 100, 3, 8, 5)
		h, err := Run(p.problem(8), Adam{LR: 0.01}, Config{Steps: 200, BatchSize: 8, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return p.params(t), h.Loss
	}
	bits := func(x []float64) []uint64 {
		out := make([]uint64, len(x))
		for i, v := range x {
			out[i] = math.Float64bits(v)
		}
		return out
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	a, la := run(9)
	runtime.GOMAXPROCS(1)
	b, lb := run(9)
	runtime.GOMAXPROCS(2)
	c, _ := run(10)
	if !slices.Equal(bits(a), bits(b)) || !slices.Equal(bits(la), bits(lb)) {
		t.Errorf("same seed, different results: %v vs %v", a, b)
	}
	if slices.Equal(bits(a), bits(c)) {
		t.Errorf("seeds 9 and 10 gave identical parameters %v", a)
	}
}

// TestMinibatchConverges: minibatch Adam gets close to the full-data
// optimum. With batch 8 of 100 the gradient noise at LR 1e-3 keeps the
// parameters within about 1e-2 of it (noise σ 0.1 in y).
func TestMinibatchConverges(t *testing.T) {
	p := newLSQ(t, 100, 3, 8, 6)
	if _, err := Run(p.problem(8), Adam{LR: 0.02}, Config{Steps: 1500, BatchSize: 8, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(p.problem(8), Adam{LR: 1e-3}, Config{Steps: 1500, BatchSize: 8, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	p.checkParams(t, 2e-2)
}

// TestRunFeedEpochs: through Run, Feed gets batches of exactly BatchSize
// indices, and each epoch (N consecutive indices) covers every sample once.
func TestRunFeedEpochs(t *testing.T) {
	p := newLSQ(t, 10, 2, 4, 11)
	pr := p.problem(4)
	inner := pr.Feed
	var stream []int
	pr.Feed = func(idx []int) error {
		if len(idx) != 4 {
			t.Fatalf("Feed got %d indices, want 4", len(idx))
		}
		stream = append(stream, idx...)
		return inner(idx)
	}
	if _, err := Run(pr, Adam{}, Config{Steps: 10, BatchSize: 4, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if len(stream) != 40 {
		t.Fatalf("Feed saw %d indices in 10 steps, want 40", len(stream))
	}
	for e := 0; e < 4; e++ {
		ep := slices.Clone(stream[10*e : 10*e+10])
		slices.Sort(ep)
		if !slices.Equal(ep, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
			t.Errorf("epoch %d saw %v", e, ep)
		}
	}
}

// TestFullBatchFeedOnce: with BatchSize 0 Feed is called once, with 0..N−1.
func TestFullBatchFeedOnce(t *testing.T) {
	p := newLSQ(t, 12, 2, 12, 12)
	pr := p.problem(12)
	inner := pr.Feed
	calls := 0
	pr.Feed = func(idx []int) error {
		calls++
		for i, v := range idx {
			if v != i {
				t.Fatalf("full-batch Feed got %v", idx)
			}
		}
		return inner(idx)
	}
	if _, err := Run(pr, Adam{}, Config{Steps: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(pr, LBFGS{}, Config{Steps: 5}); err != nil {
		t.Fatal(err)
	}
	if calls != 2 {
		t.Errorf("Feed called %d times in two full-batch runs, want 2", calls)
	}
}
