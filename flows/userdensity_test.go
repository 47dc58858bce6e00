package flows_test

import (
	"context"
	"math"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/physbias/physbias/flows"
	"github.com/physbias/physbias/internal/rng"
)

// A user's own target densities, none of which the package ships: a 2-D
// banana and a 4-D mixture of Gaussians, each with its exact log-density.

// Banana: x₁ ~ N(0, 1), x₂ | x₁ ~ N(½x₁² − ½, 0.3²).
const bananaStd = 0.3

func banana(n int, seed uint64) []float64 {
	r := rng.New(seed)
	x := make([]float64, 2*n)
	for i := 0; i < n; i++ {
		a := r.NormFloat64()
		x[2*i], x[2*i+1] = a, 0.5*a*a-0.5+bananaStd*r.NormFloat64()
	}
	return x
}

func logBanana(x []float64) []float64 {
	out := make([]float64, len(x)/2)
	for i := range out {
		a, b := x[2*i], x[2*i+1]
		e := (b - 0.5*a*a + 0.5) / bananaStd
		out[i] = -0.5*a*a - 0.5*e*e - math.Log(2*math.Pi) - math.Log(bananaStd)
	}
	return out
}

// mixture4 is an equal mixture of three isotropic Gaussians in 4-D.
var mixture4 = []struct {
	mean [4]float64
	std  float64
}{
	{[4]float64{1.5, 0, -1, 0.5}, 0.5},
	{[4]float64{-1.5, 1, 0.5, 0}, 0.6},
	{[4]float64{0, -1.5, 1, -1}, 0.4},
}

func mixture(n int, seed uint64) []float64 {
	r := rng.New(seed)
	x := make([]float64, 4*n)
	for i := 0; i < n; i++ {
		c := mixture4[r.IntN(len(mixture4))]
		for j := 0; j < 4; j++ {
			x[4*i+j] = c.mean[j] + c.std*r.NormFloat64()
		}
	}
	return x
}

func logMixture(x []float64) []float64 {
	out := make([]float64, len(x)/4)
	w := make([]float64, len(mixture4))
	for i := range out {
		for k, c := range mixture4 {
			s := 0.0
			for j := 0; j < 4; j++ {
				e := (x[4*i+j] - c.mean[j]) / c.std
				s += e * e
			}
			w[k] = -0.5*s - 4*math.Log(c.std) - 2*math.Log(2*math.Pi) - math.Log(float64(len(mixture4)))
		}
		mx := math.Inf(-1)
		for _, v := range w {
			mx = math.Max(mx, v)
		}
		s := 0.0
		for _, v := range w {
			s += math.Exp(v - mx)
		}
		out[i] = mx + math.Log(s)
	}
	return out
}

// trainedFlows trains an NHF and a RealNVP on a user's data once per test
// binary (the tests below share them).
type trainedFlows struct {
	once sync.Once
	nhf  *flows.NHF
	nvp  *flows.RealNVP
	err  error
}

var bananaFlows, mixtureFlows trainedFlows

func (tf *trainedFlows) get(t *testing.T, dim int, data []float64, nhf flows.NHFConfig, nvp flows.RealNVPConfig, tc flows.TrainConfig) (*flows.NHF, *flows.RealNVP) {
	t.Helper()
	tf.once.Do(func() {
		if tf.nhf, tf.err = flows.NewNHF(dim, nhf); tf.err != nil {
			return
		}
		if tf.nvp, tf.err = flows.NewRealNVP(dim, nvp); tf.err != nil {
			return
		}
		if _, tf.err = tf.nhf.Train(context.Background(), data, tc); tf.err != nil {
			return
		}
		_, tf.err = tf.nvp.Train(context.Background(), data, tc)
	})
	if tf.err != nil {
		t.Fatal(tf.err)
	}
	return tf.nhf, tf.nvp
}

// The models: an NHF of four stages of two leapfrog steps (one hidden layer
// of 32) and a RealNVP of four coupling layers (16-16), trained with Adam.
func bananaModels(t *testing.T) (*flows.NHF, *flows.RealNVP) {
	return bananaFlows.get(t, 2, banana(4000, 1),
		flows.NHFConfig{Hidden: []int{32}, Stages: 4, Leapfrog: 2, StepSize: 0.4, EvalSamples: 16, Seed: 1},
		flows.RealNVPConfig{Layers: 4, Hidden: []int{16, 16}, Seed: 1},
		flows.TrainConfig{Steps: 600, LR: 1e-2, BatchSize: 64, Seed: 1})
}

