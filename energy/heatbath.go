package energy

import (
	"math"
	"math/rand/v2"
)

// The heat-bath move of a layer of binary units: unit i of a row turns on
// with probability σ(β·a_i + bias_i), the logistic function that
// internal/spin's UpProbability computes. In CD training this pass ran
// after each matrix product as three passes (a bias copy, σ, the draw) with
// one math.Exp each; here it is one pass, with an exponential of its own
// (expNeg) that agrees with math.Exp to a few units in the last place
// (TestExpNegMatchesMath) and a σ without the branch on the sign of its
// argument, which the random signs of a layer's inputs mispredict half the
// time. The draws are those of sampleBinary: one r.Float64() per unit in
// order, the unit on when it is below the probability.

// exp2Table[j] = 2^(j/64).
var exp2Table = func() (t [64]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 64)
	}
	return t
}()

const (
	// ln 2 / 64 in two parts (math.Exp's split of ln 2): the high part has
	// trailing zero bits, so k·ln2by64Hi is exact for the k used here.
	ln2by64Hi  = 6.93147180369123816490e-01 / 64
	ln2by64Lo  = 1.90821492927058770002e-10 / 64
	invLn2x64  = 64 / math.Ln2
	roundMagic = 1.5 * (1 << 52)
)

// expNeg returns e^(−t) for t ≥ −708 (larger arguments than 708 give the
// value at 708, and a NaN gives NaN): e^(−t) = 2^(k/64)·e^r with
// k = round(−64t/ln 2), |r| ≤ ln 2/128, 2^(k/64) from the table and the
// exponent bits, and e^r from a degree-5 Taylor polynomial (error below
// 2e-17 relative).
func expNeg(t float64) float64 {
	// Clamped (e^(−708) ≈ 3e-308 gives a σ of 1 to double precision) with
	// branches, which are predictable here and measured faster than the
	// min and max builtins; a NaN passes through both.
	x := -t
	if x > 709 {
		x = 709
	}
	if x < -708 {
		x = -708
	}
	// Round to the nearest integer by adding and subtracting 1.5·2^52.
	kf := (x*invLn2x64 + roundMagic) - roundMagic
	r := (x - kf*ln2by64Hi) - kf*ln2by64Lo
	k := int64(kf)
	p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120)))))
	scale := math.Float64frombits(uint64((k>>6)+1023) << 52)
	return exp2Table[k&63] * scale * p
}

// sigmoidFast returns σ(z) = 1/(1 + e^(−z)), with no branch on the sign of
// z (for z < −709 it gives about 1e-308 instead of a smaller number).
func sigmoidFast(z float64) float64 {
	return 1 / (1 + expNeg(z))
}

// b2f returns 1 for true and 0 for false, without a branch.
func b2f(b bool) float64 {
	var i uint64
	if b {
		i = 1
	}
	return float64(i)
}

// heatBath sets, for each row of a (rows of width w, row-major),
// p = σ(beta·a + bias) (bias of length w) and, when s is not nil, draws s
// from p: s_i = 1 when r.Float64() < p_i, else 0, in order. p may be a.
func heatBath(a []float64, w int, bias []float64, beta float64, p, s []float64, r *rand.Rand) {
	heatBathT(a, w, bias, beta, p, nil, s, nil, r)
}

// heatBathT is heatBath for inputs of either precision; p32 and s32, when
// not nil, get single-precision copies of p and s (the operands of the
// next float32 product).
func heatBathT[A float32 | float64](a []A, w int, bias []float64, beta float64, p []float64, p32 []float32, s []float64, s32 []float32, r *rand.Rand) {
	bias = bias[:w]
	for o := 0; o+w <= len(a); o += w {
		row, prow := a[o:o+w], p[o:o+w]
		if haveAVX2 && w >= 4 {
			src, ok := any(row).([]float64)
			if !ok { // float32 inputs: widen into p, then σ in place
				for j, x := range row {
					prow[j] = float64(x)
				}
				src = prow
			}
			n4 := w &^ 3
			sigmoidAVX2(&src[0], &bias[0], &prow[0], n4, beta)
			for j := n4; j < w; j++ {
				prow[j] = sigmoidFast(beta*src[j] + bias[j])
			}
		} else {
			for j, x := range row {
				prow[j] = sigmoidFast(beta*float64(x) + bias[j])
			}
		}
		if p32 != nil {
			for j, q := range prow {
				p32[o+j] = float32(q)
			}
		}
		if s == nil {
			continue
		}
		srow := s[o : o+w]
		for j, q := range prow {
			srow[j] = b2f(r.Float64() < q)
		}
		if s32 != nil {
			for j, x := range srow {
				s32[o+j] = float32(x)
			}
		}
	}
}
