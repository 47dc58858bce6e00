//go:build !race

package ad

// denseRace: the race detector is off.
const denseRace = false