func mixtureModels(t *testing.T) (*flows.NHF, *flows.RealNVP) {
	return mixtureFlows.get(t, 4, mixture(4000, 1),
		flows.NHFConfig{Hidden: []int{32}, Stages: 4, Leapfrog: 2, StepSize: 0.4, EvalSamples: 16, Seed: 2},
		flows.RealNVPConfig{Layers: 4, Hidden: []int{16, 16}, Seed: 2},
		flows.TrainConfig{Steps: 600, LR: 1e-2, BatchSize: 64, Seed: 2})
}

// Both flows fit a user's own densities: the banana in 2-D and the mixture
// in 4-D. The gap between the exact test log-likelihood and the model's
// (a KL estimate; for the NHF's lower bound it also holds the bound's gap)
// is small next to the gap of a Gaussian fitted by moments.
func TestUserDensitiesFit(t *testing.T) {
	for _, c := range []struct {
		name           string
		dim            int
		models         func(*testing.T) (*flows.NHF, *flows.RealNVP)
		test           []float64
		exact          func([]float64) []float64
		maxNHF, maxNVP float64
	}{
		// Measured gaps (deterministic for these seeds): banana NHF 0.297,
		// RealNVP 0.017; mixture NHF 0.388, RealNVP 0.355; a Gaussian
		// fitted by moments 0.92 and 1.10.
		{"banana 2-D", 2, bananaModels, banana(2000, 2), logBanana, 0.45, 0.05},
		{"mixture 4-D", 4, mixtureModels, mixture(2000, 2), logMixture, 0.55, 0.5},
	} {
		nhf, nvp := c.models(t)
		want := meanOf(c.exact(c.test))
		gauss := want - meanOf(logMomentGaussian(c.test, c.dim))
		for _, f := range []struct {
			name string
			f    flows.Flow
			max  float64
		}{{"NHF", nhf, c.maxNHF}, {"RealNVP", nvp, c.maxNVP}} {
			lp, err := f.f.LogProb(c.test)
			if err != nil {
				t.Fatal(err)
			}
			gap := want - meanOf(lp)
			t.Logf("%s, %s: test log-likelihood %.4f, exact %.4f: gap %.4f (a Gaussian by moments: %.4f)", c.name, f.name, meanOf(lp), want, gap, gauss)
			if gap > f.max || gap < -0.02 {
				t.Errorf("%s, %s: gap %.4f, want in [−0.02, %g]", c.name, f.name, gap, f.max)
			}
		}
	}
}

// logMomentGaussian is the log-density of the Gaussian with x's mean and
// covariance, evaluated at x: the baseline a flow must beat.
func logMomentGaussian(x []float64, d int) []float64 {
	n := len(x) / d
	mu := make([]float64, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			mu[j] += x[i*d+j] / float64(n)
		}
	}
	cov := mat.NewSymDense(d, nil)
	for i := 0; i < n; i++ {
		for a := 0; a < d; a++ {
			for b := a; b < d; b++ {
				cov.SetSym(a, b, cov.At(a, b)+(x[i*d+a]-mu[a])*(x[i*d+b]-mu[b])/float64(n))
			}
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		panic("covariance not positive definite")
	}
	logdet := ch.LogDet()
	out := make([]float64, n)
	v := mat.NewVecDense(d, nil)
	var s mat.VecDense
	for i := range out {
		for j := 0; j < d; j++ {
			v.SetVec(j, x[i*d+j]-mu[j])
		}
		if err := ch.SolveVecTo(&s, v); err != nil {
			panic(err)
		}
		out[i] = -0.5*mat.Dot(v, &s) - 0.5*logdet - float64(d)/2*math.Log(2*math.Pi)
	}
	return out
}

