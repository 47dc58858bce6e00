package ising

import (
	"fmt"
	"math"
	"testing"
)

// randomState returns a hot start of n spins.
func randomState(n int, seed uint64) []int8 {
	r := newWyrand(seed, 99)
	s := make([]int8, n)
	for i := range s {
		s[i] = int8(2*(r.next()>>63)) - 1
	}
	return s
}

// TestMultiSpinLayout: packing then unpacking gives the state back, and the
// energy and magnetization computed on the packed words (through the
// neighbour words and their rotations at the edges of the word grid) equal
// the direct lattice sums, for every layout family (C = 8, 16, 32, 64 and
// word rows Sk = 1 or more).
func TestMultiSpinLayout(t *testing.T) {
	for _, L := range []int{16, 32, 48, 64, 80, 128, 256, 384} {
		m, err := NewLattice(2, L, 0.8, 0.3)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := newMultiSpin(m, 2, 1)
		if err != nil {
			t.Fatal(err)
		}
		s := randomState(m.N(), uint64(L))
		ms.pack(s)
		back := make([]int8, m.N())
		ms.unpack(back)
		for i := range s {
			if s[i] != back[i] {
				t.Fatalf("L = %d: site %d packed %d, unpacked %d", L, i, s[i], back[i])
			}
		}
		e, mag := ms.energyMag()
		want := m.energy(s)
		var wantM float64
		for _, v := range s {
			wantM += float64(v)
		}
		if math.Abs(e-want) > 1e-9 || mag != wantM {
			t.Fatalf("L = %d (C = %d, Sk = %d): packed E, M = %v, %v; direct %v, %v", L, ms.C, ms.Sk, e, mag, want, wantM)
		}
	}
}

// TestMultiSpinAcceptance checks the kernel's flip probability class by
// class. A fixed random state of the 48×48 lattice (C = 8, so every kind of
// edge rotation occurs) or of the 1024×1024 lattice (C = 64, Sk = 8: the
// layout of the SIMD kernel when built with GOEXPERIMENT=simd) is packed
// again and again and colour 0 is updated once each time; for each class (k aligned neighbours, s_i), found from
// the unpacked lattice and not from the kernel's own neighbour words, the
// flip frequency must equal min(1, exp(−ΔE/T)), ΔE = 2J(2k − 4) + 2h s_i,
// within 4 binomial standard deviations (and exactly 1 where ΔE ≤ 0, 0
// for the other colour). Run for J > 0 and J < 0 at h = 0 (the fast path)
// and h ≠ 0 (the general path).
func TestMultiSpinAcceptance(t *testing.T) {
	for _, p := range []struct {
		L, reps int
		J, h, T float64
	}{{48, 400, 1, 0, 2.269}, {48, 400, -1, 0, 1.7}, {48, 400, 1, 0.4, 2.5}, {48, 400, -0.7, -0.3, 1.2},
		{1024, 3, 1, 0, 2.269}, {1024, 3, -1, 0, 1.7}} {
		t.Run(fmt.Sprintf("L=%d,J=%v,h=%v", p.L, p.J, p.h), func(t *testing.T) {
			m, _ := NewLattice(2, p.L, p.J, p.h)
			ms, err := newMultiSpin(m, p.T, 5)
			if err != nil {
				t.Fatal(err)
			}
			s := randomState(m.N(), 3)
			nb := m.neighbours()
			var tries, flips [5][2]int
			after := make([]int8, m.N())
			if p.L == 1024 {
				t.Logf("SIMD build %v, SIMD kernel in use %v", simdBuild, simdOn(ms))
			}
			for range p.reps {
				ms.pack(s)
				ms.half(0)
				ms.unpack(after)
				for i := range s {
					if m.colour(i) != 0 {
						if after[i] != s[i] {
							t.Fatal("a spin of colour 1 changed in the colour-0 half-sweep")
						}
						continue
					}
					k := 0
					for _, j := range nb[4*i : 4*i+4] {
						if s[j] == s[i] {
							k++
						}
					}
					up := int(s[i]+1) / 2
					tries[k][up]++
					if after[i] != s[i] {
						flips[k][up]++
					}
				}
			}
			for k := range 5 {
				for up := range 2 {
					n := tries[k][up]
					if n == 0 {
						continue
					}
					dE := 2*p.J*float64(2*k-4) + 2*p.h*float64(2*up-1)
					want := math.Min(1, math.Exp(-dE/p.T))
					got := float64(flips[k][up]) / float64(n)
					sd := math.Sqrt(want * (1 - want) / float64(n))
					if math.Abs(got-want) > 4*sd+1e-12 {
						t.Errorf("k = %d, s = %+d: flip frequency %.5f over %d tries, exact %.5f (%.1f sd)", k, 2*up-1, got, n, want, math.Abs(got-want)/sd)
					}
				}
			}
		})
	}
}

// TestMultiSpinMatchesCheckerboard compares the multi-spin kernel with the
// single-spin checkerboard kernel in a field (h = 0.1, T = 2.4, L = 32):
// the same Markov chain, so e, |m| and C must agree within 3 combined
// error bars.
func TestMultiSpinMatchesCheckerboard(t *testing.T) {
	m, _ := NewLattice(2, 32, 1, 0.1)
	obs := func(a Algorithm, sweeps int) Observables {
		c, err := NewChain(m, Config{T: 2.4, Algorithm: a, Seed: 17})
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.Run(500, sweeps)
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.Observables()
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	a, b := obs(MultiSpin, 40000), obs(Checkerboard, 10000)
	for _, q := range []struct {
		name string
		x, y Estimate
	}{{"e", a.Energy, b.Energy}, {"|m|", a.AbsMagnetization, b.AbsMagnetization}, {"C", a.SpecificHeat, b.SpecificHeat}} {
		sd := math.Hypot(q.x.Err, q.y.Err)
		t.Logf("%s: multi-spin %v, checkerboard %v (%.1fσ)", q.name, q.x, q.y, math.Abs(q.x.Value-q.y.Value)/sd)
		if math.Abs(q.x.Value-q.y.Value) > 3*sd {
			t.Errorf("%s: multi-spin %v, checkerboard %v", q.name, q.x, q.y)
		}
	}
}
