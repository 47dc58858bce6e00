package energy_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/physbias/physbias/energy"
)

// randomRBM returns an RBM with weights N(0, std²) and biases N(0, 0.5²),
// set through the public SetWeights (a model trained elsewhere).
func randomRBM(t *testing.T, nv, nh int, units energy.Units, std float64, seed uint64) *energy.RBM {
	t.Helper()
	m, err := energy.New(energy.Config{Visible: nv, Hidden: nh, Units: units, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 7))
	w := make([][]float64, nv)
	for i := range w {
		w[i] = make([]float64, nh)
		for j := range w[i] {
			w[i][j] = std * r.NormFloat64()
		}
	}
	b, c := make([]float64, nv), make([]float64, nh)
	for i := range b {
		b[i] = 0.5 * r.NormFloat64()
	}
	for j := range c {
		c[j] = 0.5 * r.NormFloat64()
	}
	if err := m.SetWeights(w, b, c); err != nil {
		t.Fatal(err)
	}
	return m
}

// bruteLogZ sums exp(−E(v, h)) over every binary v and h.
func bruteLogZ(t *testing.T, m *energy.RBM) float64 {
	t.Helper()
	w, b, c, err := m.Weights()
	if err != nil {
		t.Fatal(err)
	}
	nv, nh := len(b), len(c)
	var terms []float64
	for kv := range 1 << nv {
		for kh := range 1 << nh {
			var negE float64
			for i := range nv {
				vi := float64((kv >> i) & 1)
				negE += b[i] * vi
				for j := range nh {
					negE += vi * w[i][j] * float64((kh>>j)&1)
				}
			}
			for j := range nh {
				negE += c[j] * float64((kh>>j)&1)
			}
			terms = append(terms, negE)
		}
	}
	top := math.Inf(-1)
	for _, x := range terms {
		top = math.Max(top, x)
	}
	var s float64
	for _, x := range terms {
		s += math.Exp(x - top)
	}
	return top + math.Log(s)
}

// LogPartition against the brute-force double sum over v and h, on both of
// its branches (enumerating v when it is the smaller layer, h otherwise).
func TestLogPartitionBinary(t *testing.T) {
	for _, sz := range [][2]int{{4, 6}, {6, 4}, {5, 5}, {1, 7}} {
		m := randomRBM(t, sz[0], sz[1], energy.Binary, 1, uint64(sz[0]*10+sz[1]))
		got, err := m.LogPartition()
		if err != nil {
			t.Fatal(err)
		}
		want := bruteLogZ(t, m)
		// Measured differences ≤ 4e-15.
		if d := math.Abs(got - want); d > 1e-12 {
			t.Errorf("%d×%d: log Z = %.15g, brute force %.15g (diff %.2g)", sz[0], sz[1], got, want, d)
		}
	}
}

// For Gaussian visible units, log Z against a quadrature of exp(−F(v)) over
// one visible unit (trapezoid on [−30, 30], spectrally accurate for this
// smooth, fast-decaying integrand).
func TestLogPartitionGaussian(t *testing.T) {
	m := randomRBM(t, 1, 5, energy.Gaussian, 1, 3)
	got, err := m.LogPartition()
	if err != nil {
		t.Fatal(err)
	}
	const n = 6001
	vs := make([][]float64, n)
	for k := range vs {
		vs[k] = []float64{-30 + 60*float64(k)/float64(n-1)}
	}
	f, err := m.FreeEnergy(vs)
	if err != nil {
		t.Fatal(err)
	}
	var s float64
	for _, x := range f {
		s += math.Exp(-x)
	}
	want := math.Log(s * 60 / float64(n-1))
	// Measured difference 4e-15.
	if d := math.Abs(got - want); d > 1e-10 {
		t.Errorf("log Z = %.15g, quadrature %.15g (diff %.2g)", got, want, d)
	}
}

