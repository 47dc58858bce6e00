package ising_test

import (
	"testing"

	"github.com/physbias/physbias/ising"
)

// BenchmarkMultiSpinVsC is the Go side of bench/ising_c/compare.sh: the
// multi-spin kernel at L = 1024, T = T_c from a hot start, reporting
// spin-flip attempts per wall-clock nanosecond and CPU nanoseconds (all
// threads) per attempt, the same two figures the C reference prints.
// Threads follow -cpu (GOMAXPROCS).
func BenchmarkMultiSpinVsC(b *testing.B) {
	const L = 1024
	m, err := ising.NewLattice(2, L, 1, 0)
	if err != nil {
		b.Fatal(err)
	}
	c, err := ising.NewChain(m, ising.Config{T: ising.CriticalTemperature, Algorithm: ising.MultiSpin, Seed: 1, Hot: true})
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Sweep(20); err != nil { // warm up, as the C side does
		b.Fatal(err)
	}
	cpu0 := cpuSeconds()
	b.ResetTimer()
	for b.Loop() {
		_ = c.Sweep(1)
	}
	flips := float64(b.N) * float64(m.N())
	b.ReportMetric(flips/float64(b.Elapsed().Nanoseconds()), "flips/ns")
	b.ReportMetric((cpuSeconds()-cpu0)*1e9/flips, "cpu-ns/flip")
}
