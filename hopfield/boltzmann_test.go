package hopfield

import (
	"math"
	"testing"

	"github.com/physbias/physbias/internal/rng"
)

// spinGlass is a Sherrington–Kirkpatrick machine: all pairs coupled with
// Gaussian weights of variance 1/N, Gaussian biases of variance 0.1.
func spinGlass(t *testing.T, n int, T float64, seed uint64) *Boltzmann {
	t.Helper()
	r := rng.New(seed)
	var edges []Edge
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			edges = append(edges, Edge{I: i, J: j, W: r.NormFloat64() / math.Sqrt(float64(n))})
		}
	}
	bias := make([]float64, n)
	for i := range bias {
		bias[i] = math.Sqrt(0.1) * r.NormFloat64()
	}
	b, err := NewBoltzmann(n, edges, bias, T)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Gibbs sampling matches the exact Boltzmann distribution found by
// enumerating all 2^N states. The bound 0.01 sits above the sampling noise:
// for M independent samples E[TV] ≈ ½ Σ_k √(2 p_k(1−p_k)/(π M)) (printed
// as "noise"); heat-bath sweeps at these temperatures decorrelate in about
// one sweep, so M = 2·10^6 sweeps give TV ≈ 0.005 at N = 10.
func TestGibbsMatchesEnumeration(t *testing.T) {
	const samples = 2_000_000
	for _, c := range []struct {
		n int
		T float64
	}{{6, 0.5}, {10, 1}} {
		b := spinGlass(t, c.n, c.T, uint64(c.n))
		exact, err := b.Exact()
		if err != nil {
			t.Fatal(err)
		}
		h, err := b.Histogram(SampleConfig{Samples: samples, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		tv, _ := TotalVariation(exact, h)
		var noise float64
		for _, p := range exact {
			noise += 0.5 * math.Sqrt(2*p*(1-p)/(math.Pi*samples))
		}
		t.Logf("N=%d T=%v: TV(Gibbs, exact) = %.4f over %d states (independent-sample noise %.4f)", c.n, c.T, tv, len(exact), noise)
		if tv >= 0.01 {
			t.Errorf("N=%d T=%v: TV = %.4f, want < 0.01", c.n, c.T, tv)
		}
	}
}

// The classical network is the T → 0 Boltzmann machine: the same energy
// for every state, and at low temperature the sampler stays at a stored
// pattern it starts from.
func TestNetworkAsBoltzmann(t *testing.T) {
	pats, _ := RandomPatterns(3, 60, 2)
	net, _ := New(60)
	_ = net.StoreHebbian(pats)
	th := make([]float64, 60)
	for i := range th {
		th[i] = 0.01 * float64(i%5)
	}
	_ = net.SetThresholds(th)
	b, err := net.Boltzmann(0.05)
	if err != nil {
		t.Fatal(err)
	}
	states, _ := RandomPatterns(20, 60, 3)
	for _, s := range states {
		e1, _ := net.Energy(s)
		e2, _ := b.Energy(s)
		if math.Abs(e1-e2) > 1e-12 {
			t.Fatalf("network energy %v, Boltzmann energy %v", e1, e2)
		}
	}
	var m float64
	err = b.Sample(SampleConfig{Start: pats[0], Samples: 200, Seed: 4}, func(s []int8) error {
		o, _ := Overlap(s, pats[0])
		m += o / 200
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if m < 0.99 {
		t.Errorf("mean overlap with the start pattern at T = 0.05: %.3f, want ≥ 0.99", m)
	}
}

func TestBoltzmannErrors(t *testing.T) {
	if _, err := NewBoltzmann(0, nil, nil, 1); err == nil {
		t.Error("N = 0: no error")
	}
	if _, err := NewBoltzmann(3, nil, nil, 0); err == nil {
		t.Error("T = 0: no error")
	}
	if _, err := NewBoltzmann(3, nil, nil, math.Inf(1)); err == nil {
		t.Error("T = Inf: no error")
	}
	if _, err := NewBoltzmann(3, []Edge{{0, 3, 1}}, nil, 1); err == nil {
		t.Error("edge out of range: no error")
	}
	if _, err := NewBoltzmann(3, []Edge{{1, 1, 1}}, nil, 1); err == nil {
		t.Error("self-coupling: no error")
	}
	if _, err := NewBoltzmann(3, []Edge{{0, 1, math.NaN()}}, nil, 1); err == nil {
		t.Error("NaN weight: no error")
	}
	if _, err := NewBoltzmann(3, nil, []float64{1}, 1); err == nil {
		t.Error("short bias: no error")
	}
	b, _ := NewBoltzmann(3, []Edge{{0, 1, 1}}, nil, 1)
	if err := b.Sample(SampleConfig{Start: []int8{1, 0, 1}}, func([]int8) error { return nil }); err == nil {
		t.Error("bad start: no error")
	}
	if _, err := b.Energy([]int8{1, 1}); err == nil {
		t.Error("short state: no error")
	}
	big, _ := NewBoltzmann(30, nil, nil, 1)
	if _, err := big.Exact(); err == nil {
		t.Error("Exact with N = 30: no error")
	}
	if _, err := TotalVariation([]float64{1}, []float64{0.5, 0.5}); err == nil {
		t.Error("TV of unequal lengths: no error")
	}
}
