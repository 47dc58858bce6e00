package train

import (
	"math/rand/v2"

	"github.com/physbias/physbias/internal/rng"
)

// batcher yields minibatch indices: consecutive chunks of a stream made of
// seeded random permutations of 0..n-1, one permutation per epoch, so that
// every batch has the same size and each sample appears once per epoch.
type batcher struct {
	perm []int
	pos  int // next position in perm
	r    *rand.Rand
}

func newBatcher(n int, seed uint64) *batcher {
	b := &batcher{perm: make([]int, n), r: rng.New(seed)}
	for i := range b.perm {
		b.perm[i] = i
	}
	b.pos = n // shuffle before the first draw
	return b
}

// next fills idx with the next len(idx) indices of the stream.
func (b *batcher) next(idx []int) {
	for k := range idx {
		if b.pos == len(b.perm) {
			b.r.Shuffle(len(b.perm), func(i, j int) { b.perm[i], b.perm[j] = b.perm[j], b.perm[i] })
			b.pos = 0
		}
		idx[k] = b.perm[b.pos]
		b.pos++
	}
}