// FreeEnergy is −log Σ_h exp(−E(v, h)); with log Z the probabilities of
// all 2^V visible states sum to one.
func TestFreeEnergyNormalises(t *testing.T) {
	m := randomRBM(t, 7, 3, energy.Binary, 1, 5)
	var vs [][]float64
	for k := range 1 << 7 {
		v := make([]float64, 7)
		for i := range v {
			v[i] = float64((k >> i) & 1)
		}
		vs = append(vs, v)
	}
	f, err := m.FreeEnergy(vs)
	if err != nil {
		t.Fatal(err)
	}
	z, _ := m.LogPartition()
	var s float64
	for _, x := range f {
		s += math.Exp(-x - z)
	}
	if math.Abs(s-1) > 1e-12 {
		t.Errorf("Σ p(v) = %.15g, want 1", s)
	}
}

// Must show: an RBM with 16 hidden units on 3×3 bars and stripes comes
// close to the best possible log-likelihood, −log 14, and persistent CD
// beats CD-1 at the same number of updates.
func TestBarsAndStripesPCDBeatsCD(t *testing.T) {
	data, err := energy.BarsAndStripes(3)
	if err != nil {
		t.Fatal(err)
	}
	best := -math.Log(float64(len(data)))
	ll := map[bool]float64{}
	for _, pcd := range []bool{false, true} {
		m, err := energy.New(energy.Config{Visible: 9, Hidden: 16, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		tc := energy.TrainConfig{Steps: 10000, LR: 0.1, FinalLR: 0.001, BatchSize: len(data), Persistent: pcd, Seed: 2}
		if pcd {
			tc.Chains = 100
		}
		if _, err := m.Train(context.Background(), data, tc); err != nil {
			t.Fatal(err)
		}
		z, err := m.LogPartition()
		if err != nil {
			t.Fatal(err)
		}
		ll[pcd], err = m.LogLikelihood(data, z)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("persistent=%v: log-likelihood %.4f, best %.4f, gap %.4f nats", pcd, ll[pcd], best, best-ll[pcd])
	}
	// Measured: PCD gap 0.147 nats, CD-1 gap 0.453 nats.
	if gap := best - ll[true]; gap > 0.25 {
		t.Errorf("PCD: gap to the best log-likelihood %.3f nats, want ≤ 0.25", gap)
	}
	if ll[true] < ll[false]+0.15 {
		t.Errorf("PCD log-likelihood %.4f does not beat CD-1's %.4f by 0.15 nats", ll[true], ll[false])
	}
}

// Must show: AIS agrees with exact enumeration within its error bar, for
// binary and Gaussian visible units.
func TestAISMatchesExact(t *testing.T) {
	for _, tc := range []struct {
		units  energy.Units
		nv, nh int
		std    float64
	}{
		{energy.Binary, 30, 10, 0.5},
		{energy.Gaussian, 12, 10, 0.3},
	} {
		m := randomRBM(t, tc.nv, tc.nh, tc.units, tc.std, 9)
		exact, err := m.LogPartition()
		if err != nil {
			t.Fatal(err)
		}
		betas, err := energy.Schedule(1000)
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.AIS(context.Background(), energy.AISConfig{Runs: 100, Betas: betas, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%v %d×%d: exact %.4f, AIS %.4f [%.4f, %.4f], se %.4f", tc.units, tc.nv, tc.nh, exact, res.LogZ, res.Lower, res.Upper, res.StdErr)
		if exact < res.Lower || exact > res.Upper {
			t.Errorf("%v: exact log Z %.4f outside AIS's ±3σ bar [%.4f, %.4f]", tc.units, exact, res.Lower, res.Upper)
		}
		if res.Upper-res.Lower > 0.5 {
			t.Errorf("%v: AIS bar [%.4f, %.4f] is too wide to mean anything", tc.units, res.Lower, res.Upper)
		}
	}
}

// A user's own data (random sparse patterns, not shipped by the package):
// train, save, load into a fresh model, and get bit-identical free
// energies and samples.
func TestSaveLoadBitIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	data := make([][]float64, 50)
	for k := range data {
		data[k] = make([]float64, 12)
		for i := range data[k] {
			if r.Float64() < 0.2+0.05*float64(i%4) {
				data[k][i] = 1
			}
		}
	}
	m, err := energy.New(energy.Config{Visible: 12, Hidden: 7, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), data, energy.TrainConfig{Steps: 200, K: 3, Momentum: 0.5, WeightDecay: 1e-4, BatchSize: 10}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	saved := append([]byte(nil), buf.Bytes()...)
	m2, err := energy.Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Config() != m.Config() {
		t.Errorf("config %+v, want %+v", m2.Config(), m.Config())
	}
	f1, _ := m.FreeEnergy(data)
	f2, _ := m2.FreeEnergy(data)
	s1, _ := m.Sample(data, 2, 9)
	s2, _ := m2.Sample(data, 2, 9)
	for k := range data {
		if math.Float64bits(f1[k]) != math.Float64bits(f2[k]) {
			t.Fatalf("row %d: free energy %v after load, %v before", k, f2[k], f1[k])
		}
		for i := range s1[k] {
			if s1[k][i] != s2[k][i] {
				t.Fatalf("row %d: samples differ after load", k)
			}
		}
	}
	// Corrupt or foreign files are ErrCorrupt, never a panic.
	for i := 0; i < len(saved); i += 37 {
		bad := append([]byte(nil), saved...)
		bad[i] ^= 0x40
		if _, err := energy.Load(bytes.NewReader(bad)); !errors.Is(err, energy.ErrCorrupt) {
			t.Fatalf("byte %d flipped: error %v, want ErrCorrupt", i, err)
		}
	}
	for _, n := range []int{0, 10, 40, len(saved) - 1} {
		if _, err := energy.Load(bytes.NewReader(saved[:n])); !errors.Is(err, energy.ErrCorrupt) {
			t.Fatalf("truncated to %d bytes: error %v, want ErrCorrupt", n, err)
		}
	}
}

// Same seed, same result.
func TestTrainDeterministic(t *testing.T) {
	data, _ := energy.BarsAndStripes(3)
	var f [2][]float64
	for k := range f {
		m, _ := energy.New(energy.Config{Visible: 9, Hidden: 5, Seed: 1})
		if _, err := m.Train(context.Background(), data, energy.TrainConfig{Steps: 50, BatchSize: 5, Persistent: true, Seed: 8}); err != nil {
			t.Fatal(err)
		}
		f[k], _ = m.FreeEnergy(data)
	}
	for i := range f[0] {
		if f[0][i] != f[1][i] {
			t.Fatalf("free energy %d: %v and %v from the same seeds", i, f[0][i], f[1][i])
		}
	}
}

// Must show: bad input returns errors (visible-size mismatch, k < 1,
// non-binary data for a binary RBM, NaN data, bad configs, zero values).
func TestRBMBadInput(t *testing.T) {
	ctx := context.Background()
	m, err := energy.New(energy.Config{Visible: 4, Hidden: 3})
	if err != nil {
		t.Fatal(err)
	}
	good := [][]float64{{0, 1, 1, 0}, {1, 0, 0, 1}}
	cases := []struct {
		name string
		err  error
		kind error
	}{
		{"visible mismatch", func() error { _, err := m.Train(ctx, [][]float64{{0, 1, 1}}, energy.TrainConfig{}); return err }(), energy.ErrInput},
		{"k < 1 in Sample", func() error { _, err := m.Sample(good, 0, 1); return err }(), energy.ErrInput},
		{"K < 0", func() error { _, err := m.Train(ctx, good, energy.TrainConfig{K: -1}); return err }(), energy.ErrInput},
		{"non-binary data", func() error { _, err := m.Train(ctx, [][]float64{{0, 0.5, 1, 0}}, energy.TrainConfig{}); return err }(), energy.ErrInput},
		{"NaN data", func() error { _, err := m.FreeEnergy([][]float64{{0, math.NaN(), 1, 0}}); return err }(), energy.ErrNotFinite},
		{"no data", func() error { _, err := m.Train(ctx, nil, energy.TrainConfig{}); return err }(), energy.ErrInput},
		{"batch > rows", func() error { _, err := m.Train(ctx, good, energy.TrainConfig{BatchSize: 3}); return err }(), energy.ErrInput},
		{"chains without PCD", func() error { _, err := m.Train(ctx, good, energy.TrainConfig{Chains: 3}); return err }(), energy.ErrInput},
		{"negative LR", func() error { _, err := m.Train(ctx, good, energy.TrainConfig{LR: -1}); return err }(), energy.ErrInput},
		{"momentum 1", func() error { _, err := m.Train(ctx, good, energy.TrainConfig{Momentum: 1}); return err }(), energy.ErrInput},
		{"zero visible", func() error { _, err := energy.New(energy.Config{Hidden: 3}); return err }(), energy.ErrInput},
		{"bad units", func() error { _, err := energy.New(energy.Config{Visible: 2, Hidden: 3, Units: 7}); return err }(), energy.ErrInput},
		{"AIS betas", func() error { _, err := m.AIS(ctx, energy.AISConfig{Betas: []float64{0, 0.5, 0.4, 1}}); return err }(), energy.ErrInput},
		{"AIS data mismatch", func() error { _, err := m.AIS(ctx, energy.AISConfig{Data: [][]float64{{1}}}); return err }(), energy.ErrInput},
		{"RAISE betas", func() error {
			_, err := m.RAISE(ctx, good, energy.RAISEConfig{Betas: []float64{0.1, 1}})
			return err
		}(), energy.ErrInput},
		{"RAISE runs", func() error { _, err := m.RAISE(ctx, good, energy.RAISEConfig{Runs: -1}); return err }(), energy.ErrInput},
		{"RAISE no rows", func() error { _, err := m.RAISE(ctx, nil, energy.RAISEConfig{}); return err }(), energy.ErrInput},
		{"RAISE non-binary row", func() error {
			_, err := m.RAISE(ctx, [][]float64{{0, 2, 1, 0}}, energy.RAISEConfig{})
			return err
		}(), energy.ErrInput},
		{"RAISE NaN row", func() error {
			_, err := m.RAISE(ctx, [][]float64{{0, math.NaN(), 1, 0}}, energy.RAISEConfig{})
			return err
		}(), energy.ErrNotFinite},
		{"RAISE base data mismatch", func() error {
			_, err := m.RAISE(ctx, good, energy.RAISEConfig{Data: [][]float64{{1}}})
			return err
		}(), energy.ErrInput},
		{"RAISE nil context", func() error {
			_, err := m.RAISE(nil, good, energy.RAISEConfig{}) //nolint:staticcheck // a nil context is the bad input tested
			return err
		}(), energy.ErrInput},
		{"too big to enumerate", func() error {
			big, _ := energy.New(energy.Config{Visible: 30, Hidden: 30})
			_, err := big.LogPartition()
			return err
		}(), energy.ErrInput},
		{"zero RBM", func() error { var z energy.RBM; _, err := z.Train(ctx, good, energy.TrainConfig{}); return err }(), energy.ErrZeroValue},
		{"nil RBM", func() error { var z *energy.RBM; _, err := z.LogPartition(); return err }(), energy.ErrZeroValue},
		{"SetWeights shape", m.SetWeights([][]float64{{1, 2, 3}}, make([]float64, 4), make([]float64, 3)), energy.ErrInput},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.kind) {
			t.Errorf("%s: error %v, want one matching %v", c.name, c.err, c.kind)
		} else if c.err.Error()[:8] != "energy: " {
			t.Errorf("%s: message %q does not start with \"energy: \"", c.name, c.err)
		}
	}
	// Gaussian units take real data.
	g, _ := energy.New(energy.Config{Visible: 2, Hidden: 2, Units: energy.Gaussian})
	if _, err := g.Train(ctx, [][]float64{{0.3, -1.2}, {2, 0.1}}, energy.TrainConfig{Steps: 5}); err != nil {
		t.Errorf("Gaussian RBM on real data: %v", err)
	}
}

// Cancelling the context stops training with context.Canceled and the
// steps done so far; a time limit stops without an error.
func TestTrainCancel(t *testing.T) {
	data, _ := energy.BarsAndStripes(3)
	m, _ := energy.New(energy.Config{Visible: 9, Hidden: 4})
	ctx, cancel := context.WithCancel(context.Background())
	steps := 0
	h, err := m.Train(ctx, data, energy.TrainConfig{Steps: 1000, Progress: func(p energy.Progress) {
		steps = p.Step
		if p.Step >= 100 {
			cancel()
		}
	}})
	_ = steps
	if !errors.Is(err, context.Canceled) || h.Steps < 100 || h.Steps >= 1000 || h.Stop != "cancelled" {
		t.Errorf("after cancel: %d steps, stop %q, error %v", h.Steps, h.Stop, err)
	}
}
