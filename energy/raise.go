package energy

import (
	"context"
	"math"
	"time"

	"github.com/physbias/physbias/internal/rng"
)

// RAISEConfig sets the reverse AIS estimator (RAISE). Its zero value means
// the defaults in each field's comment.
type RAISEConfig struct {
	// Runs is the number of reverse runs started from each row of the
	// data; 0 means 1. More runs tighten each row's lower bound (the mean
	// of more weights); more rows, not more runs, shrink the error of a
	// mean over a data set.
	Runs int
	// Betas is the schedule of inverse temperatures, increasing from 0 to
	// 1, as in AISConfig; nil means Salakhutdinov & Murray's 14,500 values
	// (Schedule(14500)). It defines the annealing model whose
	// log-likelihood RAISE bounds: more values bring that model closer to
	// the RBM.
	Betas []float64
	// Data, if not nil, sets the base model's visible biases or means to
	// the base rates of these rows, as AISConfig.Data does (pass the
	// training data, not the rows being scored).
	Data [][]float64
	// Seed seeds the runs.
	Seed uint64
	// Progress, if not nil, is called about 20 times with Step counting
	// intermediate distributions (over all blocks of runs) and Loss
	// holding the mean log weight of the current block so far (its
	// log-probability estimate once the block reaches β = 0).
	Progress func(Progress)
}

// RAISEResult holds RAISE's estimates of log-probabilities.
type RAISEResult struct {
	// LogProbs are, for each row v, log of the mean of its runs' weights:
	// an unbiased estimate of p_ann(v) taken to the log, so a stochastic
	// lower bound on log p_ann(v) (Jensen).
	LogProbs []float64
	// StdErrs are, for each row, the standard error of the mean weight
	// over the mean (the first-order standard error of LogProbs; 0 with
	// one run).
	StdErrs []float64
	// LogLikelihood is the mean of LogProbs.
	LogLikelihood float64
	// LogZ is the mean over the rows of −F(v) − LogProbs(v): the log Z
	// that RAISE's estimates imply. m.LogLikelihood(rows, LogZ) on any
	// set of rows, larger than the scored ones, gives a conservative
	// log-likelihood that uses every row's exact free energy and RAISE
	// only for the correction (−F and LogProbs are tightly correlated, so
	// this has a far smaller error than the mean of LogProbs alone; Burda
	// et al. use control variates to the same end).
	LogZ float64
	// LogZStdErr is the standard error of LogZ over the rows (0 for one
	// row).
	LogZStdErr float64
}

