package energy_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/physbias/physbias/energy"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// param makes a float64 parameter of g with the given values.
func param(g *G.ExprGraph, name string, vals []float64, shape ...int) *G.Node {
	t := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), vals...)))
	return G.NewTensor(g, tensor.Float64, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(t))
}

func randVals(r *rand.Rand, n int, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = scale * r.NormFloat64()
	}
	return v
}

// rowSumSquares returns ½ Σ_j q_bj² as a (B, 1) node (a product with a
// column of halves: no reshape of the batch).
func rowSumSquares(g *G.ExprGraph, q *G.Node) (*G.Node, error) {
	d := q.Shape()[1]
	halves := make([]float64, d)
	for i := range halves {
		halves[i] = 0.5
	}
	h := G.NewConstant(tensor.New(tensor.WithShape(d, 1), tensor.WithBacking(halves)), G.WithName("test.halves"))
	sq, err := G.Square(q)
	if err != nil {
		return nil, err
	}
	return G.Mul(sq, h)
}

// skipNet is a network the package does not ship: a quadratic form plus a
// one-layer tanh network plus a linear skip term,
//
//	E(x) = ½‖xL‖² + w₂ᵀ tanh(W₁ᵀx + b₁) + cᵀx,
//
// with weights drawn from seed.
func skipNet(d, h int, seed uint64) energy.Network {
	return energy.NetworkFunc(func(g *G.ExprGraph, x *G.Node) (*G.Node, []*G.Node, error) {
		r := rand.New(rand.NewPCG(seed, 7))
		L := param(g, "L", randVals(r, d*d, 0.5), d, d)
		W1 := param(g, "W1", randVals(r, d*h, 0.8), d, h)
		b1 := param(g, "b1", randVals(r, h, 0.3), 1, h)
		w2 := param(g, "w2", randVals(r, h, 0.8), h, 1)
		c := param(g, "c", randVals(r, d, 0.5), d, 1)
		xl, err := G.Mul(x, L)
		if err != nil {
			return nil, nil, err
		}
		quad, err := rowSumSquares(g, xl)
		if err != nil {
			return nil, nil, err
		}
		a, err := G.Mul(x, W1)
		if err != nil {
			return nil, nil, err
		}
		a, err = G.BroadcastAdd(a, b1, nil, []byte{0})
		if err != nil {
			return nil, nil, err
		}
		t, err := G.Tanh(a)
		if err != nil {
			return nil, nil, err
		}
		out, err := G.Mul(t, w2)
		if err != nil {
			return nil, nil, err
		}
		skip, err := G.Mul(x, c)
		if err != nil {
			return nil, nil, err
		}
		e, err := G.Add(quad, out)
		if err != nil {
			return nil, nil, err
		}
		e, err = G.Add(e, skip)
		return e, []*G.Node{L, W1, b1, w2, c}, err
	})
}

// gaussNet is a user's Gaussian energy E(x) = ½ (x − μ)ᵀ L Lᵀ (x − μ),
// whose density is N(μ, (L Lᵀ)⁻¹), with parameters μ (1×d) and L (d×d)
// starting at mu0 and l0.
func gaussNet(mu0, l0 []float64) energy.Network {
	d := len(mu0)
	return energy.NetworkFunc(func(g *G.ExprGraph, x *G.Node) (*G.Node, []*G.Node, error) {
		mu := param(g, "mu", mu0, 1, d)
		L := param(g, "L", l0, d, d)
		c, err := G.BroadcastSub(x, mu, nil, []byte{0})
		if err != nil {
			return nil, nil, err
		}
		q, err := G.Mul(c, L)
		if err != nil {
			return nil, nil, err
		}
		e, err := rowSumSquares(g, q)
		return e, []*G.Node{mu, L}, err
	})
}

