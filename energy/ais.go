package energy

import (
	"context"
	"math"
	"time"

	"github.com/physbias/physbias/internal/rng"
)

// AISConfig sets annealed importance sampling. Its zero value means the
// defaults in each field's comment, which are Salakhutdinov & Murray's
// (2008) settings.
type AISConfig struct {
	// Runs is the number of independent annealing runs (importance
	// weights); 0 means 100.
	Runs int
	// Betas is the schedule of inverse temperatures, increasing from 0 to
	// 1 (first 0, last 1); nil means Salakhutdinov & Murray's 14,500
	// values: 500 evenly spaced in [0, 0.5), 4,000 in [0.5, 0.9) and
	// 10,000 in [0.9, 1]. See Schedule.
	Betas []float64
	// Data, if not nil, sets the base model's visible biases to the data's
	// base rates (Binary units: log p̄/(1 − p̄) with p̄ the mean of each
	// unit, smoothed by one pseudo-count of 1/2 each way; Gaussian units:
	// the mean); nil means zero biases (the uniform distribution for
	// Binary units, N(0, I) for Gaussian ones). A better base model
	// gives a smaller error bar, not a different answer.
	Data [][]float64
	// Seed seeds the runs.
	Seed uint64
	// Progress, if not nil, is called about 20 times with Step counting
	// intermediate distributions and Loss holding the running estimate of
	// log Z.
	Progress func(Progress)
}

// AISResult is an estimate of log Z with its error bar.
type AISResult struct {
	// LogZ is log of the mean importance weight times Z of the base model:
	// an unbiased estimate of Z, so LogZ tends to underestimate log Z
	// (Jensen), by about StdErr²/2.
	LogZ float64
	// Lower and Upper are log(Ẑ ∓ 3·se), with se the standard error of
	// the mean weight (Salakhutdinov & Murray's ±3σ bar); Lower is −Inf
	// when the bar reaches zero.
	Lower, Upper float64
	// StdErr is se/Ẑ, the standard error of LogZ to first order.
	StdErr float64
	// LogZBase is log Z of the base model.
	LogZBase float64
	// LogWeights are the log importance weights of the runs.
	LogWeights []float64
}

// Schedule returns n inverse temperatures, increasing from 0 to 1, spaced
// like Salakhutdinov & Murray's schedule: 1/29 of them evenly in [0, 0.5),
// 8/29 in [0.5, 0.9) and the rest in [0.9, 1] (n = 14,500 gives their 500,
// 4,000 and 10,000). n must be at least 3.
func Schedule(n int) ([]float64, error) {
	if n < 3 {
		return nil, errorf(ErrInput, "Schedule: n = %d; need at least 3 inverse temperatures", n)
	}
	n1 := max(1, n/29)
	n2 := max(1, 8*n/29)
	n3 := n - n1 - n2
	b := make([]float64, 0, n)
	for i := range n1 {
		b = append(b, 0.5*float64(i)/float64(n1))
	}
	for i := range n2 {
		b = append(b, 0.5+0.4*float64(i)/float64(n2))
	}
	for i := range n3 {
		b = append(b, 0.9+0.1*float64(i)/float64(n3-1))
	}
	return b, nil
}

// AIS estimates log Z by annealed importance sampling (Neal 2001;
// Salakhutdinov & Murray 2008): runs start from a base model with the
// same visible units and no interactions (W = 0, c = 0), whose Z is known,
// and pass through the intermediate models
//
//	p*_β(v) = exp(visible_β(v)) Π_j (1 + exp(β(c_j + (vW)_j))),
//
// visible_β(v) = ((1−β)b_A + βb)ᵀv for Binary units and
// −½(1−β)‖v − b_A‖² − ½β‖v − b‖² for Gaussian ones, each run taking one
// Gibbs step at each β and collecting the ratios p*_{β_k}(v)/p*_{β_{k−1}}(v).
// The mean of the weights, times the base's Z, estimates Z without bias.
// Cancelling ctx stops it with an error matching context.Canceled.
func (m *RBM) AIS(ctx context.Context, cfg AISConfig) (AISResult, error) {
	var res AISResult
	if err := m.ready(); err != nil {
		return res, err
	}
	if ctx == nil {
		return res, errorf(ErrInput, "AIS: nil context (use context.Background())")
	}
	if cfg.Runs < 0 {
		return res, errorf(ErrInput, "AISConfig.Runs is %d; must be ≥ 1 (0 means 100)", cfg.Runs)
	}
	if cfg.Runs == 0 {
		cfg.Runs = 100
	}
	betas, err := checkBetas("AISConfig.Betas", cfg.Betas)
	if err != nil {
		return res, err
	}
	M := cfg.Runs
	base, logZBase, err := m.aisBase("AISConfig.Data", cfg.Data)
	if err != nil {
		return res, err
	}
	nv, nh := m.nv, m.nh
	res.LogZBase = logZBase

	g := newChains(m, M, rng.New(cfg.Seed))
	// Draw the runs' first states from the base model.
	if m.cfg.Units == Binary {
		p := make([]float64, nv)
		copy(p, base)
		sigmoidInPlace(p, 1)
		for r := range M {
			sampleBinary(p, g.v[r*nv:(r+1)*nv], g.r)
		}
	} else {
		for r := range M {
			sampleGaussian(base, g.v[r*nv:(r+1)*nv], g.r)
		}
	}
	logw := make([]float64, M)
	bias := make([]float64, nv)
	zeroBias := make([]float64, nh)
	start := time.Now()
	every := max(1, len(betas)/20)
	for k := 1; k < len(betas); k++ {
		if k%256 == 0 {
			if err := ctx.Err(); err != nil {
				return res, errorf(err, "AIS: stopped at intermediate distribution %d of %d", k, len(betas)-1)
			}
		}
		b0, b1 := betas[k-1], betas[k]
		// One product gives the hidden inputs for both the weight and the
		// transition at b1.
		pre(M, nv, nh, g.v, m.w, m.c, g.hp)
		for r := range M {
			v := g.v[r*nv : (r+1)*nv]
			var d float64
			for _, a := range g.hp[r*nh : (r+1)*nh] {
				d += softplus(b1*a) - softplus(b0*a)
			}
			logw[r] += d + m.visibleAIS(v, base, b1) - m.visibleAIS(v, base, b0)
		}
		if k == len(betas)-1 {
			break
		}
		heatBath(g.hp, nh, zeroBias, b1, g.hp, g.hs, g.r) // hp holds vW + c
		for i := range bias {
			bias[i] = (1-b1)*base[i] + b1*m.b[i]
		}
		g.down(b1, bias)
		if cfg.Progress != nil && k%every == 0 {
			est, _, _, _ := meanLogWeight(logw)
			if err := progress("AIS", cfg.Progress, Progress{Step: k, Steps: len(betas) - 1, Loss: res.LogZBase + est, Elapsed: time.Since(start)}); err != nil {
				return res, err
			}
		}
	}
	mean, lo, hi, se := meanLogWeight(logw)
	res.LogZ = res.LogZBase + mean
	res.Lower, res.Upper = res.LogZBase+lo, res.LogZBase+hi
	res.StdErr = se
	res.LogWeights = logw
	if math.IsNaN(res.LogZ) || math.IsInf(res.LogZ, 0) {
		return res, errorf(ErrNotFinite, "AIS: log Z estimate is %v", res.LogZ)
	}
	return res, progress("AIS", cfg.Progress, Progress{Step: len(betas) - 1, Steps: len(betas) - 1, Loss: res.LogZ, Elapsed: time.Since(start), Done: true})
}