// RAISE estimates the log-probability of each row of data by the reverse
// AIS estimator of Burda, Grosse & Salakhutdinov (2015, "Accurate and
// conservative estimates of MRF log-likelihood using reverse annealing").
//
// Forward AIS (RBM.AIS) with the schedule β_0 = 0 < … < β_K = 1 defines a
// generative model of its own, the annealing model p_ann: draw v_0 from
// the base model, then v_k by one Gibbs step of the intermediate model at
// β_k for k = 1 … K, and emit v_K. RAISE runs that chain backwards from a
// data row, v_K = v, v_{k−1} drawn by the Gibbs step at β_k (its own
// reversal: the v → h → v step is reversible), and weighs each run by
//
//	w = p_0(v_0) Π_{k=1..K} p*_k(v_k)/p*_k(v_{k−1}),
//
// whose mean is exactly p_ann(v). Its log is a stochastic lower bound on
// log p_ann(v), and p_ann tends to the RBM as K grows. Where p_ann is the
// worse model of the data (Burda et al. find this the usual case), RAISE
// errs low where forward AIS, which tends to underestimate log Z, errs
// high, and the two bracket the log-likelihood; where the annealing model
// fits the data better than the RBM (it reaches the RBM's mass away from
// the data least), RAISE errs high too: on a CD-1-trained 64×20 RBM, by
// 0.27 nats at 1,000 inverse temperatures and 0.02 at 10,000. The
// intermediate models p*_k are those of AIS (the same base model and
// schedule).
//
// Each row costs one annealing run per Runs; score a random subset of a
// large test set and use RAISEResult.LogZ with LogLikelihood for the whole
// set. Cancelling ctx stops it with an error matching context.Canceled.
func (m *RBM) RAISE(ctx context.Context, data [][]float64, cfg RAISEConfig) (RAISEResult, error) {
	var res RAISEResult
	if err := m.ready(); err != nil {
		return res, err
	}
	if ctx == nil {
		return res, errorf(ErrInput, "RAISE: nil context (use context.Background())")
	}
	if cfg.Runs < 0 {
		return res, errorf(ErrInput, "RAISEConfig.Runs is %d; must be ≥ 1 (0 means 1)", cfg.Runs)
	}
	if cfg.Runs == 0 {
		cfg.Runs = 1
	}
	betas, err := checkBetas("RAISEConfig.Betas", cfg.Betas)
	if err != nil {
		return res, err
	}
	flat, err := m.checkData("RAISE data", data)
	if err != nil {
		return res, err
	}
	base, logZBase, err := m.aisBase("RAISEConfig.Data", cfg.Data)
	if err != nil {
		return res, err
	}
	nv, nh, n, R := m.nv, m.nh, len(data), cfg.Runs
	if n > math.MaxInt/R {
		return res, errorf(ErrInput, "RAISE: %d rows × %d runs is too many", n, R)
	}
	free := make([]float64, n)
	m.hiddenTerm(flat, n, 1, make([]float64, n*nh), free)
	for r := range n {
		free[r] = -free[r] - m.visibleTerm(flat[r*nv:(r+1)*nv])
	}

	// The runs go in blocks of whole rows, at most raiseBlock chains (and
	// at least one row) at a time, each block from its own stream.
	rowsPer := max(1, raiseBlock/R)
	total := n * R
	logw := make([]float64, total)
	K := len(betas) - 1
	stepsAll := K * ((n + rowsPer - 1) / rowsPer)
	every := max(1, stepsAll/20)
	start := time.Now()
	done := 0
	src := rng.New(cfg.Seed)
	for r0 := 0; r0 < n; r0 += rowsPer {
		r1 := min(n, r0+rowsPer)
		M := (r1 - r0) * R
		g := newChains(m, M, rng.New(src.Uint64()))
		for c := range M {
			row := r0 + c/R
			copy(g.v[c*nv:(c+1)*nv], flat[row*nv:(row+1)*nv])
		}
		lw := logw[r0*R : r1*R]
		for c := range lw {
			lw[c] = -free[r0+c/R] - logZBase
		}
		if err := m.reverseRuns(ctx, g, betas, base, lw, func(k int) error {
			done++
			if cfg.Progress == nil || done%every != 0 {
				return nil
			}
			var s float64
			for c := range lw {
				s += lw[c]
			}
			return progress("RAISE", cfg.Progress, Progress{Step: done, Steps: stepsAll, Loss: s / float64(len(lw)), Elapsed: time.Since(start)})
		}); err != nil {
			return res, err
		}
	}

	res.LogProbs = make([]float64, n)
	res.StdErrs = make([]float64, n)
	var sumLP, sumZ, sumZ2 float64
	for r := range n {
		mean, _, _, se := meanLogWeight(logw[r*R : (r+1)*R])
		res.LogProbs[r], res.StdErrs[r] = mean, se
		if math.IsNaN(mean) || math.IsInf(mean, 0) {
			return res, errorf(ErrNotFinite, "RAISE: row %d's log-probability estimate is %v", r, mean)
		}
		sumLP += mean
		z := -free[r] - mean
		sumZ += z
		sumZ2 += z * z
	}
	fn := float64(n)
	res.LogLikelihood = sumLP / fn
	res.LogZ = sumZ / fn
	if n > 1 {
		res.LogZStdErr = math.Sqrt(math.Max(0, (sumZ2-fn*res.LogZ*res.LogZ)/(fn-1)) / fn)
	}
	return res, progress("RAISE", cfg.Progress, Progress{Step: stepsAll, Steps: stepsAll, Loss: res.LogLikelihood, Elapsed: time.Since(start), Done: true})
}

// raiseBlock is the most chains RAISE runs at once (more rows at a time
// only make bigger products, and memory grows with them).
const raiseBlock = 1000

// reverseRuns anneals the chains g from β = 1 down to 0 along betas,
// adding to lw (one value a chain) log p*_{k−1}(v_{k−1}) − log p*_k(v_{k−1})
// after the Gibbs step at β_k that draws v_{k−1} from v_k; tick is called
// after each step with its k.
func (m *RBM) reverseRuns(ctx context.Context, g *chains, betas, base, lw []float64, tick func(k int) error) error {
	nv, nh, M := m.nv, m.nh, g.n
	bias := make([]float64, nv)
	zeroBias := make([]float64, nh)
	K := len(betas) - 1
	pre(M, nv, nh, g.v, m.w, m.c, g.hp) // hp = vW + c of v_K
	for k := K; k >= 1; k-- {
		if k%256 == 0 {
			if err := ctx.Err(); err != nil {
				return errorf(err, "RAISE: stopped at intermediate distribution %d of %d", K-k, K)
			}
		}
		b1, b0 := betas[k], betas[k-1]
		// The Gibbs step at b1: h from σ(b1(vW + c)), v from the visible
		// conditional at b1.
		heatBath(g.hp, nh, zeroBias, b1, g.hp, g.hs, g.r)
		for i := range bias {
			bias[i] = (1-b1)*base[i] + b1*m.b[i]
		}
		g.down(b1, bias)
		// One product gives the weight's hidden terms and the next step's
		// hidden inputs.
		pre(M, nv, nh, g.v, m.w, m.c, g.hp)
		for r := range M {
			v := g.v[r*nv : (r+1)*nv]
			var d float64
			for _, a := range g.hp[r*nh : (r+1)*nh] {
				d += softplus(b0*a) - softplus(b1*a)
			}
			lw[r] += d + m.visibleAIS(v, base, b0) - m.visibleAIS(v, base, b1)
		}
		if err := tick(k); err != nil {
			return err
		}
	}
	return nil
}
