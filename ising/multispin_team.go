package ising

import (
	"runtime"
	"sync/atomic"
	"time"
)

// msTeam shares the stripes of a half-sweep between the calling goroutine
// and helper goroutines that stay awake (spinning) between half-sweeps.
// The stripes are cut into one block per participant, and participant p
// takes block p first, so each thread keeps updating the same rows and
// they stay in its core's cache (like OpenMP's static schedule): with
// goroutines started afresh for every half-sweep (about 150 µs at L =
// 1024) and stripes handed out dynamically, the lattice moved between the
// two cores' caches every half-sweep and 2 threads ran no faster than one.
// A helper that finds no work for idleSpin exits; the next half-sweep
// starts a new one. Correctness never waits on a helper: the caller claims
// any block still unclaimed and alone can finish the job.
type msTeam struct {
	gen     atomic.Uint64     // generation of the current half-sweep
	colour  atomic.Int32      // its colour
	blocks  atomic.Int32      // blocks of the current generation (≤ 64)
	claims  [64]atomic.Uint64 // per block: the last generation that claimed it
	done    atomic.Int64      // blocks finished in the current generation
	helpers atomic.Int32      // helpers alive
}

// idleSpin is how long a helper spins for new work before it exits.
const idleSpin = 2 * time.Millisecond

// run updates all stripes of colour t with up to extra helpers.
func (tm *msTeam) run(ms *multiSpin, t, extra int) {
	blocks := min(extra+1, len(tm.claims))
	gen := tm.gen.Load() + 1
	tm.blocks.Store(int32(blocks))
	tm.colour.Store(int32(t))
	tm.done.Store(0)
	tm.gen.Store(gen) // publish
	for n := tm.helpers.Load(); n < int32(extra); n++ {
		tm.helpers.Add(1)
		go tm.help(ms, int(n)+1)
	}
	tm.work(ms, gen, 0, blocks)
	for spins := 0; tm.done.Load() < int64(blocks); spins++ {
		if spins&63 == 63 {
			runtime.Gosched()
		}
	}
}

// work updates block first of generation gen, then any block still
// unclaimed, each claimed by a compare-and-swap.
func (tm *msTeam) work(ms *multiSpin, gen uint64, first, blocks int) {
	t := int(tm.colour.Load())
	for i := range blocks {
		b := (first + i) % blocks
		c := tm.claims[b].Load()
		if c >= gen || !tm.claims[b].CompareAndSwap(c, gen) {
			continue
		}
		for k := b * ms.stripes / blocks; k < (b+1)*ms.stripes/blocks; k++ {
			ms.stripe(t, k)
		}
		tm.done.Add(1)
	}
}

// help is helper p: it works on each new generation, block p first, and
// exits after idleSpin without one.
func (tm *msTeam) help(ms *multiSpin, p int) {
	defer tm.helpers.Add(-1)
	seen := tm.gen.Load() - 1
	idle := time.Now()
	for spins := 0; ; spins++ {
		if gen := tm.gen.Load(); gen != seen {
			seen = gen
			blocks := int(tm.blocks.Load())
			if p < blocks {
				tm.work(ms, gen, p, blocks)
			}
			idle = time.Now()
			continue
		}
		if spins&255 == 255 {
			if time.Since(idle) > idleSpin {
				return
			}
			runtime.Gosched()
		}
	}
}
