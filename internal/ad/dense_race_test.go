//go:build race

package ad

// denseRace: the race detector is on; sync.Pool then drops items at random,
// so allocation counts are not meaningful.
const denseRace = true
