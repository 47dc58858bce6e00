package hopfield_test

// General-case checks on sizes, loads, dimensions, inverse temperatures and
// pattern sets that no other test names, each against a closed form or a
// bound derived here.

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/physbias/physbias/hopfield"
	"gonum.org/v1/gonum/mat"
)

// store returns a Hebbian network of n units holding p random patterns.
func store(t *testing.T, n, p int, seed uint64) (*hopfield.Network, [][]int8) {
	t.Helper()
	pats, err := hopfield.RandomPatterns(p, n, seed)
	if err != nil {
		t.Fatal(err)
	}
	net, err := hopfield.New(n)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.StoreHebbian(pats); err != nil {
		t.Fatal(err)
	}
	return net, pats
}

// TestHebbianCrosstalkClosedForm: for Hebbian storage of P random patterns
// in N units the local field at a stored pattern is its own bit times
// (N−1)/N plus crosstalk of variance (P−1)(N−1)/N², so a bit is unstable
// with probability Φ(−√((N−1)/(P−1))) (the signal-to-noise argument of
// Amit, Gutfreund and Sompolinsky). One synchronous sweep from each stored
// pattern flips exactly its unstable bits. Checked at N = 333 (odd) and
// 800, loads 0.2 and 0.3, on 2·10⁵ bits each (several pattern sets).
// Tolerance 6% relative: the count's noise is about 2% (binomial, widened
// because the bits of one pattern share its overlaps), and the Gaussian
// tail of a sum of (P−1)(N−1) independent ±1 terms is exact to well under
// 1% (measured: within 1.7%).
func TestHebbianCrosstalkClosedForm(t *testing.T) {
	var worst float64
	for _, n := range []int{333, 800} {
		for _, alpha := range []float64{0.2, 0.3} {
			p := int(math.Round(alpha * float64(n)))
			// Independent pattern sets until 2·10⁵ bits are seen.
			sets := (200000 + n*p - 1) / (n * p)
			flips := 0
			for set := range sets {
				net, pats := store(t, n, p, uint64(11*n+p+1000*set))
				for _, x := range pats {
					r, err := net.Recall(x, hopfield.RecallConfig{Update: hopfield.Sync, MaxSweeps: 1})
					if err != nil {
						t.Fatal(err)
					}
					for i := range x {
						if r.State[i] != x[i] {
							flips++
						}
					}
				}
			}
			got := float64(flips) / float64(sets*n*p)
			want := 0.5 * math.Erfc(math.Sqrt(float64(n-1)/float64(p-1))/math.Sqrt2)
			rel := math.Abs(got-want) / want
			worst = math.Max(worst, rel)
			t.Logf("N = %d, P = %d: unstable bits %.5f, Φ(−√((N−1)/(P−1))) = %.5f", n, p, got, want)
			if rel > 0.06 {
				t.Errorf("N = %d, P = %d: %.5f of bits unstable, closed form %.5f (%.0f%% off)", n, p, got, want, 100*rel)
			}
		}
	}
	t.Logf("worst relative deviation %.3f", worst)
}

// meanRetrievalOverlap starts asynchronous recall at each stored pattern
// and returns the mean overlap of the fixed point with it.
func meanRetrievalOverlap(t *testing.T, n int, alpha float64) float64 {
	t.Helper()
	p := int(math.Round(alpha * float64(n)))
	net, pats := store(t, n, p, uint64(7*n+p))
	var m float64
	for k, x := range pats {
		r, err := net.Recall(x, hopfield.RecallConfig{Seed: uint64(k), MaxSweeps: 200})
		if err != nil {
			t.Fatal(err)
		}
		o, err := hopfield.Overlap(r.State, x)
		if err != nil {
			t.Fatal(err)
		}
		m += o / float64(p)
	}
	return m
}

