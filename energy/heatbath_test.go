package energy

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/physbias/physbias/internal/spin"
)

// TestExpNegMatchesMath: the exponential of the heat-bath kernel against
// math.Exp over the whole range σ uses, and σ against internal/spin's
// UpProbability (the heat-bath probability it stands in for).
func TestExpNegMatchesMath(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	worstExp, worstSig := 0.0, 0.0
	check := func(z float64) {
		want := math.Exp(-z)
		got := expNeg(z)
		if e := math.Abs(got-want) / want; e > worstExp {
			worstExp = e
		}
		ws := spin.UpProbability(z)
		if e := math.Abs(sigmoidFast(z)-ws) / ws; e > worstSig {
			worstSig = e
		}
	}
	for range 200000 {
		check(r.NormFloat64() * 8)
		check((r.Float64()*2 - 1) * 700)
	}
	for _, z := range []float64{0, -0, 1e-300, -1e-300, math.Ln2 / 128, 700, -700, 708, -708} {
		check(z)
	}
	// The assembly σ (when the CPU has AVX2) on the same arguments.
	zs := make([]float64, 400000)
	for i := range zs {
		if i%2 == 0 {
			zs[i] = r.NormFloat64() * 8
		} else {
			zs[i] = (r.Float64()*2 - 1) * 700
		}
	}
	ps, zero := make([]float64, len(zs)), make([]float64, len(zs))
	sigmoidAVX2(&zs[0], &zero[0], &ps[0], len(zs), 1)
	worstAsm := 0.0
	for i, z := range zs {
		ws := spin.UpProbability(z)
		worstAsm = math.Max(worstAsm, math.Abs(ps[i]-ws)/ws)
	}
	t.Logf("assembly σ (used: %v) vs spin.UpProbability: worst relative error %.2g", haveAVX2, worstAsm)
	// Measured 5.0e-16.
	if worstAsm > 1.5e-15 {
		t.Errorf("assembly σ off by %.2g (relative)", worstAsm)
	}
	ends := []float64{800, -800, math.NaN(), math.Inf(1)}
	pe := make([]float64, 4)
	sigmoidAVX2(&ends[0], &zero[0], &pe[0], 4, 1)
	if pe[0] != 1 || !(pe[1] < 1e-300) || !math.IsNaN(pe[2]) || pe[3] != 1 {
		t.Errorf("assembly σ at 800, −800, NaN, +Inf: %v", pe)
	}
	t.Logf("expNeg vs math.Exp: worst relative error %.2g; σ vs spin.UpProbability %.2g", worstExp, worstSig)
	// Measured 4.7e-16 and 5.4e-16 (two to three units in the last place).
	if worstExp > 1e-15 || worstSig > 1e-15 {
		t.Errorf("expNeg off by %.2g, σ by %.2g (relative)", worstExp, worstSig)
	}
	// The ends: σ is 1 far right, tiny far left, NaN for NaN.
	if sigmoidFast(800) != 1 || !(sigmoidFast(-800) < 1e-300) || !math.IsNaN(sigmoidFast(math.NaN())) {
		t.Errorf("σ(800) = %v, σ(−800) = %v, σ(NaN) = %v", sigmoidFast(800), sigmoidFast(-800), sigmoidFast(math.NaN()))
	}
}

// TestHeatBathDrawsLikeSampleBinary: the fused pass gives the probabilities
// of the three passes it replaced (to rounding) and the same draws from the
// same random numbers.
func TestHeatBathDrawsLikeSampleBinary(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n, w = 7, 33
	a := make([]float64, n*w)
	bias := make([]float64, w)
	for i := range a {
		a[i] = 4 * r.NormFloat64()
	}
	for j := range bias {
		bias[j] = r.NormFloat64()
	}
	const beta = 0.7
	want := make([]float64, n*w)
	for i, x := range a {
		want[i] = beta*x + bias[i%w]
	}
	sigmoidInPlace(want, 1)
	ws := make([]float64, n*w)
	sampleBinary(want, ws, rand.New(rand.NewPCG(5, 6)))
	p, s := make([]float64, n*w), make([]float64, n*w)
	heatBath(a, w, bias, beta, p, s, rand.New(rand.NewPCG(5, 6)))
	// β·a + bias is one fused multiply-add in the assembly σ: the input
	// differs by up to an ulp, σ by up to |z|(1 − σ) ulps (measured 1.0e-15
	// relative at z ≈ −6).
	for i := range p {
		if math.Abs(p[i]-want[i]) > 4e-15*want[i] || s[i] != ws[i] {
			t.Fatalf("unit %d: p %v s %v, want %v and %v", i, p[i], s[i], want[i], ws[i])
		}
	}
}

// BenchmarkHeatBath is the fused pass on a layer of 100×500 units (σ and a
// draw for each), the hidden layer of the MNIST RBM's CD-1 benchmark.
func BenchmarkHeatBath(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const n, w = 100, 500
	a, p, s, bias := make([]float64, n*w), make([]float64, n*w), make([]float64, n*w), make([]float64, w)
	for i := range a {
		a[i] = 3 * r.NormFloat64()
	}
	for b.Loop() {
		heatBath(a, w, bias, 1, p, s, r)
	}
}
