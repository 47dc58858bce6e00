package hopfield

import (
	"math"
	"testing"
)

// recallRate stores p random patterns of n units with the rule, cues each
// with frac of its bits flipped and returns the fraction recalled exactly.
func recallRate(t *testing.T, n, p int, frac float64, storkey bool, upd Update) float64 {
	t.Helper()
	pats, err := RandomPatterns(p, n, uint64(1000*n+p))
	if err != nil {
		t.Fatal(err)
	}
	net, err := New(n)
	if err != nil {
		t.Fatal(err)
	}
	if storkey {
		err = net.StoreStorkey(pats)
	} else {
		err = net.StoreHebbian(pats)
	}
	if err != nil {
		t.Fatal(err)
	}
	ok := 0
	for k, x := range pats {
		cue, err := Corrupt(x, frac, uint64(k+1))
		if err != nil {
			t.Fatal(err)
		}
		res, err := net.Recall(cue, RecallConfig{Update: upd, Seed: uint64(k)})
		if err != nil {
			t.Fatal(err)
		}
		if equalSpins(res.State, x) {
			ok++
		}
	}
	return float64(ok) / float64(p)
}

// The capacity of Hebbian storage of random patterns is α_c ≈ 0.138 (Amit,
// Gutfreund and Sompolinsky 1985): well below it (α = 0.05) a cue with 10%
// of its bits flipped goes back to its pattern; above it (α = 0.2) the
// retrieval states are gone and recall fails. The 95% bound: at α = 0.05
// the chance that a bit of a stored pattern is unstable is Φ(−1/√α) ≈
// 4e-6, so ≈ 0.2% of 500-unit patterns hold a wrong bit.
func TestClassicalCapacity(t *testing.T) {
	const n = 500
	low := recallRate(t, n, n/20, 0.1, false, Async)
	high := recallRate(t, n, n/5, 0.1, false, Async)
	t.Logf("Hebbian N=%d, 10%% flipped: exact recall %.3f at P=0.05N, %.3f at P=0.2N", n, low, high)
	if low < 0.95 {
		t.Errorf("recall at P = 0.05 N is %.3f, want ≥ 0.95", low)
	}
	if high >= 0.5 {
		t.Errorf("recall at P = 0.2 N is %.3f, want < 0.5 (beyond capacity 0.138 N)", high)
	}
	// Synchronous updates recall as well at low load.
	if s := recallRate(t, n, n/20, 0.1, false, Sync); s < 0.95 {
		t.Errorf("synchronous recall at P = 0.05 N is %.3f, want ≥ 0.95", s)
	}
}

// Storkey's rule stores more than Hebb's: at P = 0.15 N, just past the
// Hebbian capacity, it still recalls most patterns.
func TestStorkeyBeatsHebbian(t *testing.T) {
	const n = 300
	p := n * 15 / 100
	heb := recallRate(t, n, p, 0.05, false, Async)
	sto := recallRate(t, n, p, 0.05, true, Async)
	t.Logf("N=%d P=%d, 5%% flipped: Hebbian %.3f, Storkey %.3f", n, p, heb, sto)
	if sto < 0.9 || sto <= heb {
		t.Errorf("Storkey recall %.3f, Hebbian %.3f: want Storkey ≥ 0.9 and above Hebbian", sto, heb)
	}
}

// From zero weights, Storkey's first pattern is Hebb's (the h terms vanish),
// and its weights stay symmetric with a zero diagonal.
func TestStorkeyFirstPatternIsHebb(t *testing.T) {
	pats, _ := RandomPatterns(5, 40, 3)
	a, _ := New(40)
	b, _ := New(40)
	if err := a.StoreHebbian(pats[:1]); err != nil {
		t.Fatal(err)
	}
	if err := b.StoreStorkey(pats[:1]); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40; i++ {
		for j := 0; j < 40; j++ {
			if math.Abs(a.Weight(i, j)-b.Weight(i, j)) > 1e-15 {
				t.Fatalf("w[%d][%d]: Hebb %v, Storkey %v", i, j, a.Weight(i, j), b.Weight(i, j))
			}
		}
	}
	if err := b.StoreStorkey(pats[1:]); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40; i++ {
		if b.Weight(i, i) != 0 {
			t.Fatalf("w[%d][%d] = %v, want 0", i, i, b.Weight(i, i))
		}
		for j := 0; j < i; j++ {
			if b.Weight(i, j) != b.Weight(j, i) {
				t.Fatalf("w not symmetric at (%d,%d)", i, j)
			}
		}
	}
}