// TestNetworkGradMatchesFiniteDifferences: ∇ₓE of a user's network (from
// the core's reverse pass) against central differences of E.
func TestNetworkGradMatchesFiniteDifferences(t *testing.T) {
	const d = 3
	m, err := energy.NewNetwork(d, skipNet(d, 5, 1))
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	x := make([][]float64, 6)
	for i := range x {
		x[i] = randVals(r, d, 1)
	}
	g, err := m.Grad(x)
	if err != nil {
		t.Fatal(err)
	}
	const h = 1e-5
	worst := 0.0
	for i := range x {
		for j := range d {
			xp := [][]float64{append([]float64(nil), x[i]...), append([]float64(nil), x[i]...)}
			xp[0][j] += h
			xp[1][j] -= h
			e, err := m.Energy(xp)
			if err != nil {
				t.Fatal(err)
			}
			fd := (e[0] - e[1]) / (2 * h)
			worst = math.Max(worst, math.Abs(fd-g[i][j])/math.Max(1, math.Abs(fd)))
		}
	}
	t.Logf("∇ₓE vs central differences: worst relative error %.2g", worst)
	// Measured 7.1e-11 (the differences' own truncation and rounding).
	if worst > 5e-10 {
		t.Errorf("∇ₓE differs from finite differences by %.2g (relative)", worst)
	}
	// The energy of a batch is the energy of each row.
	e, _ := m.Energy(x)
	for i := range x {
		e1, _ := m.Energy(x[i : i+1])
		if math.Abs(e1[0]-e[i]) > 1e-13*math.Max(1, math.Abs(e[i])) {
			t.Errorf("row %d: E alone %v, in a batch %v", i, e1[0], e[i])
		}
	}
}