// TestCapacityOtherN: the retrieval states of the Hebbian network exist
// up to α_c ≈ 0.138 with overlap ≥ 0.967 there (Amit, Gutfreund and
// Sompolinsky 1985) and vanish above it, the transition sharpening with N.
// At N = 333 and 800 (sizes no other test uses): from each stored pattern,
// the fixed point keeps mean overlap ≥ 0.967 at α = 0.1 (measured 0.997,
// 0.9985) and falls well below it at α = 0.2 (measured 0.72 and 0.37; bound
// 0.85 and 0.6), and the fall is larger at the larger N.
func TestCapacityOtherN(t *testing.T) {
	drop := map[int]float64{}
	for _, c := range []struct {
		n    int
		high float64
	}{{333, 0.85}, {800, 0.6}} {
		lo, hi := meanRetrievalOverlap(t, c.n, 0.1), meanRetrievalOverlap(t, c.n, 0.2)
		t.Logf("N = %d: mean retrieval overlap %.4f at α = 0.1, %.4f at α = 0.2", c.n, lo, hi)
		if lo < 0.967 {
			t.Errorf("N = %d, α = 0.1: overlap %.4f < 0.967, the retrieval state's at α_c", c.n, lo)
		}
		if hi > c.high {
			t.Errorf("N = %d, α = 0.2: overlap %.4f, want < %v (beyond α_c ≈ 0.138)", c.n, hi, c.high)
		}
		drop[c.n] = lo - hi
	}
	if drop[800] <= drop[333] {
		t.Errorf("the transition does not sharpen with N: drop %.3f at N = 333, %.3f at N = 800", drop[333], drop[800])
	}
}

