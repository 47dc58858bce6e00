package hopfield

import (
	"math"
	"runtime"
	"testing"

	"github.com/physbias/physbias/internal/rng"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// modernRecall stores p random ±1 patterns of dimension d, cues each with
// frac of its bits flipped, makes one batched update and returns the
// fraction whose sign equals the stored pattern in every bit.
func modernRecall(t *testing.T, d, p int, frac, beta float64) float64 {
	t.Helper()
	pats, err := RandomPatterns(p, d, 77)
	if err != nil {
		t.Fatal(err)
	}
	xs := make([][]float64, p)
	q := mat.NewDense(p, d, nil)
	for k, x := range pats {
		xs[k] = Spins(x)
		cue, _ := Corrupt(x, frac, uint64(5000+k))
		q.SetRow(k, Spins(cue))
	}
	m, err := NewModern(xs, beta)
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.UpdateBatch(nil, q)
	if err != nil {
		t.Fatal(err)
	}
	ok := 0
	for k, x := range pats {
		if equalSpins(Signs(out.RawRowView(k)), x) {
			ok++
		}
	}
	return float64(ok) / float64(p)
}

// Ramsauer et al. (2020): the modern network stores exponentially many
// patterns in d. At d = 64, P = 1,000 ≈ 15.6 d (over 100× the classical
// capacity 0.138 d) and 13 of 64 bits flipped, the cue's overlap with its
// pattern is 38 while the largest overlap with the 999 others is about
// 3.2·√64 ≈ 26: at β = 1 the softmax puts weight ≳ 1 − 1000·e^−12 on the
// right pattern and one update retrieves it. At β = 0.01 the softmax is
// nearly uniform and the update averages all patterns. The best any
// memory can do is the nearest-neighbour oracle (a cue can land nearer
// another stored pattern): at β = 1 the one update matches it.
func TestModernRetrievesFarBeyondClassicalCapacity(t *testing.T) {
	const d, p = 64, 1000
	oracle := nearestRate(t, d, p, 0.2)
	t.Logf("nearest-neighbour oracle: %.4f", oracle)
	for _, c := range []struct {
		beta     float64
		min, max float64
	}{
		{1, math.Max(0.99, oracle), 1},
		{0.25, 0.99, 1},
		{0.01, 0, 0.5},
	} {
		got := modernRecall(t, d, p, 0.2, c.beta)
		t.Logf("modern d=%d P=%d, 20%% flipped, β=%v: %.4f retrieved in one update", d, p, c.beta, got)
		if got < c.min || got > c.max {
			t.Errorf("β = %v: retrieved %.4f, want in [%v, %v]", c.beta, got, c.min, c.max)
		}
	}
}

// The classical network with the same patterns (P/N = 15.6) retrieves none.
func TestClassicalFailsWhereModernWorks(t *testing.T) {
	if got := recallRate(t, 64, 1000, 0.2, false, Async); got > 0.01 {
		t.Errorf("classical retrieved %.3f at P = 15.6 N", got)
	}
}

// nearestRate is the fraction of the cues of modernRecall whose unique
// nearest stored pattern (largest overlap) is their own.
func nearestRate(t *testing.T, d, p int, frac float64) float64 {
	t.Helper()
	pats, _ := RandomPatterns(p, d, 77)
	ok := 0
	for k, x := range pats {
		cue, _ := Corrupt(x, frac, uint64(5000+k))
		best, bestO, tie := -1, math.MinInt, false
		for j, y := range pats {
			o := 0
			for i := range y {
				o += int(y[i]) * int(cue[i])
			}
			if o > bestO {
				best, bestO, tie = j, o, false
			} else if o == bestO {
				tie = true
			}
		}
		if best == k && !tie {
			ok++
		}
	}
	return float64(ok) / float64(p)
}

func randomModern(t *testing.T, p, d int, beta float64, seed uint64) (*Modern, [][]float64) {
	t.Helper()
	r := rng.New(seed)
	xs := make([][]float64, p)
	for k := range xs {
		xs[k] = make([]float64, d)
		for i := range xs[k] {
			xs[k][i] = r.NormFloat64()
		}
	}
	m, err := NewModern(xs, beta)
	if err != nil {
		t.Fatal(err)
	}
	return m, xs
}

// Theorem 1 of Ramsauer et al.: the update never raises E. Checked along
// 20 updates from random starts at several β, to rounding (1e-10 of |E|).
func TestModernEnergyNeverRises(t *testing.T) {
	r := rng.New(4)
	for _, beta := range []float64{0.05, 0.5, 2, 8} {
		m, _ := randomModern(t, 30, 10, beta, 1)
		for start := 0; start < 10; start++ {
			xi := make([]float64, 10)
			for i := range xi {
				xi[i] = 3 * r.NormFloat64()
			}
			e0, _ := m.Energy(xi)
			for step := 0; step < 20; step++ {
				next, err := m.Update(xi)
				if err != nil {
					t.Fatal(err)
				}
				e1, _ := m.Energy(next)
				if e1 > e0+1e-10*math.Max(1, math.Abs(e0)) {
					t.Fatalf("β=%v start %d step %d: energy rose %v → %v", beta, start, step, e0, e1)
				}
				xi, e0 = next, e1
			}
		}
	}
}

// The update is ξ' = ξ − ∇E(ξ) (the concave-convex step): the gradient of
// Energy by central finite differences matches ξ − Update(ξ) to 1e-7
// (step 1e-5, truncation O(h²)·E‴ ≈ 1e-9, rounding ≈ 1e-11).
func TestModernUpdateIsEnergyGradientStep(t *testing.T) {
	m, _ := randomModern(t, 20, 8, 0.7, 2)
	r := rng.New(3)
	xi := make([]float64, 8)
	for i := range xi {
		xi[i] = r.NormFloat64()
	}
	grad := fd.Gradient(nil, func(x []float64) float64 {
		e, _ := m.Energy(x)
		return e
	}, xi, &fd.Settings{Formula: fd.Central, Step: 1e-5})
	next, _ := m.Update(xi)
	for i := range xi {
		if want := xi[i] - next[i]; math.Abs(grad[i]-want) > 1e-7 {
			t.Errorf("∂E/∂ξ_%d = %v by finite differences, ξ − ξ' = %v", i, grad[i], want)
		}
	}
}

// UpdateBatch (two GEMMs per block of queries) equals Update row by row,
// across several query blocks and in place.
func TestModernBatchMatchesSingle(t *testing.T) {
	m, _ := randomModern(t, 50, 12, 1.3, 5)
	b := 2*batchBlock + 7
	q := mat.NewDense(b, 12, nil)
	r := rng.New(6)
	for i := 0; i < b; i++ {
		for j := 0; j < 12; j++ {
			q.Set(i, j, r.NormFloat64())
		}
	}
	out, err := m.UpdateBatch(nil, q)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < b; i++ {
		want, _ := m.Update(q.RawRowView(i))
		for j := range want {
			if math.Abs(out.At(i, j)-want[j]) > 1e-12 {
				t.Fatalf("row %d col %d: batch %v single %v", i, j, out.At(i, j), want[j])
			}
		}
	}
	if _, err := m.UpdateBatch(q, q); err != nil {
		t.Fatal(err)
	}
	if !mat.EqualApprox(q, out, 1e-12) {
		t.Error("in-place UpdateBatch differs")
	}
}

func TestModernErrors(t *testing.T) {
	good := [][]float64{{1, -1}, {-1, 1}}
	if _, err := NewModern(good, 0); err == nil {
		t.Error("β = 0: no error")
	}
	if _, err := NewModern(good, -1); err == nil {
		t.Error("β < 0: no error")
	}
	if _, err := NewModern(good, math.NaN()); err == nil {
		t.Error("β = NaN: no error")
	}
	if _, err := NewModern([][]float64{{1, 1}, {1}}, 1); err == nil {
		t.Error("unequal lengths: no error")
	}
	if _, err := NewModern([][]float64{{}}, 1); err == nil {
		t.Error("d = 0: no error")
	}
	if _, err := NewModern(nil, 1); err == nil {
		t.Error("no patterns: no error")
	}
	if _, err := NewModern([][]float64{{1, math.Inf(1)}}, 1); err == nil {
		t.Error("Inf pattern: no error")
	}
	m, _ := NewModern(good, 1)
	if _, err := m.Update([]float64{1}); err == nil {
		t.Error("short state: no error")
	}
	if _, err := m.Energy([]float64{1, math.NaN()}); err == nil {
		t.Error("NaN state: no error")
	}
	if _, err := m.UpdateBatch(nil, mat.NewDense(3, 3, nil)); err == nil {
		t.Error("3-column queries: no error")
	}
	if _, err := m.UpdateBatch(mat.NewDense(2, 2, nil), mat.NewDense(3, 2, nil)); err == nil {
		t.Error("wrong dst: no error")
	}
	if _, _, err := m.Retrieve([]float64{1, 1}, 0, 0); err == nil {
		t.Error("maxSteps 0: no error")
	}
}

// Retrieve iterates to a fixed point: from a cue between two stored
// patterns at moderate β it converges (‖Δξ‖∞ ≤ 1e-12) in a few updates,
// and the result is a fixed point of Update.
func TestModernRetrieveConverges(t *testing.T) {
	m, xs := randomModern(t, 40, 16, 2, 7)
	cue := make([]float64, 16)
	for i := range cue {
		cue[i] = 0.6*xs[3][i] + 0.4*xs[9][i]
	}
	xi, steps, err := m.Retrieve(cue, 50, 1e-12)
	if err != nil {
		t.Fatal(err)
	}
	next, _ := m.Update(xi)
	for i := range xi {
		if math.Abs(next[i]-xi[i]) > 1e-11 {
			t.Fatalf("not a fixed point after %d updates: component %d moves by %v", steps, i, next[i]-xi[i])
		}
	}
	if steps >= 50 {
		t.Errorf("no convergence in 50 updates")
	}
	t.Logf("converged in %d updates", steps)
}

// TestModernBatchDeterministic: with enough scores per block to spread the
// softmax over goroutines (P = 512, 128 queries a block: 2^16 scores ≥
// parallelExp), UpdateBatch gives bit-identical results under GOMAXPROCS 1
// and 2.
func TestModernBatchDeterministic(t *testing.T) {
	m, _ := randomModern(t, 512, 16, 0.7, 8)
	if batchBlock*m.P() < parallelExp {
		t.Fatalf("%d scores a block: below parallelExp, the parallel path is not run", batchBlock*m.P())
	}
	q := mat.NewDense(300, 16, nil)
	r := rng.New(9)
	for i := 0; i < 300; i++ {
		for j := 0; j < 16; j++ {
			q.Set(i, j, r.NormFloat64())
		}
	}
	at := func(procs int) *mat.Dense {
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		out, err := m.UpdateBatch(nil, q)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if !mat.Equal(at(1), at(2)) {
		t.Error("UpdateBatch differs between GOMAXPROCS 1 and 2")
	}
}
