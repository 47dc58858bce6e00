package ising_test

import (
	"testing"

	"github.com/physbias/physbias/ising"
)

// benchSweeps reports spin-flip attempts per nanosecond (N per sweep) of
// one algorithm on the 2D L×L lattice at T_c.
func benchSweeps(b *testing.B, a ising.Algorithm, L int) {
	m, err := ising.NewLattice(2, L, 1, 0)
	if err != nil {
		b.Fatal(err)
	}
	c, err := ising.NewChain(m, ising.Config{T: ising.CriticalTemperature, Algorithm: a, Seed: 1, Hot: true})
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Sweep(ising.WolffAdapt); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		_ = c.Sweep(1)
	}
	b.ReportMetric(float64(b.N)*float64(m.N())/float64(b.Elapsed().Nanoseconds()), "flips/ns")
}

// The headline: 2D, L = 1024, T = T_c.
func BenchmarkSingleSpinCheckerboardL1024(b *testing.B) { benchSweeps(b, ising.Checkerboard, 1024) }
func BenchmarkMultiSpinL1024(b *testing.B)              { benchSweeps(b, ising.MultiSpin, 1024) }

func BenchmarkMetropolisL256(b *testing.B)   { benchSweeps(b, ising.Metropolis, 256) }
func BenchmarkHeatBathL256(b *testing.B)     { benchSweeps(b, ising.HeatBath, 256) }
func BenchmarkCheckerboardL256(b *testing.B) { benchSweeps(b, ising.Checkerboard, 256) }
func BenchmarkMultiSpinL256(b *testing.B)    { benchSweeps(b, ising.MultiSpin, 256) }
func BenchmarkWolffL256(b *testing.B)        { benchSweeps(b, ising.Wolff, 256) }
func BenchmarkSwendsenWangL256(b *testing.B) { benchSweeps(b, ising.SwendsenWang, 256) }