// The trained flows' exact densities are normalised, on the banana: RealNVP's
// log-density integrates to 1 on a 2-D grid, and so does the NHF's joint
// density p(q, p) integrated over the momentum by the encoder's unbiased
// importance-sampling estimate E_{p∼f(p|q)}[p(q, p)/f(p|q)] = ∫ p(q, p) dp
// (exp of Bound with one momentum), within its standard error.
func TestUserDensityNormalised(t *testing.T) {
	nhf, nvp := bananaModels(t)
	const n, L = 300, 12.0
	g, h := grid(n, L)
	x := make([]float64, 0, 2*n*n)
	for _, a := range g {
		for _, b := range g {
			x = append(x, a, b)
		}
	}
	lp, err := nvp.LogProb(x)
	if err != nil {
		t.Fatal(err)
	}
	s := sumExp(lp) * h * h
	// Measured: 1 − 1e-6.
	t.Logf("RealNVP: ∫ p = %.6f on a %d² grid of [−%g, %g]²", s, n, L, L)
	if math.Abs(s-1) > 1e-3 {
		t.Errorf("RealNVP: ∫ p = %.6f, want 1", s)
	}

	const nb, Lb = 120, 8.0
	gb, hb := grid(nb, Lb)
	xb := make([]float64, 0, 2*nb*nb)
	for _, a := range gb {
		for _, b := range gb {
			xb = append(xb, a, b)
		}
	}
	// K one-momentum estimates at every grid point: their mean is unbiased
	// for ∫ p(q, p) dp, and their spread gives the standard error.
	const K = 32
	sum, sq := make([]float64, nb*nb), make([]float64, nb*nb)
	for j := 0; j < K; j++ {
		lb, err := nhf.Bound(xb, 1, uint64(100+j))
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range lb {
			w := math.Exp(v)
			sum[i] += w
			sq[i] += w * w
		}
	}
	var integral, variance float64
	for i := range sum {
		mean := sum[i] / K
		integral += mean
		variance += (sq[i]/K - mean*mean) / (K - 1)
	}
	integral *= hb * hb
	se := math.Sqrt(variance) * hb * hb
	// Measured: 1.0009 ± 0.0057.
	t.Logf("NHF: ∫∫ p(q, p) dp dq = %.4f ± %.4f on a %d² grid of [−%g, %g]² (the mean of %d unbiased estimates of p(q))", integral, se, nb, Lb, Lb, K)
	if math.Abs(integral-1) > 4*se || se > 0.01 {
		t.Errorf("NHF: ∫∫ p(q, p) dp dq = %.4f ± %.4f, want 1", integral, se)
	}
}

// On the trained 4-D flows (8-D phase space for the NHF): the NHF's map
// has Jacobian determinant 1 (log-det 0) by finite differences, RealNVP's
// log-determinant matches finite differences, and both invert to rounding.
func TestUserDensityVolumeAndInverse(t *testing.T) {
	nhf, nvp := mixtureModels(t)
	f := nhfMap(t, nhf, false)
	for k, x := range [][]float64{
		{1.2, 0.1, -0.8, 0.4, 0.3, -0.5, 1.1, -0.2},
		{-0.4, -1.3, 0.9, -0.9, -1.0, 0.6, 0.2, 0.8},
	} {
		J := fdJacobian(t, f, x, 1e-3)
		det := mat.Det(J)
		var I mat.Dense
		I.Sub(J, eye(8))
		t.Logf("NHF point %d: det J − 1 = %.2g, ‖J − I‖ = %.2g", k, det-1, mat.Norm(&I, 2))
		if math.Abs(det-1) > 1e-9 || mat.Norm(&I, 2) < 0.1 {
			t.Errorf("NHF point %d: det J = %.15f, ‖J − I‖ = %.3g; want 1 for a map far from the identity", k, det, mat.Norm(&I, 2))
		}
	}
	q, p, err := nhf.SampleJoint(1000, 4)
	if err != nil {
		t.Fatal(err)
	}
	q0, p0 := append([]float64(nil), q...), append([]float64(nil), p...)
	if err := nhf.Inverse(q, p); err != nil {
		t.Fatal(err)
	}
	moved := maxAbsDiff(q, q0)
	if err := nhf.Forward(q, p); err != nil {
		t.Fatal(err)
	}
	d := math.Max(maxAbsDiff(q, q0), maxAbsDiff(p, p0))
	t.Logf("NHF: round trip error %.2g; the map moves q by up to %.2g", d, moved)
	if d > 1e-12 {
		t.Errorf("NHF: Forward(Inverse(x)) misses x by %g", d)
	}

	fn := func(x []float64) []float64 {
		z := append([]float64(nil), x...)
		if _, err := nvp.ToBase(z); err != nil {
			t.Fatal(err)
		}
		return z
	}
	for k, x := range [][]float64{{1.2, 0.1, -0.8, 0.4}, {-0.4, -1.3, 0.9, -0.9}} {
		z := append([]float64(nil), x...)
		ld, err := nvp.ToBase(z)
		if err != nil {
			t.Fatal(err)
		}
		fd := math.Log(math.Abs(mat.Det(fdJacobian(t, fn, x, 1e-3))))
		t.Logf("RealNVP point %d: log det %.6f, finite differences differ by %.2g", k, ld[0], ld[0]-fd)
		if math.Abs(ld[0]-fd) > 1e-9 {
			t.Errorf("RealNVP point %d: log det %.12f, finite differences %.12f", k, ld[0], fd)
		}
	}
	x, err := nvp.Sample(1000, 5)
	if err != nil {
		t.Fatal(err)
	}
	z := append([]float64(nil), x...)
	if _, err := nvp.ToBase(z); err != nil {
		t.Fatal(err)
	}
	if err := nvp.FromBase(z); err != nil {
		t.Fatal(err)
	}
	d = maxAbsDiff(z, x)
	t.Logf("RealNVP: round trip error %.2g", d)
	if d > 1e-12 {
		t.Errorf("RealNVP: FromBase(ToBase(x)) misses x by %g", d)
	}
}