// Asynchronous updates never raise E, with Hebbian or Storkey weights and
// random thresholds, from random starts, at a load where many spurious
// minima exist. The traced energy (updated by ΔE = −Δs(h−θ)) is compared
// with a fresh evaluation at every sweep: both agree to rounding (1e-9).
func TestAsyncEnergyNeverRises(t *testing.T) {
	for _, storkey := range []bool{false, true} {
		net, _ := New(200)
		pats, _ := RandomPatterns(40, 200, 9)
		if storkey {
			_ = net.StoreStorkey(pats)
		} else {
			_ = net.StoreHebbian(pats)
		}
		th := make([]float64, 200)
		for i := range th {
			th[i] = 0.05 * math.Sin(float64(i))
		}
		if err := net.SetThresholds(th); err != nil {
			t.Fatal(err)
		}
		starts, _ := RandomPatterns(10, 200, 11)
		for k, s0 := range starts {
			res, err := net.Recall(s0, RecallConfig{Seed: uint64(k), Trace: true})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Converged {
				t.Errorf("start %d: no fixed point after %d sweeps", k, res.Sweeps)
			}
			u := res.UnitEnergies
			for i := 1; i < len(u); i++ {
				if u[i] > u[i-1]+1e-9 {
					t.Fatalf("storkey=%v start %d: energy rose at update %d: %v → %v", storkey, k, i, u[i-1], u[i])
				}
			}
			if math.Abs(u[len(u)-1]-res.Energy) > 1e-9 {
				t.Errorf("traced energy %v, result energy %v", u[len(u)-1], res.Energy)
			}
			if e, _ := net.Energy(res.State); math.Abs(e-res.Energy) > 1e-9 {
				t.Errorf("result energy %v, Energy(State) %v", res.Energy, e)
			}
			for i := 1; i < len(res.Energies); i++ {
				if res.Energies[i] > res.Energies[i-1]+1e-9 {
					t.Fatalf("energy rose over sweep %d", i)
				}
			}
			if u[len(u)-1] >= u[0] {
				t.Errorf("start %d: energy did not fall (%v → %v)", k, u[0], u[len(u)-1])
			}
		}
	}
}

// Synchronous updates can cycle: two units with w_12 = −1 started at (+1,+1)
// flip together forever, and the energy does not fall.
func TestSyncTwoCycle(t *testing.T) {
	net, _ := New(2)
	net.w[1], net.w[2] = -1, -1
	res, err := net.Recall([]int8{1, 1}, RecallConfig{Update: Sync})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Cycle || res.Converged {
		t.Fatalf("got cycle=%v converged=%v after %d sweeps, want a two-cycle", res.Cycle, res.Converged, res.Sweeps)
	}
	// Asynchronous updates reach a fixed point (−1,+1) or (+1,−1) instead.
	res, _ = net.Recall([]int8{1, 1}, RecallConfig{})
	if !res.Converged || res.State[0] == res.State[1] {
		t.Fatalf("async: %v converged=%v", res.State, res.Converged)
	}
}

func TestClassicalErrors(t *testing.T) {
	if _, err := New(0); err == nil {
		t.Error("New(0): no error")
	}
	net, _ := New(4)
	cases := map[string][][]int8{
		"unequal lengths": {{1, 1, -1, 1}, {1, -1, 1}},
		"not ±1":          {{1, 0, -1, 1}},
		"none":            {},
		"empty":           {{}},
		"wrong N":         {{1, 1, 1}},
	}
	for name, pats := range cases {
		if err := net.StoreHebbian(pats); err == nil {
			t.Errorf("StoreHebbian %s: no error", name)
		}
		if err := net.StoreStorkey(pats); err == nil {
			t.Errorf("StoreStorkey %s: no error", name)
		}
	}
	if _, err := net.Recall([]int8{1, 1}, RecallConfig{}); err == nil {
		t.Error("Recall of a short cue: no error")
	}
	if _, err := net.Recall([]int8{1, 1, 1, 1}, RecallConfig{Update: 7}); err == nil {
		t.Error("Recall with unknown update: no error")
	}
	if _, err := net.Energy([]int8{1, 2, 1, 1}); err == nil {
		t.Error("Energy of a non-±1 state: no error")
	}
	if err := net.SetThresholds([]float64{0, math.NaN(), 0, 0}); err == nil {
		t.Error("NaN threshold: no error")
	}
	if _, err := Corrupt([]int8{1}, 1.5, 0); err == nil {
		t.Error("Corrupt 150%: no error")
	}
	if _, err := RandomPatterns(0, 3, 0); err == nil {
		t.Error("RandomPatterns(0, 3): no error")
	}
}

// Recall stops at the sweep limit: one sweep from a random start beyond
// capacity is not a fixed point, and the result says so.
func TestRecallSweepLimit(t *testing.T) {
	pats, _ := RandomPatterns(60, 100, 5)
	net, _ := New(100)
	_ = net.StoreHebbian(pats)
	start, _ := RandomPatterns(1, 100, 6)
	res, err := net.Recall(start[0], RecallConfig{MaxSweeps: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sweeps != 1 || res.Converged {
		t.Errorf("MaxSweeps 1: %d sweeps, converged %v; want 1 sweep, not converged", res.Sweeps, res.Converged)
	}
	full, _ := net.Recall(start[0], RecallConfig{})
	if !full.Converged || full.Sweeps < 2 {
		t.Errorf("default limit: %d sweeps, converged %v", full.Sweeps, full.Converged)
	}
	if _, err := net.Recall(start[0], RecallConfig{MaxSweeps: -1}); err == nil {
		t.Error("MaxSweeps −1: no error")
	}
}
