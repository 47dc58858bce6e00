package energy_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/physbias/physbias/energy"
)

// sigm is the logistic function, written out here so the test does not
// lean on the package's own.
func sigm(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// annealingModel returns p_ann(v) for every binary v (index k: v_i = bit i
// of k) of the chain RAISE reverses: v_0 from the base model (visible
// biases base), then one Gibbs step h ~ p_β(h | v), v ~ p_β(v | h) of the
// intermediate model at each β of betas[1:], the transition matrices
// summed over every h.
func annealingModel(t *testing.T, m *energy.RBM, base, betas []float64) []float64 {
	t.Helper()
	w, b, c, err := m.Weights()
	if err != nil {
		t.Fatal(err)
	}
	nv, nh := len(b), len(c)
	S, H := 1<<nv, 1<<nh
	bit := func(k, i int) float64 { return float64((k >> i) & 1) }
	p := make([]float64, S)
	for k := range S {
		p[k] = 1
		for i := range nv {
			q := sigm(base[i])
			if bit(k, i) == 1 {
				p[k] *= q
			} else {
				p[k] *= 1 - q
			}
		}
	}
	for _, beta := range betas[1:] {
		// ph[k][h] = p_β(h | v_k), pv[h][k] = p_β(v_k | h).
		ph := make([][]float64, S)
		for k := range S {
			ph[k] = make([]float64, H)
			for hk := range H {
				pr := 1.0
				for j := range nh {
					a := c[j]
					for i := range nv {
						a += bit(k, i) * w[i][j]
					}
					q := sigm(beta * a)
					if bit(hk, j) == 1 {
						pr *= q
					} else {
						pr *= 1 - q
					}
				}
				ph[k][hk] = pr
			}
		}
		pv := make([][]float64, H)
		for hk := range H {
			pv[hk] = make([]float64, S)
			for k := range S {
				pr := 1.0
				for i := range nv {
					a := (1-beta)*base[i] + beta*b[i]
					for j := range nh {
						a += beta * w[i][j] * bit(hk, j)
					}
					q := sigm(a)
					if bit(k, i) == 1 {
						pr *= q
					} else {
						pr *= 1 - q
					}
				}
				pv[hk][k] = pr
			}
		}
		next := make([]float64, S)
		for k := range S {
			for hk := range H {
				x := p[k] * ph[k][hk]
				for k2 := range S {
					next[k2] += x * pv[hk][k2]
				}
			}
		}
		p = next
	}
	return p
}

// Must show: RAISE's mean weight is an unbiased estimate of the annealing
// model's probability p_ann(v) (Burda, Grosse & Salakhutdinov 2015). On a
// 6×4 RBM with a three-step schedule and a base model at data base rates,
// p_ann(v) of all 64 states comes from multiplying out the chain's
// transition matrices (summed over every h); RAISE with 4,000 runs a state
// must agree with every one within a few of its standard errors, and its
// estimates must sum to 1.
func TestRAISEMatchesAnnealingModel(t *testing.T) {
	const nv, nh = 6, 4
	m := randomRBM(t, nv, nh, energy.Binary, 1, 21)
	// Base rates of three rows (AISConfig.Data's rule: one pseudo-count of
	// 1/2 each way).
	baseData := [][]float64{{1, 0, 1, 1, 0, 0}, {1, 1, 0, 1, 0, 0}, {0, 0, 1, 1, 1, 0}}
	base := make([]float64, nv)
	for i := range base {
		var s float64
		for _, r := range baseData {
			s += r[i]
		}
		q := (s + 0.5) / float64(len(baseData)+1)
		base[i] = math.Log(q / (1 - q))
	}
	betas := []float64{0, 0.3, 0.7, 1}
	want := annealingModel(t, m, base, betas)
	var all [][]float64
	for k := range 1 << nv {
		v := make([]float64, nv)
		for i := range v {
			v[i] = float64((k >> i) & 1)
		}
		all = append(all, v)
	}
	res, err := m.RAISE(context.Background(), all, energy.RAISEConfig{Runs: 4000, Betas: betas, Data: baseData, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	var worst, sum, sumVar, sumWant float64
	for k, lp := range res.LogProbs {
		z := (math.Exp(lp)/want[k] - 1) / res.StdErrs[k]
		worst = math.Max(worst, math.Abs(z))
		sum += math.Exp(lp)
		sumVar += math.Pow(math.Exp(lp)*res.StdErrs[k], 2)
		sumWant += want[k]
	}
	seSum := math.Sqrt(sumVar)
	// Measured: worst state 2.28 standard errors off; Σ p̂ = 0.99745 ± 0.0040.
	t.Logf("largest |p̂ − p_ann|/se over 64 states %.2f; Σ p̂ = %.5f ± %.5f (Σ p_ann = %.15f)", worst, sum, seSum, sumWant)
	if worst > 4.5 {
		t.Errorf("RAISE's estimate of p_ann is %.2f standard errors off at the worst state", worst)
	}
	if math.Abs(sum-1) > 4*seSum {
		t.Errorf("RAISE's estimates of p_ann sum to %.5f ± %.5f, want 1", sum, seSum)
	}
}

// LogPartition enumerates the smaller layer; a binary RBM and its mirror
// (W transposed, b and c swapped) have the same Z, and for 14 and 13 units
// the two enumerate different layers: v of the first (2^13 states, one
// product a state), h of the mirror in Gray-code order (2^13 states, with
// the running sums restarted every 2^12).
func TestLogPartitionMirror(t *testing.T) {
	m := randomRBM(t, 13, 14, energy.Binary, 0.7, 31)
	w, b, c, _ := m.Weights()
	wt := make([][]float64, len(c))
	for j := range wt {
		wt[j] = make([]float64, len(b))
		for i := range b {
			wt[j][i] = w[i][j]
		}
	}
	mirror, err := energy.New(energy.Config{Visible: len(c), Hidden: len(b)})
	if err != nil {
		t.Fatal(err)
	}
	if err := mirror.SetWeights(wt, c, b); err != nil {
		t.Fatal(err)
	}
	z1, err := m.LogPartition()
	if err != nil {
		t.Fatal(err)
	}
	z2, err := mirror.LogPartition()
	if err != nil {
		t.Fatal(err)
	}
	// Measured difference 0 to 1e-13 (log Z ≈ 30).
	t.Logf("log Z %.15g, mirror %.15g (diff %.2g)", z1, z2, z1-z2)
	if d := math.Abs(z1 - z2); d > 1e-11 {
		t.Errorf("log Z %.15g, mirror's %.15g (diff %.2g)", z1, z2, d)
	}
}

// RAISE with Gaussian visible units: on a 12×10 Gaussian RBM (log Z exact
// by enumerating h with the Gaussian integral), the log Z that RAISE's
// estimates imply on 200 of the model's own samples agrees with the exact
// one within three standard errors, and its mean log-probability with the
// exact one.
func TestRAISEGaussian(t *testing.T) {
	m := randomRBM(t, 12, 10, energy.Gaussian, 0.3, 9)
	exact, err := m.LogPartition()
	if err != nil {
		t.Fatal(err)
	}
	start := make([][]float64, 200)
	for i := range start {
		start[i] = make([]float64, 12)
	}
	rows, err := m.Sample(start, 50, 6)
	if err != nil {
		t.Fatal(err)
	}
	betas, _ := energy.Schedule(300)
	res, err := m.RAISE(context.Background(), rows, energy.RAISEConfig{Runs: 2, Betas: betas, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	ll, _ := m.LogLikelihood(rows, exact)
	// Measured: 20.3500 ± 0.0233 against 20.3472.
	t.Logf("exact log Z %.4f, RAISE's %.4f ± %.4f; log-likelihood exact %.4f, RAISE %.4f", exact, res.LogZ, res.LogZStdErr, ll, res.LogLikelihood)
	if d := math.Abs(res.LogZ - exact); d > 3*res.LogZStdErr {
		t.Errorf("RAISE's log Z %.4f is %.4f from the exact %.4f (se %.4f)", res.LogZ, d, exact, res.LogZStdErr)
	}
}

// Same seed, same estimates; a cancelled context stops RAISE with an error
// matching context.Canceled.
func TestRAISEDeterministicAndCancel(t *testing.T) {
	m := randomRBM(t, 10, 6, energy.Binary, 1, 41)
	rows := prototypes(10, 3, 30, 0.1, 2)
	betas, _ := energy.Schedule(600)
	cfg := energy.RAISEConfig{Runs: 3, Betas: betas, Seed: 8}
	a, err := m.RAISE(context.Background(), rows, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.RAISE(context.Background(), rows, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.LogProbs {
		if a.LogProbs[i] != b.LogProbs[i] {
			t.Fatalf("row %d: %v then %v with the same seed", i, a.LogProbs[i], b.LogProbs[i])
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.RAISE(ctx, rows, cfg); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v, want context.Canceled", err)
	}
}