// An NHF of a user's own K(p) (learned masses) and V(q) (softplus layer and
// a quadratic) in 3-D, trained briefly on a correlated Gaussian: its map has
// Jacobian determinant 1 by finite differences in the 6-D phase space, it
// inverts to rounding at many batch sizes (each compiles its own gradient
// graph, more than the model keeps at once), and its test log-likelihood
// bound rises in training.
func TestUserNetworksIn3D(t *testing.T) {
	const dim = 3
	m, err := flows.NewNHFNetworks(dim, kinetic(dim), potential(dim, 8),
		flows.NHFConfig{Stages: 2, Leapfrog: 3, StepSize: 0.3, EncoderHidden: []int{16}, EvalSamples: 8, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	test := gaussian(300, dim, 2)
	before, err := m.LogProb(test)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), gaussian(1000, dim, 1), flows.TrainConfig{Steps: 150, LR: 1e-2, BatchSize: 64, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	after, err := m.LogProb(test)
	if err != nil {
		t.Fatal(err)
	}
	want := meanOf(logGaussian(test, dim))
	// Measured: bound −5.60 → −3.21 against the exact −3.02 (a gap of
	// 0.19, the bound's own gap included).
	t.Logf("test log-likelihood bound %.4f → %.4f, exact %.4f", meanOf(before), meanOf(after), want)
	if want-meanOf(after) > 0.4 || meanOf(after) < meanOf(before)+1 {
		t.Errorf("test log-likelihood bound %.4f → %.4f, exact %.4f", meanOf(before), meanOf(after), want)
	}

	f := nhfMap(t, m, false)
	x := []float64{0.3, -0.8, 1.2, 0.5, -0.1, 0.9}
	J := fdJacobian(t, f, x, 1e-3)
	var I mat.Dense
	I.Sub(J, eye(2*dim))
	det := mat.Det(J)
	// Measured: det − 1 = −5.9e-13, ‖J − I‖ = 3.8.
	t.Logf("det J − 1 = %.2g, ‖J − I‖ = %.2g", det-1, mat.Norm(&I, 2))
	if math.Abs(det-1) > 1e-9 || mat.Norm(&I, 2) < 0.1 {
		t.Errorf("det J = %.15f, ‖J − I‖ = %.3g", det, mat.Norm(&I, 2))
	}

	worst := 0.0
	for _, n := range []int{1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 1} {
		q, p, err := m.SampleJoint(n, uint64(n))
		if err != nil {
			t.Fatal(err)
		}
		q0, p0 := append([]float64(nil), q...), append([]float64(nil), p...)
		if err := m.Inverse(q, p); err != nil {
			t.Fatal(err)
		}
		if err := m.Forward(q, p); err != nil {
			t.Fatal(err)
		}
		worst = math.Max(worst, math.Max(maxAbsDiff(q, q0), maxAbsDiff(p, p0)))
	}
	// Measured: 1.3e-15.
	t.Logf("round trip error %.2g at 11 batch sizes", worst)
	if worst > 1e-12 {
		t.Errorf("Forward(Inverse(x)) misses x by %g", worst)
	}
}
