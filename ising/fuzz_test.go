package ising_test

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/physbias/physbias/ising"
)

// FuzzNewGraph feeds arbitrary edge lists, fields and temperatures to
// NewGraph and NewChain: they must return an error or a chain that sweeps
// without panicking and keeps every spin ±1.
func FuzzNewGraph(f *testing.F) {
	f.Add(3, []byte{0, 1, 0, 0, 0, 0, 0, 0, 240, 63}, 1.0, uint8(0))
	f.Add(2, []byte{1, 1, 0, 0, 0, 0, 0, 0, 240, 63}, 0.5, uint8(3))
	f.Fuzz(func(t *testing.T, n int, raw []byte, T float64, alg uint8) {
		if n > 64 {
			n = 64
		}
		var edges []ising.Edge
		for len(raw) >= 10 {
			w := math.Float64frombits(binary.LittleEndian.Uint64(raw[2:10]))
			edges = append(edges, ising.Edge{I: int(raw[0]) % 70, J: int(raw[1]) % 70, W: w})
			raw = raw[10:]
		}
		g, err := ising.NewGraph(n, edges, nil)
		if err != nil {
			return
		}
		c, err := ising.NewChain(g, ising.Config{T: T, Algorithm: ising.Algorithm(alg % 7), Seed: 1, Hot: true})
		if err != nil {
			return
		}
		if err := c.Sweep(3); err != nil {
			t.Fatal(err)
		}
		for i, v := range c.Spins(nil) {
			if v != 1 && v != -1 {
				t.Fatalf("spin %d is %d", i, v)
			}
		}
	})
}