// spherePatterns returns p patterns of dimension d, uniform on the sphere
// of radius r: continuous patterns of a user's own, not ±1.
func spherePatterns(p, d int, r float64, seed uint64) [][]float64 {
	g := rand.New(rand.NewPCG(seed, 1))
	xs := make([][]float64, p)
	for k := range xs {
		x := make([]float64, d)
		var s float64
		for i := range x {
			x[i] = g.NormFloat64()
			s += x[i] * x[i]
		}
		for i := range x {
			x[i] *= r / math.Sqrt(s)
		}
		xs[k] = x
	}
	return xs
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func dist(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return math.Sqrt(s)
}

// TestModernRetrievalBound: for patterns of norm ≤ M and a query ξ at
// distance r from x_i, one update obeys
//
//	‖f(ξ) − x_i‖ ≤ 2M(P−1)·exp(−β(Δ_i − 2Mr)),  Δ_i = x_iᵀx_i − max_{j≠i} x_iᵀx_j,
//
// since f(ξ) − x_i = Σ_j p_j(x_j − x_i) and p_j/p_i = exp(β(x_j − x_i)ᵀξ) ≤
// exp(−β(Δ_i − 2Mr)) (the retrieval theorem of Ramsauer et al. 2020).
// Checked on continuous patterns on spheres, d = 10, 37 and 100, P = 20 to
// 2,000, β = 0.5 to 8, queries perturbed at several radii; the bound must
// hold for every query (it is a theorem, so no slack beyond rounding,
// 1e-12) and the error must fall with β as the bound says: below 1e-6 where
// the bound is below 1e-6.
func TestModernRetrievalBound(t *testing.T) {
	g := rand.New(rand.NewPCG(9, 9))
	checked := 0
	for _, c := range []struct {
		d, p int
		M    float64
	}{{10, 20, 3}, {37, 300, 4}, {100, 2000, 6}} {
		xs := spherePatterns(c.p, c.d, c.M, uint64(c.d))
		for _, beta := range []float64{0.5, 2, 8} {
			m, err := hopfield.NewModern(xs, beta)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < c.p; i += c.p / 10 {
				delta := math.Inf(1)
				for j, y := range xs {
					if j != i {
						delta = math.Min(delta, dot(xs[i], xs[i])-dot(xs[i], y))
					}
				}
				for _, frac := range []float64{0, 0.05, 0.15} {
					xi := make([]float64, c.d)
					for k := range xi {
						xi[k] = xs[i][k] + frac*c.M/math.Sqrt(float64(c.d))*g.NormFloat64()
					}
					r := dist(xi, xs[i])
					f, err := m.Update(xi)
					if err != nil {
						t.Fatal(err)
					}
					got := dist(f, xs[i])
					bound := 2 * c.M * float64(c.p-1) * math.Exp(-beta*(delta-2*c.M*r))
					if got > bound+1e-12 {
						t.Errorf("d = %d, P = %d, β = %v, pattern %d, r = %.3g: ‖f(ξ) − x‖ = %.3g above the bound %.3g", c.d, c.p, beta, i, r, got, bound)
					}
					if bound < 1e-6 && got > 1e-6 {
						t.Errorf("bound %.3g but error %.3g", bound, got)
					}
					checked++
				}
			}
		}
	}
	t.Logf("%d queries checked", checked)
}

// TestModernSmallBetaAverages: as β → 0 the softmax is uniform and one
// update returns the mean of the patterns, f(ξ) = x̄ + β·Cov·ξ + O(β²)
// (Cov the patterns' covariance): at β = 1e-7, ‖f(ξ) − x̄‖ ≤ 2β‖Cov‖‖ξ‖,
// and the first-order term matches β·Cov·ξ to O(β²). d = 23, P = 57.
func TestModernSmallBetaAverages(t *testing.T) {
	const d, p, beta = 23, 57, 1e-7
	xs := spherePatterns(p, d, 2, 5)
	m, err := hopfield.NewModern(xs, beta)
	if err != nil {
		t.Fatal(err)
	}
	mean := make([]float64, d)
	for _, x := range xs {
		for i := range x {
			mean[i] += x[i] / p
		}
	}
	xi := spherePatterns(1, d, 1.5, 6)[0]
	// Cov·ξ = (1/P) Σ_μ (x_μ − x̄)(x_μ − x̄)ᵀξ.
	cxi := make([]float64, d)
	for _, x := range xs {
		var s float64
		for i := range x {
			s += (x[i] - mean[i]) * xi[i]
		}
		for i := range x {
			cxi[i] += (x[i] - mean[i]) * s / p
		}
	}
	f, err := m.Update(xi)
	if err != nil {
		t.Fatal(err)
	}
	var worst float64
	for i := range f {
		// (f − x̄)/β − Cov·ξ is O(β)·|x|³|ξ|² ≈ 1e-6 here; rounding in
		// f − x̄ is 1e-16/β ≈ 1e-9.
		worst = math.Max(worst, math.Abs((f[i]-mean[i])/beta-cxi[i]))
	}
	t.Logf("max |(f − x̄)/β − Cov·ξ| = %.3g", worst)
	if worst > 1e-4 {
		t.Errorf("small-β update: (f − x̄)/β differs from Cov·ξ by %.3g", worst)
	}
}

// correlatedPatterns returns p ±1 patterns of n units that share a base
// pattern: each unit copies the base with probability 1 − q and is random
// otherwise, so E[x_i b_i] = 1 − q and two patterns overlap by (1 − q)²·n
// on average. The classical Hebbian rule fails on such sets (its crosstalk
// no longer averages out).
func correlatedPatterns(p, n int, q float64, seed uint64) (base []int8, pats [][]int8) {
	g := rand.New(rand.NewPCG(seed, 3))
	base = make([]int8, n)
	for i := range base {
		base[i] = int8(2*g.IntN(2) - 1)
	}
	pats = make([][]int8, p)
	for k := range pats {
		x := make([]int8, n)
		for i := range x {
			x[i] = base[i]
			if g.Float64() < q {
				x[i] = int8(2*g.IntN(2) - 1)
			}
		}
		pats[k] = x
	}
	return base, pats
}

// TestModernCorrelatedUserPatterns: a user's own set of strongly
// correlated patterns (d = 96, P = 60, each unit copies a shared base
// pattern with probability 0.6, so patterns overlap by ≈ 0.36·d on top of
// chance), cues with 8% of their bits flipped. Ramsauer et al.'s picture:
// at large β (here 2) one update retrieves each pattern whenever the cue's
// nearest pattern is its own (the oracle; measured: both 1.000); at small
// β (here 0.01) the update lands on a metastable state averaging the
// similar patterns, i.e. near the shared base (measured overlap of
// sign(f) with the base 1.000, retrieval 0.000). The classical network
// with the same patterns recalls none (measured 0.000; bound 0.1).
func TestModernCorrelatedUserPatterns(t *testing.T) {
	const n, p = 96, 60
	base, pats := correlatedPatterns(p, n, 0.4, 21)
	xs := make([][]float64, p)
	q := mat.NewDense(p, n, nil)
	cues := make([][]int8, p)
	for k, x := range pats {
		xs[k] = hopfield.Spins(x)
		c, err := hopfield.Corrupt(x, 0.08, uint64(100+k))
		if err != nil {
			t.Fatal(err)
		}
		cues[k] = c
		q.SetRow(k, hopfield.Spins(c))
	}
	// The nearest-neighbour oracle.
	oracle := 0
	for k, c := range cues {
		best, bestO, tie := -1, math.MinInt, false
		for j, y := range pats {
			o := 0
			for i := range y {
				o += int(y[i]) * int(c[i])
			}
			if o > bestO {
				best, bestO, tie = j, o, false
			} else if o == bestO {
				tie = true
			}
		}
		if best == k && !tie {
			oracle++
		}
	}
	rate := func(beta float64) (ret, baseOverlap float64) {
		m, err := hopfield.NewModern(xs, beta)
		if err != nil {
			t.Fatal(err)
		}
		out, err := m.UpdateBatch(nil, q)
		if err != nil {
			t.Fatal(err)
		}
		for k, x := range pats {
			s := hopfield.Signs(out.RawRowView(k))
			o, _ := hopfield.Overlap(s, x)
			if o == 1 {
				ret++
			}
			ob, _ := hopfield.Overlap(s, base)
			baseOverlap += ob / p
		}
		return ret / p, baseOverlap
	}
	hiRet, _ := rate(2)
	loRet, loBase := rate(0.01)
	or := float64(oracle) / p
	t.Logf("oracle %.3f; β = 2: retrieved %.3f; β = 0.01: retrieved %.3f, overlap with the base %.3f", or, hiRet, loRet, loBase)
	if hiRet < or-0.02 {
		t.Errorf("β = 2: retrieved %.3f, oracle %.3f", hiRet, or)
	}
	if loRet > 0.1 || loBase < 0.95 {
		t.Errorf("β = 0.01: retrieved %.3f (want ≤ 0.1), overlap with the base %.3f (want ≥ 0.95)", loRet, loBase)
	}
	net, err := hopfield.New(n)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.StoreHebbian(pats); err != nil {
		t.Fatal(err)
	}
	ok := 0
	for k, c := range cues {
		r, err := net.Recall(c, hopfield.RecallConfig{Seed: uint64(k)})
		if err != nil {
			t.Fatal(err)
		}
		if o, _ := hopfield.Overlap(r.State, pats[k]); o == 1 {
			ok++
		}
	}
	t.Logf("classical Hebbian: %.3f recalled", float64(ok)/p)
	if float64(ok)/p > 0.1 {
		t.Errorf("classical recalled %.3f of strongly correlated patterns (P/N = %.2f)", float64(ok)/p, float64(p)/n)
	}
}

// curieWeiss returns the exact ⟨m²⟩ and ⟨|m|⟩ (m = M/N) of the fully
// connected machine w_ij = J/N, bias h, at temperature T, by summing over
// M: E = −(J/N)(M² − N)/2 − hM, with C(N, (N+M)/2) states at each M.
func curieWeiss(n int, J, h, T float64) (m2, am float64) {
	type term struct{ lw, m float64 }
	var ts []term
	top := math.Inf(-1)
	for k := 0; k <= n; k++ {
		M := float64(2*k - n)
		lg1, _ := math.Lgamma(float64(n + 1))
		lg2, _ := math.Lgamma(float64(k + 1))
		lg3, _ := math.Lgamma(float64(n - k + 1))
		E := -J/float64(n)*(M*M-float64(n))/2 - h*M
		lw := lg1 - lg2 - lg3 - E/T
		ts = append(ts, term{lw, M / float64(n)})
		top = math.Max(top, lw)
	}
	var z float64
	for _, q := range ts {
		w := math.Exp(q.lw - top)
		z += w
		m2 += w * q.m * q.m
		am += w * math.Abs(q.m)
	}
	return m2 / z, am / z
}

// TestBoltzmannCurieWeiss: a Boltzmann machine far beyond enumeration,
// N = 120 units all coupled by J/N (the Curie–Weiss model, critical at
// T = J), against its exact finite-N ⟨m²⟩ and ⟨|m|⟩ (a sum over the 121
// values of M): in the disordered phase (T = 1.4, h = 0), in the ordered
// one (T = 0.7) and in a field (T = 1, h = 0.05). Gibbs sampling, 12,000
// sweeps; error bars from 40 batch means. Tolerance 4 error bars
// (measured worst 0.7σ).
func TestBoltzmannCurieWeiss(t *testing.T) {
	const n, J = 120, 1.0
	var edges []hopfield.Edge
	for i := range n {
		for j := i + 1; j < n; j++ {
			edges = append(edges, hopfield.Edge{I: i, J: j, W: J / n})
		}
	}
	var worst float64
	for _, c := range []struct{ T, h float64 }{{1.4, 0}, {0.7, 0}, {1, 0.05}} {
		bias := make([]float64, n)
		for i := range bias {
			bias[i] = c.h
		}
		b, err := hopfield.NewBoltzmann(n, edges, bias, c.T)
		if err != nil {
			t.Fatal(err)
		}
		var m2s, ams []float64
		err = b.Sample(hopfield.SampleConfig{Burn: 500, Samples: 12000, Seed: 9}, func(s []int8) error {
			var M float64
			for _, v := range s {
				M += float64(v)
			}
			m := M / n
			m2s, ams = append(m2s, m*m), append(ams, math.Abs(m))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		wm2, wam := curieWeiss(n, J, c.h, c.T)
		for _, q := range []struct {
			name string
			x    []float64
			want float64
		}{{"⟨m²⟩", m2s, wm2}, {"⟨|m|⟩", ams, wam}} {
			mean, se := batchMeans(q.x, 40)
			dev := math.Abs(mean-q.want) / se
			worst = math.Max(worst, dev)
			t.Logf("T = %v, h = %v: %s = %.5f ± %.5f, exact %.5f (%.1fσ)", c.T, c.h, q.name, mean, se, q.want, dev)
			if dev > 4 {
				t.Errorf("T = %v, h = %v: %s = %.5f ± %.5f, exact %.5f (%.1fσ)", c.T, c.h, q.name, mean, se, q.want, dev)
			}
		}
	}
	t.Logf("worst deviation %.2fσ", worst)
}

// batchMeans returns the mean of x and its standard error from nb equal
// batches.
func batchMeans(x []float64, nb int) (mean, se float64) {
	n := len(x) / nb
	bm := make([]float64, nb)
	for b := range nb {
		for _, v := range x[b*n : (b+1)*n] {
			bm[b] += v / float64(n)
		}
		mean += bm[b] / float64(nb)
	}
	for _, v := range bm {
		se += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(se / float64(nb*(nb-1)))
}