// TestNetworkLangevinGaussianMoments: Metropolis-adjusted Langevin on a
// user's Gaussian energy ½(x − μ)ᵀA(x − μ) samples mean μ and covariance
// A⁻¹.
func TestNetworkLangevinGaussianMoments(t *testing.T) {
	mu := []float64{1, -2}
	// A = L Lᵀ = [[2, 0.6], [0.6, 1]] (L its Cholesky factor, row-major);
	// A⁻¹ = [[1, −0.6], [−0.6, 2]] / 1.64.
	l11 := math.Sqrt(2)
	l21 := 0.6 / l11
	l22 := math.Sqrt(1 - l21*l21)
	m, err := energy.NewNetwork(2, gaussNet(mu, []float64{l11, 0, l21, l22}))
	if err != nil {
		t.Fatal(err)
	}
	const n = 2000
	r := rand.New(rand.NewPCG(5, 6))
	x0 := make([][]float64, n)
	for i := range x0 {
		x0[i] = randVals(r, 2, 2)
	}
	res, err := m.Langevin(x0, energy.LangevinConfig{Steps: 200, StepSize: 0.2, Metropolis: true, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	mean, cov := moments(res.X)
	want := [][]float64{{1 / 1.64, -0.6 / 1.64}, {-0.6 / 1.64, 2 / 1.64}}
	t.Logf("acceptance %.3f; mean %.4f (μ %v); cov %.4f (A⁻¹ %.4f)", res.Accepted, mean, mu, cov, want)
	// Measured: mean within 0.018, covariance within 0.042 (cov[1][1]).
	// Standard errors with 2,000 independent chains: mean ≈ 0.018–0.025,
	// covariance entries ≈ 0.02–0.04. Bounds are 4 standard errors.
	for i := range 2 {
		if math.Abs(mean[i]-mu[i]) > 4*math.Sqrt(want[i][i]/n) {
			t.Errorf("mean[%d] = %.4f, want %v", i, mean[i], mu[i])
		}
		for j := range 2 {
			se := math.Sqrt((want[i][j]*want[i][j] + want[i][i]*want[j][j]) / n)
			if math.Abs(cov[i][j]-want[i][j]) > 4*se {
				t.Errorf("cov[%d][%d] = %.4f, want %.4f (±%.3f)", i, j, cov[i][j], want[i][j], 4*se)
			}
		}
	}
	// The model's batched chains are the chains of the function Langevin
	// on AsEnergy (same random numbers), up to rounding.
	e, err := m.AsEnergy()
	if err != nil {
		t.Fatal(err)
	}
	cfg := energy.LangevinConfig{Steps: 30, StepSize: 0.2, Metropolis: true, Seed: 4}
	one, err := energy.Langevin(e, x0[:5], cfg)
	if err != nil {
		t.Fatal(err)
	}
	all, err := m.Langevin(x0[:5], cfg)
	if err != nil {
		t.Fatal(err)
	}
	diff := 0.0
	for k := range one.X {
		for j := range one.X[k] {
			diff = math.Max(diff, math.Abs(one.X[k][j]-all.X[k][j]))
		}
	}
	t.Logf("batched chains vs Langevin on AsEnergy: largest difference %.2g", diff)
	// Measured 0 (pure Go and OpenBLAS): the products of one row and of a
	// batch round alike here; rounding could differ in the last bits.
	if diff > 1e-12 {
		t.Errorf("batched chains differ from Langevin on AsEnergy by %.2g", diff)
	}
}

// moments returns the sample mean and covariance of the rows of x.
func moments(x [][]float64) ([]float64, [][]float64) {
	d := len(x[0])
	mean := make([]float64, d)
	for _, row := range x {
		for j, v := range row {
			mean[j] += v / float64(len(x))
		}
	}
	cov := make([][]float64, d)
	for i := range cov {
		cov[i] = make([]float64, d)
		for _, row := range x {
			for j := range d {
				cov[i][j] += (row[i] - mean[i]) * (row[j] - mean[j]) / float64(len(x)-1)
			}
		}
	}
	return mean, cov
}

// TestNetworkTrainGaussianMatchesMLE: a user's Gaussian energy trained by
// contrastive divergence with Langevin negatives and a replay buffer
// (Du & Mordatch 2019) reaches the maximum-likelihood Gaussian of its data:
// mean μ̂ = the sample mean and (L Lᵀ)⁻¹ = the sample covariance (the fixed
// point of the update matches ⟨∂E/∂θ⟩ under data and model).
func TestNetworkTrainGaussianMatchesMLE(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const n = 2000
	data := make([][]float64, n)
	for i := range data {
		z1, z2 := r.NormFloat64(), r.NormFloat64()
		// Σ = [[1, 0.5], [0.5, 0.8]] from a Cholesky factor.
		data[i] = []float64{1 + z1, -0.5 + 0.5*z1 + math.Sqrt(0.55)*z2}
	}
	mean, cov := moments(data)
	m, err := energy.NewNetwork(2, gaussNet([]float64{0, 0}, []float64{1, 0, 0, 1}))
	if err != nil {
		t.Fatal(err)
	}
	// Negatives must be samples of the model for the fixed point to be the
	// MLE: chains continue from a small buffer (almost no restarts from
	// noise, which short runs would leave too wide), and the step is small
	// (unadjusted Langevin's variance bias is about ελ/2 ≈ 4% here).
	h, err := m.Train(context.Background(), data, energy.MLPTrainConfig{Steps: 800, LR: 0.02, BatchSize: 200,
		Langevin: energy.LangevinConfig{Steps: 25, StepSize: 0.02}, BufferSize: 2000, Reinit: 1e-9, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	v := m.Values()
	mu, L := v[:2], v[2:]
	p := [][]float64{{L[0]*L[0] + L[1]*L[1], L[0]*L[2] + L[1]*L[3]}, {L[2]*L[0] + L[3]*L[1], L[2]*L[2] + L[3]*L[3]}}
	det := p[0][0]*p[1][1] - p[0][1]*p[1][0]
	got := [][]float64{{p[1][1] / det, -p[0][1] / det}, {-p[1][0] / det, p[0][0] / det}}
	t.Logf("%d steps, last loss %.4f; μ %.4f (sample mean %.4f); (LLᵀ)⁻¹ %.4f (sample covariance %.4f)",
		h.Steps, h.Loss[len(h.Loss)-1], mu, mean, got, cov)
	// Measured: μ within 0.029 of the sample mean, the covariance within
	// 0.049 (about 5% small: the Langevin bias and Adam's jitter at a
	// constant learning rate).
	for i := range 2 {
		if math.Abs(mu[i]-mean[i]) > 0.1 {
			t.Errorf("μ[%d] = %.4f, sample mean %.4f", i, mu[i], mean[i])
		}
		for j := range 2 {
			if math.Abs(got[i][j]-cov[i][j]) > 0.15 {
				t.Errorf("(LLᵀ)⁻¹[%d][%d] = %.4f, sample covariance %.4f", i, j, got[i][j], cov[i][j])
			}
		}
	}
}

// TestNetworkTrainSaveLoad: a user's network trains, saves and loads into
// a fresh model (with the same Network) that gives bit-identical energies
// and gradients and saves the same bytes; a file of another network or a
// damaged file is refused.
func TestNetworkTrainSaveLoad(t *testing.T) {
	const d = 2
	r := rand.New(rand.NewPCG(1, 2))
	data := make([][]float64, 300)
	for i := range data {
		a := 2 * math.Pi * r.Float64()
		data[i] = []float64{2*math.Cos(a) + 0.1*r.NormFloat64(), 2*math.Sin(a) + 0.1*r.NormFloat64()}
	}
	m, err := energy.NewNetwork(d, skipNet(d, 8, 5))
	if err != nil {
		t.Fatal(err)
	}
	before := m.Values()
	h, err := m.Train(context.Background(), data, energy.MLPTrainConfig{Steps: 30, BatchSize: 64, LR: 1e-2,
		Langevin: energy.LangevinConfig{Steps: 10, StepSize: 0.01}, Regularizer: 0.1, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if h.Steps != 30 || len(m.Buffer()) != 30*64 {
		t.Fatalf("history %d steps, buffer %d rows; want 30 and %d", h.Steps, len(m.Buffer()), 30*64)
	}
	after := m.Values()
	changed := false
	for i := range before {
		changed = changed || before[i] != after[i]
	}
	if !changed {
		t.Fatal("training left the parameters unchanged")
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	saved := append([]byte(nil), buf.Bytes()...)
	m2, err := energy.LoadNetwork(bytes.NewReader(saved), skipNet(d, 8, 99)) // other initial values: the file's win
	if err != nil {
		t.Fatal(err)
	}
	x := data[:20]
	e1, _ := m.Energy(x)
	e2, _ := m2.Energy(x)
	g1, _ := m.Grad(x)
	g2, _ := m2.Grad(x)
	for i := range x {
		if math.Float64bits(e1[i]) != math.Float64bits(e2[i]) {
			t.Fatalf("row %d: E %v before saving, %v after loading", i, e1[i], e2[i])
		}
		for j := range g1[i] {
			if math.Float64bits(g1[i][j]) != math.Float64bits(g2[i][j]) {
				t.Fatalf("row %d: ∇E %v before saving, %v after loading", i, g1[i], g2[i])
			}
		}
	}
	var buf2 bytes.Buffer
	if err := m2.Save(&buf2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(saved, buf2.Bytes()) {
		t.Error("the loaded model saves different bytes")
	}
	// The file path form.
	path := t.TempDir() + "/e.bin"
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	if _, err := energy.LoadNetworkFile(path, skipNet(d, 8, 5)); err != nil {
		t.Fatal(err)
	}
	// Another network's shapes: ErrInput; a damaged file: ErrCorrupt.
	if _, err := energy.LoadNetwork(bytes.NewReader(saved), skipNet(d, 7, 5)); !errors.Is(err, energy.ErrInput) {
		t.Errorf("loading with a network of other shapes: %v, want ErrInput", err)
	}
	bad := append([]byte(nil), saved...)
	bad[len(bad)-3] ^= 1
	if _, err := energy.LoadNetwork(bytes.NewReader(bad), skipNet(d, 8, 5)); !errors.Is(err, energy.ErrCorrupt) {
		t.Errorf("a damaged file: %v, want ErrCorrupt", err)
	}
	if _, err := energy.LoadNetwork(bytes.NewReader(saved[:len(saved)/2]), skipNet(d, 8, 5)); !errors.Is(err, energy.ErrCorrupt) {
		t.Errorf("a truncated file: %v, want ErrCorrupt", err)
	}
}

// TestNetworkErrors: bad networks, inputs and a cancelled context.
func TestNetworkErrors(t *testing.T) {
	ok := skipNet(2, 3, 1)
	if _, err := energy.NewNetwork(0, ok); !errors.Is(err, energy.ErrInput) {
		t.Errorf("dim 0: %v", err)
	}
	if _, err := energy.NewNetwork(2, nil); !errors.Is(err, energy.ErrInput) {
		t.Errorf("nil network: %v", err)
	}
	panics := energy.NetworkFunc(func(g *G.ExprGraph, x *G.Node) (*G.Node, []*G.Node, error) { panic("boom") })
	if _, err := energy.NewNetwork(2, panics); !errors.Is(err, energy.ErrCallback) {
		t.Errorf("a Build that panics: %v, want ErrCallback", err)
	}
	wide := energy.NetworkFunc(func(g *G.ExprGraph, x *G.Node) (*G.Node, []*G.Node, error) {
		w := param(g, "w", []float64{1, 2, 3, 4}, 2, 2)
		e, err := G.Mul(x, w) // (B, 2): not one energy a point
		return e, []*G.Node{w}, err
	})
	if _, err := energy.NewNetwork(2, wide); !errors.Is(err, energy.ErrCallback) {
		t.Errorf("energies of shape (B, 2): %v, want ErrCallback", err)
	}
	noParams := energy.NetworkFunc(func(g *G.ExprGraph, x *G.Node) (*G.Node, []*G.Node, error) {
		e, err := G.Sum(x, 1)
		return e, nil, err
	})
	if _, err := energy.NewNetwork(2, noParams); !errors.Is(err, energy.ErrCallback) {
		t.Errorf("no parameters: %v, want ErrCallback", err)
	}
	var zero energy.NetworkEnergy
	for name, err := range map[string]error{
		"Energy":   func() error { _, err := zero.Energy([][]float64{{0, 0}}); return err }(),
		"Grad":     func() error { _, err := zero.Grad([][]float64{{0, 0}}); return err }(),
		"AsEnergy": func() error { _, err := zero.AsEnergy(); return err }(),
		"Langevin": func() error { _, err := zero.Langevin([][]float64{{0, 0}}, energy.LangevinConfig{}); return err }(),
		"Train": func() error {
			_, err := zero.Train(context.Background(), [][]float64{{0, 0}}, energy.MLPTrainConfig{})
			return err
		}(),
		"Save":     zero.Save(&bytes.Buffer{}),
		"SaveFile": zero.SaveFile(t.TempDir() + "/z.bin"),
	} {
		if !errors.Is(err, energy.ErrZeroValue) {
			t.Errorf("zero value: %s: %v, want ErrZeroValue", name, err)
		}
	}
	if zero.Dim() != 0 || zero.Params() != nil || zero.Values() != nil || zero.Buffer() != nil {
		t.Error("zero value: Dim, Params, Values or Buffer not empty")
	}
	m, err := energy.NewNetwork(2, ok)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Energy([][]float64{{0, 0, 0}}); !errors.Is(err, energy.ErrInput) {
		t.Errorf("a row of 3 values: %v, want ErrInput", err)
	}
	if _, err := m.Grad([][]float64{{0, math.NaN()}}); !errors.Is(err, energy.ErrNotFinite) {
		t.Errorf("NaN input: %v, want ErrNotFinite", err)
	}
	data := [][]float64{{0, 0}, {1, 1}, {1, 0}}
	//lint:ignore SA1012 testing the nil-context error
	if _, err := m.Train(nil, data, energy.MLPTrainConfig{}); !errors.Is(err, energy.ErrInput) { //nolint:staticcheck
		t.Errorf("nil context: %v, want ErrInput", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Train(ctx, data, energy.MLPTrainConfig{Steps: 5}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v, want context.Canceled", err)
	}
	h, err := m.Train(context.Background(), data, energy.MLPTrainConfig{Steps: 1 << 20, TimeLimit: 1})
	if err != nil || h.Stop != "time limit" {
		t.Errorf("time limit: stop %q, err %v", h.Stop, err)
	}
}

// pairNet is a user's E(y, x) on z = [x, y] (B, X+Y) that the package does
// not ship: a bilinear compatibility −yᵀ(Aᵀx + a) (through a constant that
// selects y's columns) plus a small tanh network of z.
func pairNet(X, Y, h int, seed uint64) energy.Network {
	D := X + Y
	return energy.NetworkFunc(func(g *G.ExprGraph, z *G.Node) (*G.Node, []*G.Node, error) {
		r := rand.New(rand.NewPCG(seed, 9))
		A := param(g, "A", randVals(r, D*Y, 0.3), D, Y)
		W1 := param(g, "W1", randVals(r, D*h, 0.5), D, h)
		b1 := param(g, "b1", randVals(r, h, 0.1), 1, h)
		w2 := param(g, "w2", randVals(r, h, 0.5), h, 1)
		selY := make([]float64, D*Y) // z·S = y
		for k := range Y {
			selY[(X+k)*Y+k] = 1
		}
		S := G.NewConstant(tensor.New(tensor.WithShape(D, Y), tensor.WithBacking(selY)), G.WithName("test.selY"))
		ones := G.NewConstant(tensor.New(tensor.WithShape(Y, 1), tensor.WithBacking(make([]float64, Y))), G.WithName("test.zeros"))
		for i := range Y {
			ones.Value().Data().([]float64)[i] = -1
		}
		sc, err := G.Mul(z, A)
		if err != nil {
			return nil, nil, err
		}
		yv, err := G.Mul(z, S)
		if err != nil {
			return nil, nil, err
		}
		bil, err := G.HadamardProd(sc, yv)
		if err != nil {
			return nil, nil, err
		}
		bil, err = G.Mul(bil, ones) // −Σ_k y_k·score_k, (B, 1)
		if err != nil {
			return nil, nil, err
		}
		a, err := G.Mul(z, W1)
		if err != nil {
			return nil, nil, err
		}
		if a, err = G.BroadcastAdd(a, b1, nil, []byte{0}); err != nil {
			return nil, nil, err
		}
		if a, err = G.Tanh(a); err != nil {
			return nil, nil, err
		}
		mlp, err := G.Mul(a, w2)
		if err != nil {
			return nil, nil, err
		}
		e, err := G.Add(bil, mlp)
		return e, []*G.Node{A, W1, b1, w2}, err
	})
}

// TestConditionalNetwork: a user's E(y, x) trained with the hinge loss
// (most offending incorrect answer) classifies held-out blobs as the
// built-in MLP does, and saves and loads bit for bit.
func TestConditionalNetwork(t *testing.T) {
	x, y := blobs3(300, 1)
	xt, yt := blobs3(600, 2)
	answers := [][]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	c, err := energy.NewConditionalNetwork(2, 3, pairNet(2, 3, 8, 1))
	if err != nil {
		t.Fatal(err)
	}
	loss := energy.Loss{Kind: energy.Hinge}
	before, err := c.Loss(x, y, answers, loss)
	if err != nil {
		t.Fatal(err)
	}
	h, err := c.Train(context.Background(), x, y, answers, energy.ConditionalTrainConfig{Loss: loss, Steps: 1, LR: 1e-2, BatchSize: len(x), Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	// The graph's loss (E⁺ and E⁻ through selection products) is the
	// plain-Go loss before the step (measured ≤ 1e-16 apart).
	if math.IsNaN(before) || !(math.Abs(h.Loss[0]-before) <= 1e-12*math.Max(1, math.Abs(before))) {
		t.Errorf("graph loss %.15g, plain loss %.15g", h.Loss[0], before)
	}
	if _, err := c.Train(context.Background(), x, y, answers, energy.ConditionalTrainConfig{Loss: loss, Steps: 300, LR: 1e-2, BatchSize: 50, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	pred, err := c.Predict(xt, answers)
	if err != nil {
		t.Fatal(err)
	}
	acc := 0.0
	for i := range pred {
		if pred[i] == yt[i] {
			acc++
		}
	}
	acc /= float64(len(pred))
	after, _ := c.Loss(x, y, answers, loss)
	t.Logf("hinge loss %.4f → %.4f, held-out accuracy %.3f", before, after, acc)
	// Measured 1.000 (the classes overlap little: the built-in MLP's
	// test measures 0.997–1.000).
	if acc < 0.97 {
		t.Errorf("held-out accuracy %.3f, want ≥ 0.97", acc)
	}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	saved := append([]byte(nil), buf.Bytes()...)
	c2, err := energy.LoadConditionalNetwork(bytes.NewReader(saved), pairNet(2, 3, 8, 7))
	if err != nil {
		t.Fatal(err)
	}
	e1, _ := c.Energies(xt[:30], answers)
	e2, _ := c2.Energies(xt[:30], answers)
	for i := range e1 {
		for k := range e1[i] {
			if math.Float64bits(e1[i][k]) != math.Float64bits(e2[i][k]) {
				t.Fatalf("input %d, answer %d: %v before saving, %v after loading", i, k, e1[i][k], e2[i][k])
			}
		}
	}
	if _, err := energy.LoadConditional(bytes.NewReader(saved)); !errors.Is(err, energy.ErrCorrupt) {
		t.Errorf("LoadConditional on a Network's file: %v, want ErrCorrupt", err)
	}
	if _, err := energy.LoadConditionalNetwork(bytes.NewReader(saved), pairNet(2, 3, 9, 7)); !errors.Is(err, energy.ErrInput) {
		t.Errorf("loading with other shapes: %v, want ErrInput", err)
	}
	if _, err := energy.NewConditionalNetwork(0, 3, pairNet(2, 3, 8, 1)); !errors.Is(err, energy.ErrInput) {
		t.Errorf("X = 0: %v, want ErrInput", err)
	}
}
