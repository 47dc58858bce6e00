package spin

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/physbias/physbias/internal/rng"
)

// testGraph is a frustrated 8-unit graph: a ring with mixed-sign couplings,
// two chords and random fields, so that no state dominates and the
// distribution is far from uniform.
func testGraph(t *testing.T) *Graph {
	t.Helper()
	r := rng.New(11)
	const n = 8
	var edges []Edge
	for i := range n {
		edges = append(edges, Edge{I: i, J: (i + 1) % n, W: 2*r.Float64() - 0.7})
	}
	edges = append(edges, Edge{0, 4, -0.8}, Edge{2, 6, 0.9}, Edge{5, 1, 0.5})
	h := make([]float64, n)
	for i := range h {
		h[i] = 0.6 * (2*r.Float64() - 1)
	}
	g, err := NewGraph(n, edges, h)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// tv returns the total-variation distance between the histogram of visited
// states and p.
func tv(counts []int, total int, p []float64) float64 {
	var d float64
	for k := range p {
		d += math.Abs(float64(counts[k])/float64(total) - p[k])
	}
	return d / 2
}

// TestSamplersMatchEnumeration runs both samplers on the 8-unit graph and
// compares the histogram of states (one per sweep, 3,000,000 sweeps after
// 1,000 of burn-in) with the exact Boltzmann distribution. The bound
// is TV < 0.01. The histogram's own noise gives TV ≈ 0.003 at this length
// (it fell as 1/√n: 0.0086 at 300,000 sweeps), and the test checks that the
// bound can fail: the exact distributions at T and at 1.1·T already differ
// by more than 0.01, so a sampler off by 10% in temperature fails.
func TestSamplersMatchEnumeration(t *testing.T) {
	g := testGraph(t)
	const T = 1.3
	p, err := Boltzmann(g, T)
	if err != nil {
		t.Fatal(err)
	}
	p11, err := Boltzmann(g, 1.1*T)
	if err != nil {
		t.Fatal(err)
	}
	var sens float64
	for k := range p {
		sens += math.Abs(p[k]-p11[k]) / 2
	}
	t.Logf("TV between the exact distributions at T and 1.1·T: %.4f", sens)
	if sens <= 0.01 {
		t.Fatalf("test graph too insensitive: TV(T, 1.1T) = %.4f", sens)
	}
	samplers := map[string]func(s []int8, r *rand.Rand){
		"metropolis": func(s []int8, r *rand.Rand) { MetropolisSweep(g, s, T, r) },
		"heat-bath":  func(s []int8, r *rand.Rand) { HeatBathSweep(g, s, T, r) },
	}
	for name, sweep := range samplers {
		r := rng.New(5)
		s := make([]int8, g.N())
		StateOf(0, s)
		for range 1000 {
			sweep(s, r)
		}
		const sweeps = 3_000_000
		counts := make([]int, len(p))
		for range sweeps {
			sweep(s, r)
			counts[StateIndex(s)]++
		}
		d := tv(counts, sweeps, p)
		t.Logf("%s: TV distance to the exact Boltzmann distribution %.4f", name, d)
		if d >= 0.01 {
			t.Errorf("%s: TV distance %.4f ≥ 0.01", name, d)
		}
	}
}

// TestEnergyAndLocalField checks E(s with i flipped) − E(s) = 2 s_i f_i for
// every state and unit, which ties LocalField to Energy, and E against a
// direct double sum over the edges. Both sides add the same 19 terms of
// size ≤ 1 in another order: rounding ≲ 19ε ≈ 4e-15, checked to 1e-12.
func TestEnergyAndLocalField(t *testing.T) {
	g := testGraph(t)
	s := make([]int8, g.N())
	for k := range 1 << g.N() {
		StateOf(k, s)
		e := g.Energy(s)
		var direct float64
		for _, ed := range g.Edges() {
			direct -= ed.W * float64(s[ed.I]*s[ed.J])
		}
		for i := range s {
			direct -= g.Field(i) * float64(s[i])
		}
		if math.Abs(e-direct) > 1e-12 {
			t.Fatalf("state %d: Energy %v, direct sum %v", k, e, direct)
		}
		for i := range s {
			f := g.LocalField(s, i)
			s[i] = -s[i]
			d := g.Energy(s) - e
			s[i] = -s[i]
			if math.Abs(d-2*float64(s[i])*f) > 1e-12 {
				t.Fatalf("state %d unit %d: ΔE %v, 2 s_i f_i %v", k, i, d, 2*float64(s[i])*f)
			}
		}
	}
}

func TestDuplicateEdgesAreSummed(t *testing.T) {
	g, err := NewGraph(3, []Edge{{0, 1, 1}, {1, 0, 0.5}, {2, 1, -1}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Edge{{0, 1, 1.5}, {1, 2, -1}}
	got := g.Edges()
	if len(got) != len(want) {
		t.Fatalf("edges %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("edges %v, want %v", got, want)
		}
	}
	nb, w := g.Neighbors(1)
	if len(nb) != 2 || nb[0] != 0 || nb[1] != 2 || w[0] != 1.5 || w[1] != -1 {
		t.Fatalf("row 1: %v %v", nb, w)
	}
}

func TestBadInput(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name  string
		n     int
		edges []Edge
		h     []float64
	}{
		{"no units", 0, nil, nil},
		{"self-loop", 3, []Edge{{1, 1, 1}}, nil},
		{"index too big", 3, []Edge{{0, 3, 1}}, nil},
		{"negative index", 3, []Edge{{-1, 2, 1}}, nil},
		{"NaN weight", 3, []Edge{{0, 1, nan}}, nil},
		{"Inf weight", 3, []Edge{{0, 1, math.Inf(1)}}, nil},
		{"NaN field", 2, nil, []float64{0, nan}},
		{"short fields", 3, nil, []float64{0, 1}},
		{"overflowing sum", 2, []Edge{{0, 1, math.MaxFloat64}, {1, 0, math.MaxFloat64}}, nil},
	}
	for _, c := range cases {
		if _, err := NewGraph(c.n, c.edges, c.h); err == nil || !strings.HasPrefix(err.Error(), "spin: ") {
			t.Errorf("%s: error %v, want one starting with \"spin: \"", c.name, err)
		}
	}
	for _, bad := range []*Graph{nil, {}} {
		if err := bad.CheckState(nil); err == nil || !strings.HasPrefix(err.Error(), "spin: ") {
			t.Errorf("CheckState on a %v Graph: error %v", bad, err)
		}
		if _, err := Boltzmann(bad, 1); err == nil || !strings.HasPrefix(err.Error(), "spin: ") {
			t.Errorf("Boltzmann on a %v Graph: error %v", bad, err)
		}
		if bad.N() != 0 || bad.Edges() != nil {
			t.Errorf("a %v Graph has N %d and edges %v, want 0 and none", bad, bad.N(), bad.Edges())
		}
	}
	big, err := NewGraph(25, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Boltzmann(big, 1); err == nil {
		t.Error("Boltzmann of 25 units: no error")
	}
	g, _ := NewGraph(2, []Edge{{0, 1, 1}}, nil)
	if g.CheckState([]int8{1}) == nil || g.CheckState([]int8{1, 0}) == nil || g.CheckState([]int8{1, -1}) != nil {
		t.Error("CheckState accepts a bad state or rejects a good one")
	}
	for _, T := range []float64{0, -1, nan, math.Inf(1)} {
		if CheckTemperature(T) == nil {
			t.Errorf("temperature %v accepted", T)
		}
	}
	if _, err := Boltzmann(g, 0); err == nil {
		t.Error("Boltzmann at T = 0: no error")
	}
}

func TestUpProbabilityLimits(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{{0, 0.5}, {-1000, 0}, {1000, 1}, {math.Log(3), 0.75}} {
		if got := UpProbability(c.x); math.Abs(got-c.want) > 1e-15 || math.IsNaN(got) {
			t.Errorf("UpProbability(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

func BenchmarkMetropolisSweep(b *testing.B) {
	benchSweep(b, func(g *Graph, s []int8, r *rand.Rand) { MetropolisSweep(g, s, 2, r) })
}

func BenchmarkHeatBathSweep(b *testing.B) {
	benchSweep(b, func(g *Graph, s []int8, r *rand.Rand) { HeatBathSweep(g, s, 2, r) })
}

// benchSweep sweeps a random sparse graph of 10,000 units and degree 8.
func benchSweep(b *testing.B, sweep func(*Graph, []int8, *rand.Rand)) {
	r := rng.New(1)
	const n = 10_000
	var edges []Edge
	for i := range n {
		for range 4 {
			j := r.IntN(n)
			if j != i {
				edges = append(edges, Edge{i, j, r.NormFloat64()})
			}
		}
	}
	g, err := NewGraph(n, edges, nil)
	if err != nil {
		b.Fatal(err)
	}
	s := make([]int8, n)
	StateOf(0, s)
	b.ResetTimer()
	for b.Loop() {
		sweep(g, s, r)
	}
	b.ReportMetric(float64(b.N)*n/float64(b.Elapsed().Nanoseconds()), "flips/ns")
}

// FuzzNewGraph: NewGraph never panics on any n, edge list or fields; a graph
// it accepts lists each coupling once with I < J in increasing order, and its
// Energy equals the direct sum over those couplings and fields (at most 31
// terms of size ≤ 320 added in another order: rounding ≲ 31·320·ε ≈ 2e-12,
// checked to 1e-9).
func FuzzNewGraph(f *testing.F) {
	f.Add(3, []byte{0, 1, 10, 1, 2, 250, 2, 0, 7}, []byte{1, 2, 3})
	f.Add(1, []byte{}, []byte{})
	f.Add(2, []byte{0, 0, 1}, []byte{})
	f.Add(0, []byte{}, []byte{})
	f.Add(4, []byte{0, 5, 1}, []byte{1})
	f.Fuzz(func(t *testing.T, n int, eb, hb []byte) {
		n %= 12 // NewGraph allocates n units: keep the fuzzer's n small
		var edges []Edge
		for k := 0; k+2 < len(eb) && len(edges) < 20; k += 3 {
			edges = append(edges, Edge{I: int(int8(eb[k])), J: int(int8(eb[k+1])), W: float64(int8(eb[k+2])) / 8})
		}
		var h []float64
		for _, b := range hb {
			h = append(h, float64(int8(b))/8)
		}
		g, err := NewGraph(n, edges, h)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "spin: ") {
				t.Fatalf("error %q lacks the \"spin: \" prefix", err)
			}
			return
		}
		s := make([]int8, g.N())
		StateOf(len(eb)*7919+len(hb), s)
		if err := g.CheckState(s); err != nil {
			t.Fatal(err)
		}
		direct := 0.0
		prev := Edge{I: -1}
		for _, e := range g.Edges() {
			if e.I >= e.J || e.I < prev.I || (e.I == prev.I && e.J <= prev.J) {
				t.Fatalf("Edges out of order or not I < J: %v after %v", e, prev)
			}
			prev = e
			direct -= e.W * float64(s[e.I]*s[e.J])
		}
		for i := range s {
			direct -= g.Field(i) * float64(s[i])
		}
		if d := math.Abs(g.Energy(s) - direct); d > 1e-9 {
			t.Fatalf("Energy %v, direct sum %v", g.Energy(s), direct)
		}
	})
}

// TestGraphConcurrent: a Graph is documented immutable and safe for
// concurrent use: chains on one graph, each with its own state and stream
// (rng.Stream(seed, k)), end in the same states whether they run one after
// another or at once (run with -race to check for data races as well).
func TestGraphConcurrent(t *testing.T) {
	g := testGraph(t)
	const chains, sweeps = 4, 200
	run := func(k int) []int8 {
		s := make([]int8, g.N())
		StateOf(k, s)
		r := rng.Stream(3, uint64(k))
		for range sweeps {
			MetropolisSweep(g, s, 1.5, r)
			HeatBathSweep(g, s, 1.5, r)
		}
		return s
	}
	want := make([][]int8, chains)
	for k := range want {
		want[k] = run(k)
	}
	got := make([][]int8, chains)
	var wg sync.WaitGroup
	for k := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[k] = run(k)
		}()
	}
	wg.Wait()
	for k := range want {
		if !slices.Equal(got[k], want[k]) {
			t.Errorf("chain %d: concurrent %v, sequential %v", k, got[k], want[k])
		}
	}
}
