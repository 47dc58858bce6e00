package ising_test

import (
	"math"
	"testing"

	"github.com/physbias/physbias/ising"
)

// TestKaufmanMatchesEnumeration: the finite-lattice formula against exact
// enumeration of all 2^16 states of the 4×4 torus, below, at and above
// T_c. Tolerances: the finite-difference errors stated on KaufmanSquare.
func TestKaufmanMatchesEnumeration(t *testing.T) {
	m := lattice(t, 2, 4, 1, 0)
	g, err := m.Graph()
	if err != nil {
		t.Fatal(err)
	}
	for _, T := range []float64{0.7, 1.5, ising.CriticalTemperature, 3, 10} {
		k, err := ising.KaufmanSquare(4, T)
		if err != nil {
			t.Fatal(err)
		}
		ex := exactObservables(t, g, T)
		if math.Abs(k.Energy-ex.e) > 1e-8 || math.Abs(k.SpecificHeat-ex.c) > 1e-6 {
			t.Errorf("T = %.4f: Kaufman e = %.10f, C = %.8f; enumeration e = %.10f, C = %.8f", T, k.Energy, k.SpecificHeat, ex.e, ex.c)
		}
	}
}

// TestKaufmanLimit: on the 512×512 torus the finite-lattice values meet
// Onsager's away from T_c (finite-size corrections ~e^{−L/ξ}, nil here),
// and at T_c the energy approaches −√2 (its correction is O(1/L)).
func TestKaufmanLimit(t *testing.T) {
	for _, T := range []float64{1.5, 2.0, 3.0} {
		k, err := ising.KaufmanSquare(512, T)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(k.Energy-ising.OnsagerEnergy(T)) > 1e-8 || math.Abs(k.SpecificHeat-ising.OnsagerSpecificHeat(T)) > 1e-5 {
			t.Errorf("T = %v: Kaufman e = %.10f C = %.8f, Onsager %.10f %.8f", T, k.Energy, k.SpecificHeat, ising.OnsagerEnergy(T), ising.OnsagerSpecificHeat(T))
		}
	}
	k, _ := ising.KaufmanSquare(512, ising.CriticalTemperature)
	if math.Abs(k.Energy+math.Sqrt2) > 0.01 {
		t.Errorf("e(T_c, L = 512) = %v, want ≈ −√2", k.Energy)
	}
	if _, err := ising.KaufmanSquare(1, 2); err == nil {
		t.Error("L = 1 accepted")
	}
	if _, err := ising.KaufmanSquare(8, 0); err == nil {
		t.Error("T = 0 accepted")
	}
}

// TestSamplersAtTc: at T_c, where Onsager's infinite-lattice values do not
// apply to a finite lattice and critical slowing down is worst, the
// multi-spin kernel, Wolff and Swendsen–Wang on the 32×32 torus reproduce
// Kaufman's exact finite-lattice energy and specific heat within 3 error
// bars.
func TestSamplersAtTc(t *testing.T) {
	const L = 32
	Tc := ising.CriticalTemperature
	k, err := ising.KaufmanSquare(L, Tc)
	if err != nil {
		t.Fatal(err)
	}
	m := lattice(t, 2, L, 1, 0)
	for _, p := range []struct {
		a      ising.Algorithm
		sweeps int
	}{{ising.MultiSpin, 60000}, {ising.Wolff, 8000}, {ising.SwendsenWang, 4000}} {
		o := run(t, m, ising.Config{T: Tc, Algorithm: p.a, Seed: 4}, 1000, p.sweeps)
		for _, q := range []struct {
			name string
			got  ising.Estimate
			want float64
		}{{"e", o.Energy, k.Energy}, {"C", o.SpecificHeat, k.SpecificHeat}} {
			dev := math.Abs(q.got.Value - q.want)
			t.Logf("%v: %s %v, exact (L = %d) %.6f, %.2fσ", p.a, q.name, q.got, L, q.want, dev/q.got.Err)
			if dev > 3*q.got.Err {
				t.Errorf("%v: %s = %v, exact %.6f (%.1fσ)", p.a, q.name, q.got, q.want, dev/q.got.Err)
			}
		}
	}
}