// checkBetas returns betas, or Salakhutdinov & Murray's 14,500 values
// when it is nil, after checking that it rises from 0 to 1.
func checkBetas(what string, betas []float64) ([]float64, error) {
	if betas == nil {
		betas, _ = Schedule(14500)
	}
	if len(betas) < 2 || betas[0] != 0 || betas[len(betas)-1] != 1 {
		return nil, errorf(ErrInput, "%s: need at least 2 values from 0 to 1, got %d", what, len(betas))
	}
	for k := 1; k < len(betas); k++ {
		if !(betas[k] > betas[k-1]) {
			return nil, errorf(ErrInput, "%s: not increasing at %d (%v after %v)", what, k, betas[k], betas[k-1])
		}
	}
	return betas, nil
}

// aisBase returns the visible biases (Binary units) or means (Gaussian
// units) of the base model of annealing, at the base rates of data (zero
// for nil data; see AISConfig.Data), and the base model's log Z.
func (m *RBM) aisBase(what string, data [][]float64) (base []float64, logZ float64, err error) {
	nv, nh := m.nv, m.nh
	base = make([]float64, nv)
	if data != nil {
		flat, err := m.checkData(what, data)
		if err != nil {
			return nil, 0, err
		}
		n := float64(len(data))
		for r := 0; r < len(flat); r += nv {
			axpy(base, 1, flat[r:r+nv])
		}
		for i := range base {
			if m.cfg.Units == Binary {
				p := (base[i] + 0.5) / (n + 1)
				base[i] = math.Log(p / (1 - p))
			} else {
				base[i] /= n
			}
		}
	}
	logZ = float64(nh) * math.Ln2
	for _, x := range base {
		if m.cfg.Units == Binary {
			logZ += softplus(x)
		}
	}
	if m.cfg.Units == Gaussian {
		logZ += float64(nv) / 2 * math.Log(2*math.Pi)
	}
	return base, logZ, nil
}

// visibleAIS returns visible_β(v) of the intermediate model at beta.
func (m *RBM) visibleAIS(v, base []float64, beta float64) float64 {
	var s float64
	if m.cfg.Units == Binary {
		for i, x := range v {
			s += ((1-beta)*base[i] + beta*m.b[i]) * x
		}
		return s
	}
	for i, x := range v {
		d0, d1 := x-base[i], x-m.b[i]
		s -= ((1-beta)*d0*d0 + beta*d1*d1) / 2
	}
	return s
}

// meanLogWeight returns log of the mean of exp(lw), log(mean ∓ 3·se) and
// se/mean, computed relative to the largest weight.
func meanLogWeight(lw []float64) (mean, lo, hi, rel float64) {
	top := math.Inf(-1)
	for _, x := range lw {
		top = math.Max(top, x)
	}
	n := float64(len(lw))
	var s, s2 float64
	for _, x := range lw {
		w := math.Exp(x - top)
		s += w
		s2 += w * w
	}
	mu := s / n
	var sd float64
	if len(lw) > 1 {
		sd = math.Sqrt(math.Max(0, (s2-n*mu*mu)/(n-1)))
	}
	se := sd / math.Sqrt(n)
	lo = math.Inf(-1)
	if mu > 3*se {
		lo = top + math.Log(mu-3*se)
	}
	return top + math.Log(mu), lo, top + math.Log(mu+3*se), se / mu
}
