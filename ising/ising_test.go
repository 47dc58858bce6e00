package ising_test

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/spin"
	"github.com/physbias/physbias/ising"
)

func lattice(t testing.TB, d, L int, J, h float64) *ising.Lattice {
	t.Helper()
	m, err := ising.NewLattice(d, L, J, h)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// run samples m with cfg for sweeps after burn and returns the
// observables, failing the test on an error.
func run(t testing.TB, m ising.Model, cfg ising.Config, burn, sweeps int) ising.Observables {
	t.Helper()
	_, o := runSeries(t, m, cfg, burn, sweeps)
	return o
}

// TestOnsagerL64 runs every sampler on the 64×64 lattice at T = 1.5, 2.0
// and 3.0 and compares the energy per spin (and |m| below T_c) with
// Onsager's infinite-lattice values. Tolerances: within 3 jackknife error
// bars and within 1%, as the issue asks. Finite-size corrections at L = 64
// are exponentially small there (correlation lengths of at most a few
// sites), below 1e-5; the error bars are 1e-4 to 1e-3. A ±1 in a
// threshold of the acceptance tables shifts e by more than 1% at T = 3.
func TestOnsagerL64(t *testing.T) {
	type plan struct {
		alg    ising.Algorithm
		sweeps int
	}
	plans := []plan{
		{ising.Metropolis, 2500},
		{ising.Checkerboard, 2500},
		{ising.HeatBath, 2500},
		{ising.Wolff, 1000},
		{ising.SwendsenWang, 1000},
		{ising.MultiSpin, 20000},
	}
	m := lattice(t, 2, 64, 1, 0)
	for _, T := range []float64{1.5, 2.0, 3.0} {
		for _, p := range plans {
			t.Run(fmt.Sprintf("T=%.1f/%v", T, p.alg), func(t *testing.T) {
				t.Parallel()
				o := run(t, m, ising.Config{T: T, Algorithm: p.alg, Seed: 42}, 300, p.sweeps)
				check := func(name string, got ising.Estimate, want float64) {
					dev := math.Abs(got.Value - want)
					t.Logf("T = %.1f %-12v %-3s %v, exact %.6f, %.2fσ, %.3f%%", T, p.alg, name, got, want, dev/got.Err, 100*dev/math.Abs(want))
					if dev > 3*got.Err || dev > 0.01*math.Abs(want) {
						t.Errorf("%s = %v, Onsager %.6f: off by %.2f error bars, %.3f%%", name, got, want, dev/got.Err, 100*dev/math.Abs(want))
					}
				}
				check("e", o.Energy, ising.OnsagerEnergy(T))
				if T < ising.CriticalTemperature {
					check("|m|", o.AbsMagnetization, ising.OnsagerMagnetization(T))
				}
			})
		}
	}
}

// exact holds the exact per-spin observables of a small model, by
// enumeration of its 2^N states (the same definitions as Observables).
type exact struct{ e, am, chi, c, u float64 }

func exactObservables(t *testing.T, g *ising.Graph, T float64) exact {
	t.Helper()
	sg, err := spin.NewGraph(g.N(), g.Edges(), fields(g))
	if err != nil {
		t.Fatal(err)
	}
	p, err := spin.Boltzmann(sg, T)
	if err != nil {
		t.Fatal(err)
	}
	n := float64(g.N())
	s := make([]int8, g.N())
	var e, e2, am, m2, m4 float64
	for k, pk := range p {
		spin.StateOf(k, s)
		ek, _ := g.Energy(s)
		ek /= n
		var mk float64
		for _, v := range s {
			mk += float64(v)
		}
		mk /= n
		e += pk * ek
		e2 += pk * ek * ek
		am += pk * math.Abs(mk)
		m2 += pk * mk * mk
		m4 += pk * mk * mk * mk * mk
	}
	return exact{e, am, n * (m2 - am*am) / T, n * (e2 - e*e) / (T * T), 1 - m4/(3*m2*m2)}
}

func fields(g *ising.Graph) []float64 {
	h := make([]float64, g.N())
	for i := range h {
		h[i] = g.Field(i)
	}
	return h
}

// TestSmallLatticesExact compares every lattice sampler with exact
// enumeration on the 4×4 torus in a field (h = 0.3, T = 2.5) and the
// 2×2×2×2 hypercube (d = 4; on L = 2 each neighbour pair has two bonds),
// and the 1D ring of 12 (antiferromagnetic J = −1, h = 0.5): e, |m|, χ, C
// and Binder's U. Tolerance: 4 jackknife error bars (75 comparisons; a 4σ
// miss by chance has probability 6e-5 each).
func TestSmallLatticesExact(t *testing.T) {
	cases := []struct {
		d, L  int
		J, h  float64
		T     float64
		check bool // Checkerboard applies (even L)
	}{
		{2, 4, 1, 0.3, 2.5, true},
		{4, 2, 1, 0.2, 5, true},
		{1, 12, -1, 0.5, 1.5, true},
	}
	for _, c := range cases {
		m := lattice(t, c.d, c.L, c.J, c.h)
		g, err := m.Graph()
		if err != nil {
			t.Fatal(err)
		}
		ex := exactObservables(t, g, c.T)
		algs := []ising.Algorithm{ising.Metropolis, ising.HeatBath, ising.Wolff, ising.SwendsenWang}
		if c.check {
			algs = append(algs, ising.Checkerboard)
		}
		for _, a := range algs {
			o := run(t, m, ising.Config{T: c.T, Algorithm: a, Seed: 3, Hot: true}, 200, 40000)
			for _, q := range []struct {
				name string
				got  ising.Estimate
				want float64
			}{{"e", o.Energy, ex.e}, {"|m|", o.AbsMagnetization, ex.am}, {"χ", o.Susceptibility, ex.chi},
				{"C", o.SpecificHeat, ex.c}, {"U", o.Binder, ex.u}} {
				dev := math.Abs(q.got.Value - q.want)
				if dev > 4*q.got.Err {
					t.Errorf("d=%d L=%d %v: %s = %v, exact %.6f (%.1fσ)", c.d, c.L, a, q.name, q.got, q.want, dev/q.got.Err)
				}
			}
		}
	}
}

// frustrated returns an 8-site graph with mixed-sign couplings and fields.
func frustrated(t *testing.T) *ising.Graph {
	t.Helper()
	r := rng.New(11)
	const n = 8
	var edges []ising.Edge
	for i := range n {
		edges = append(edges, ising.Edge{I: i, J: (i + 1) % n, W: 2*r.Float64() - 0.7})
	}
	edges = append(edges, ising.Edge{I: 0, J: 4, W: -0.8}, ising.Edge{I: 2, J: 6, W: 0.9}, ising.Edge{I: 5, J: 1, W: 0.5})
	h := make([]float64, n)
	for i := range h {
		h[i] = 0.6 * (2*r.Float64() - 1)
	}
	g, err := ising.NewGraph(n, edges, h)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestGraphSamplersMatchBoltzmann: on a frustrated 8-spin graph with
// fields, the histogram of states of each sampler is within total-variation
// distance 0.01 of the exact Boltzmann distribution (the bound; the
// histogram's own noise is about 0.003–0.005 at these lengths).
func TestGraphSamplersMatchBoltzmann(t *testing.T) {
	g := frustrated(t)
	const T = 1.3
	sg, _ := spin.NewGraph(g.N(), g.Edges(), fields(g))
	p, err := spin.Boltzmann(sg, T)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []ising.Algorithm{ising.Metropolis, ising.HeatBath, ising.Wolff, ising.SwendsenWang} {
		c, err := ising.NewChain(g, ising.Config{T: T, Algorithm: a, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		sweeps := 1_000_000
		if err := c.Sweep(1000); err != nil {
			t.Fatal(err)
		}
		counts := make([]int, len(p))
		var st []int8
		for range sweeps {
			_ = c.Sweep(1)
			st = c.Spins(st)
			counts[spin.StateIndex(st)]++
		}
		var d float64
		for k := range p {
			d += math.Abs(float64(counts[k])/float64(sweeps)-p[k]) / 2
		}
		t.Logf("%v: TV distance %.4f", a, d)
		if d >= 0.01 {
			t.Errorf("%v: TV distance %.4f ≥ 0.01", a, d)
		}
	}
}

// TestWolffBeatsMetropolisAtTc measures τ_int of |m| (in sweeps) at T_c on
// the 32×32 lattice for Metropolis (checkerboard order) and Wolff. Known
// dynamic exponents: z ≈ 2.17 for Metropolis, ≈ 0.25 for Wolff, so at
// L = 32 the ratio is tens; the test asks for a factor 5.
func TestWolffBeatsMetropolisAtTc(t *testing.T) {
	m := lattice(t, 2, 32, 1, 0)
	Tc := ising.CriticalTemperature
	om := run(t, m, ising.Config{T: Tc, Algorithm: ising.Checkerboard, Seed: 5}, 2000, 20000)
	ow := run(t, m, ising.Config{T: Tc, Algorithm: ising.Wolff, Seed: 5}, 200, 4000)
	t.Logf("τ_int(|m|) at T_c, L = 32: Metropolis %.1f sweeps, Wolff %.2f sweeps; τ_int(e): %.1f, %.2f",
		om.AbsMagnetization.Tau, ow.AbsMagnetization.Tau, om.Energy.Tau, ow.Energy.Tau)
	if ow.AbsMagnetization.Tau*5 > om.AbsMagnetization.Tau {
		t.Errorf("Wolff τ %.2f not 5× below Metropolis τ %.2f", ow.AbsMagnetization.Tau, om.AbsMagnetization.Tau)
	}
}

// TestMultiSpinDeterministic: the multi-spin kernel gives identical
// lattices under GOMAXPROCS 1 and 2 (L = 1024 is above the size at which it
// spreads over goroutines), and a different seed gives another lattice.
func TestMultiSpinDeterministic(t *testing.T) {
	m := lattice(t, 2, 1024, 1, 0)
	final := func(procs int, seed uint64) []int8 {
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		c, err := ising.NewChain(m, ising.Config{T: ising.CriticalTemperature, Algorithm: ising.MultiSpin, Seed: seed, Hot: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Sweep(20); err != nil {
			t.Fatal(err)
		}
		return c.Spins(nil)
	}
	a, b := final(1, 7), final(2, 7)
	if !slices.Equal(a, b) {
		t.Fatal("GOMAXPROCS 1 and 2 gave different lattices")
	}
	if slices.Equal(a, final(2, 8)) {
		t.Fatal("seeds 7 and 8 gave the same lattice")
	}
}

func TestBadInput(t *testing.T) {
	if _, err := ising.NewLattice(2, 1, 1, 0); err == nil {
		t.Error("L = 1 accepted")
	}
	if _, err := ising.NewLattice(0, 8, 1, 0); err == nil {
		t.Error("d = 0 accepted")
	}
	if _, err := ising.NewLattice(2, 8, math.NaN(), 0); err == nil {
		t.Error("NaN J accepted")
	}
	if _, err := ising.NewLattice(2, 8, 1, math.Inf(1)); err == nil {
		t.Error("infinite h accepted")
	}
	if _, err := ising.NewLattice(40, 2, 1, 0); err == nil {
		t.Error("2^40 sites accepted")
	}
	if _, err := ising.NewLattice(2, 16, 1e308, -1e308); err == nil {
		t.Error("J = 1e308 accepted (energies overflow to NaN)")
	}
	if _, err := ising.NewGraph(3, []ising.Edge{{I: 1, J: 1, W: 1}}, nil); err == nil {
		t.Error("self-loop accepted")
	}
	if _, err := ising.NewGraph(3, []ising.Edge{{I: 0, J: 1, W: math.NaN()}}, nil); err == nil {
		t.Error("NaN coupling accepted")
	}
	if _, err := ising.NewGraph(3, []ising.Edge{{I: 0, J: 5, W: 1}}, nil); err == nil {
		t.Error("index out of range accepted")
	}
	m := lattice(t, 2, 8, 1, 0)
	for _, T := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := ising.NewChain(m, ising.Config{T: T}); err == nil {
			t.Errorf("T = %v accepted", T)
		}
	}
	if _, err := ising.NewChain(m, ising.Config{T: 1, Algorithm: ising.MultiSpin}); err == nil {
		t.Error("MultiSpin on L = 8 accepted")
	}
	if _, err := ising.NewChain(lattice(t, 3, 16, 1, 0), ising.Config{T: 1, Algorithm: ising.MultiSpin}); err == nil {
		t.Error("MultiSpin in 3D accepted")
	}
	if _, err := ising.NewChain(lattice(t, 2, 7, 1, 0), ising.Config{T: 1, Algorithm: ising.Checkerboard}); err == nil {
		t.Error("Checkerboard on odd L accepted")
	}
	g, _ := ising.NewGraph(2, []ising.Edge{{I: 0, J: 1, W: 1}}, nil)
	if _, err := ising.NewChain(g, ising.Config{T: 1, Algorithm: ising.Checkerboard}); err == nil {
		t.Error("Checkerboard on a graph accepted")
	}
	if _, err := ising.NewChain(m, ising.Config{T: 1, Algorithm: 99}); err == nil {
		t.Error("unknown algorithm accepted")
	}
	if _, err := ising.NewChain(nil, ising.Config{T: 1}); err == nil {
		t.Error("nil model accepted")
	}
	c, _ := ising.NewChain(m, ising.Config{T: 1})
	if c.SetSpins(make([]int8, 64)) == nil || c.SetSpins(make([]int8, 3)) == nil {
		t.Error("bad state accepted")
	}
	if c.SetTemperature(0) == nil || c.Sweep(-1) == nil {
		t.Error("T = 0 or negative sweeps accepted")
	}
	if _, err := c.Run(0, 0); err == nil {
		t.Error("zero sweeps accepted")
	}
	if _, err := m.Energy([]int8{1}); err == nil {
		t.Error("short state accepted by Energy")
	}
	if _, err := (&ising.Series{N: 4, T: 1, E: make([]float64, 10), M: make([]float64, 10)}).Observables(); err == nil {
		t.Error("10-record series accepted")
	}
	if _, err := ising.IntegratedTime([]float64{1, 2, math.NaN(), 4, 5}); err == nil {
		t.Error("NaN series accepted")
	}
}

// TestLatticeGraphAgree: a lattice and its Graph give the same energy on
// random states, for d = 1…3 and L = 2 (double bonds), 3 and 5.
func TestLatticeGraphAgree(t *testing.T) {
	r := rng.New(2)
	for _, d := range []int{1, 2, 3} {
		for _, L := range []int{2, 3, 5} {
			m := lattice(t, d, L, 0.7, -0.3)
			g, err := m.Graph()
			if err != nil {
				t.Fatal(err)
			}
			s := make([]int8, m.N())
			for range 5 {
				for i := range s {
					s[i] = int8(2*r.IntN(2) - 1)
				}
				a, _ := m.Energy(s)
				b, _ := g.Energy(s)
				if math.Abs(a-b) > 1e-9 {
					t.Fatalf("d=%d L=%d: lattice energy %v, graph %v", d, L, a, b)
				}
			}
		}
	}
}

// TestMultiSpinL1024 checks the multi-spin kernel on the benchmark's
// lattice (L = 1024, where the GOEXPERIMENT=simd build runs its AVX-512
// kernel) against Onsager at T = 2.0: e and |m| within 3 error bars and
// 1%. 400 sweeps give error bars near 1e-4; finite-size corrections at
// L = 1024 are far smaller.
func TestMultiSpinL1024(t *testing.T) {
	m := lattice(t, 2, 1024, 1, 0)
	o := run(t, m, ising.Config{T: 2, Algorithm: ising.MultiSpin, Seed: 11}, 100, 400)
	for _, q := range []struct {
		name string
		got  ising.Estimate
		want float64
	}{{"e", o.Energy, ising.OnsagerEnergy(2)}, {"|m|", o.AbsMagnetization, ising.OnsagerMagnetization(2)}} {
		dev := math.Abs(q.got.Value - q.want)
		t.Logf("%s %v, exact %.6f (%.2fσ)", q.name, q.got, q.want, dev/q.got.Err)
		if dev > 3*q.got.Err || dev > 0.01*q.want*math.Copysign(1, q.want) {
			t.Errorf("%s = %v, Onsager %.6f", q.name, q.got, q.want)
		}
	}
}

// TestSamplersAgree3D: on the 6×6×6 lattice at T = 5 (above the 3D
// critical point T_c ≈ 4.5115) and at T = 4 (below), all five general
// samplers give the same e and |m| within 4 combined error bars of the
// Checkerboard result (no closed form exists in 3D).
func TestSamplersAgree3D(t *testing.T) {
	m := lattice(t, 3, 6, 1, 0)
	for _, T := range []float64{4, 5} {
		ref := run(t, m, ising.Config{T: T, Algorithm: ising.Checkerboard, Seed: 1}, 300, 4000)
		for _, a := range []ising.Algorithm{ising.Metropolis, ising.HeatBath, ising.Wolff, ising.SwendsenWang} {
			o := run(t, m, ising.Config{T: T, Algorithm: a, Seed: 2}, 300, 2000)
			for _, q := range []struct {
				name string
				x, y ising.Estimate
			}{{"e", o.Energy, ref.Energy}, {"|m|", o.AbsMagnetization, ref.AbsMagnetization}} {
				sd := math.Hypot(q.x.Err, q.y.Err)
				if math.Abs(q.x.Value-q.y.Value) > 4*sd {
					t.Errorf("T = %v, %v: %s = %v, checkerboard %v", T, a, q.name, q.x, q.y)
				}
			}
		}
	}
}

// TestZeroValuesNoPanic: nil and zero-value models, chains and series,
// absurd sizes and record counts give errors, not panics (or out-of-memory
// crashes).
func TestZeroValuesNoPanic(t *testing.T) {
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic: %v", r)
		}
	}()
	cfg := ising.Config{T: 1}
	for name, m := range map[string]ising.Model{
		"zero Lattice": &ising.Lattice{}, "zero Graph": &ising.Graph{},
		"nil *Lattice": (*ising.Lattice)(nil), "nil *Graph": (*ising.Graph)(nil),
	} {
		if _, err := ising.NewChain(m, cfg); err == nil {
			t.Errorf("NewChain accepted a %s", name)
		}
	}
	if _, err := (&ising.Lattice{}).Graph(); err == nil {
		t.Error("zero Lattice gave a Graph")
	}
	var g ising.Graph
	if _, err := g.Energy(nil); err == nil || g.N() != 0 || g.Edges() != nil {
		t.Error("zero Graph: Energy accepted or N, Edges not empty")
	}
	var c ising.Chain
	if c.Sweep(1) == nil || c.SetSpins(nil) == nil || c.SetTemperature(1) == nil {
		t.Error("zero Chain: Sweep, SetSpins or SetTemperature accepted")
	}
	if _, err := c.Run(0, 100); err == nil {
		t.Error("zero Chain: Run accepted")
	}
	if len(c.Spins(nil)) != 0 || !math.IsNaN(c.Energy()) {
		t.Error("zero Chain: Spins not empty or energy not NaN")
	}
	if _, err := (*ising.Series)(nil).Observables(); err == nil {
		t.Error("nil Series accepted")
	}
	if _, err := ising.NewLattice(1<<40, 2, 1, 0); err == nil {
		t.Error("d = 2^40 accepted")
	}
	ch, err := ising.NewChain(lattice(t, 1, 4, 1, 0), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ch.Run(0, ising.MaxRecords+1); err == nil {
		t.Error("more than MaxRecords sweeps accepted")
	}
}
