package energy

import (
	"context"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/train"
)

// Progress is what a training run reports to TrainConfig.Progress: the
// step, the planned steps, the latest loss and the elapsed time.
type Progress = train.Progress

// History is the record of a training run: the loss of every step, the
// number of steps, the wall time and why it stopped ("step limit", "time
// limit", "cancelled").
type History = train.History

// ProgressBar returns a TrainConfig.Progress function that draws a one-line
// bar labelled label on w (nil w discards it).
func ProgressBar(w io.Writer, label string) func(Progress) { return train.ProgressBar(w, label) }

// TrainConfig sets how an RBM trains by contrastive divergence. Its zero
// value means the defaults in each field's comment.
type TrainConfig struct {
	// Steps is the number of parameter updates; 0 means 1000, negative is
	// an error.
	Steps int
	// LR is the learning rate; 0 means 0.1 for Binary visible units and
	// 0.01 for Gaussian ones (Hinton's practical guide).
	LR float64
	// FinalLR, when positive, makes the learning rate fall linearly from LR
	// at the first step to FinalLR at the last (Tieleman 2008 decays it to
	// zero for PCD); 0 means a constant LR.
	FinalLR float64
	// BatchSize is the number of data rows per update; 0 means 100, or all
	// rows if there are fewer.
	BatchSize int
	// K is the number of Gibbs steps of the negative phase (CD-k, PCD-k);
	// 0 means 1, negative is an error.
	K int
	// Persistent runs persistent contrastive divergence (Tieleman 2008):
	// the negative chains continue from one update to the next instead of
	// restarting at the data. The chains are kept across Train calls on
	// the same model (not saved by Save).
	Persistent bool
	// Chains is the number of persistent chains; 0 means BatchSize. It is
	// an error without Persistent.
	Chains int
	// Momentum is the momentum of the updates, in [0, 1); 0 means none.
	Momentum float64
	// WeightDecay is the L2 penalty on W added to the gradient; 0 means none.
	WeightDecay float64
	// Float32 computes the Gibbs steps' matrix products in single
	// precision (from a float32 copy of W taken at every update; the
	// parameters, probabilities and updates stay float64): about 1.4 times
	// as fast with OpenBLAS, slower in the pure-Go build (gonum's float32
	// products against the core's float64 kernel). The probabilities
	// differ from float64's by about 1e-7, so after a few updates the
	// sampled states, and the weights, differ from a float64 run's like
	// those of another seed. Binary visible units only.
	Float32 bool
	// Seed seeds the order of the minibatches and the Gibbs sampling.
	Seed uint64
	// Progress, if not nil, is called about 20 times during training and
	// once at the end.
	Progress func(Progress)
	// TimeLimit stops training after this wall time, without an error
	// (History.Stop is "time limit"); 0 means none.
	TimeLimit time.Duration
}

func (tc TrainConfig) withDefaults(u Units, n int) (TrainConfig, error) {
	bad := func(f string, v any, want string) error {
		return errorf(ErrInput, "TrainConfig.%s is %v; %s", f, v, want)
	}
	switch {
	case tc.Steps < 0:
		return tc, bad("Steps", tc.Steps, "must be ≥ 1 (0 means 1000)")
	case tc.K < 0:
		return tc, bad("K", tc.K, "CD-k needs k ≥ 1 Gibbs steps (0 means 1)")
	case tc.BatchSize < 0:
		return tc, bad("BatchSize", tc.BatchSize, "must be ≥ 1 (0 means 100)")
	case tc.LR < 0 || math.IsNaN(tc.LR) || math.IsInf(tc.LR, 0):
		return tc, bad("LR", tc.LR, "must be finite and > 0")
	case tc.FinalLR < 0 || math.IsNaN(tc.FinalLR) || math.IsInf(tc.FinalLR, 0):
		return tc, bad("FinalLR", tc.FinalLR, "must be finite and ≥ 0 (0 means a constant LR)")
	case !(tc.Momentum >= 0 && tc.Momentum < 1):
		return tc, bad("Momentum", tc.Momentum, "must be in [0, 1)")
	case !(tc.WeightDecay >= 0) || math.IsInf(tc.WeightDecay, 0):
		return tc, bad("WeightDecay", tc.WeightDecay, "must be finite and ≥ 0")
	case tc.Chains < 0:
		return tc, bad("Chains", tc.Chains, "must be ≥ 1 (0 means BatchSize)")
	case tc.Chains > 0 && !tc.Persistent:
		return tc, bad("Chains", tc.Chains, "only persistent CD keeps chains: set Persistent")
	case tc.TimeLimit < 0:
		return tc, bad("TimeLimit", tc.TimeLimit, "must be ≥ 0 (0 means none)")
	case tc.Float32 && u != Binary:
		return tc, bad("Float32", true, "single-precision products are for Binary visible units")
	case tc.BatchSize > n:
		return tc, bad("BatchSize", tc.BatchSize, "more than the number of data rows")
	}
	if tc.Steps == 0 {
		tc.Steps = 1000
	}
	if tc.K == 0 {
		tc.K = 1
	}
	if tc.LR == 0 {
		tc.LR = 0.1
		if u == Gaussian {
			tc.LR = 0.01
		}
	}
	if tc.BatchSize == 0 {
		tc.BatchSize = min(100, n)
	}
	if tc.Persistent && tc.Chains == 0 {
		tc.Chains = tc.BatchSize
	}
	return tc, nil
}

// cdState is one training run's buffers.
type cdState struct {
	m        *RBM
	tc       TrainConfig
	pos, neg *chains
	vw       []float64 // momentum of W, b, c (nil without momentum)
	vb, vc   []float64
	db, dc   []float64
	w32      []float32 // W in single precision (TrainConfig.Float32), refreshed every update
	pair     *pairOuter[float64]
	pair32   *pairOuter[float32]
	lr       float64 // the learning rate of the current step
}

// Train fits the RBM to data (rows of Dim() values; 0 or 1 for Binary
// units) by CD-k (Hinton 2002) or, with tc.Persistent, persistent CD
// (Tieleman 2008). Each step takes a minibatch (seeded permutations, one
// per epoch) and moves the parameters along
//
//	⟨v hᵀ⟩_data − ⟨v hᵀ⟩_model
//
// with the hidden units' probabilities in both phases and the model's
// statistics from the chains' visible samples after K Gibbs steps.
// History.Loss holds the mean squared reconstruction error of each step's
// batch (E[v | h] for h sampled from the data: the usual monitor, not the
// objective).
//
// Cancelling ctx stops after the current step with an error matching
// context.Canceled; the model keeps the last completed step. A NaN or Inf
// stops training with an error matching ErrNotFinite naming the step, and a
// panic in tc.Progress with one matching ErrCallback after the step it
// reported.
func (m *RBM) Train(ctx context.Context, data [][]float64, tc TrainConfig) (History, error) {
	var h History
	if err := m.ready(); err != nil {
		return h, err
	}
	if ctx == nil {
		return h, errorf(ErrInput, "Train: nil context (use context.Background())")
	}
	flat, err := m.checkData("Train", data)
	if err != nil {
		return h, err
	}
	n := len(data)
	tc, err = tc.withDefaults(m.cfg.Units, n)
	if err != nil {
		return h, err
	}
	r := rng.New(tc.Seed)
	s := m.newCD(tc, r)
	if tc.Persistent && len(m.chains) != tc.Chains*m.nv {
		m.chains = make([]float64, tc.Chains*m.nv)
		for k := range tc.Chains {
			i := r.IntN(n)
			copy(m.chains[k*m.nv:(k+1)*m.nv], flat[i*m.nv:(i+1)*m.nv])
		}
	}
	if tc.Persistent {
		copy(s.neg.v, m.chains)
	}
	perm := r.Perm(n)
	pos := 0
	start := time.Now()
	every := max(1, tc.Steps/20)
	var cbErr error // Progress panicked: no more calls
	report := func(done bool) {
		if len(h.Loss) > 0 && cbErr == nil {
			cbErr = progress("Train", tc.Progress, Progress{Step: len(h.Loss), Steps: tc.Steps, Loss: h.Loss[len(h.Loss)-1], Elapsed: time.Since(start), Done: done})
		}
	}
	finish := func(stop string, err error) (History, error) {
		h.Steps, h.Evals, h.Elapsed, h.Stop = len(h.Loss), len(h.Loss), time.Since(start), stop
		if tc.Persistent {
			copy(m.chains, s.neg.v)
		}
		report(true)
		if err == nil && cbErr != nil {
			err = cbErr
		}
		return h, err
	}
	for step := 1; step <= tc.Steps; step++ {
		if err := ctx.Err(); err != nil {
			return finish("cancelled", errorf(err, "Train: stopped before step %d", step))
		}
		if tc.TimeLimit > 0 && time.Since(start) >= tc.TimeLimit {
			return finish("time limit", nil)
		}
		for k := range tc.BatchSize {
			if pos == n {
				r.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
				pos = 0
			}
			i := perm[pos]
			pos++
			copy(s.pos.v[k*m.nv:(k+1)*m.nv], flat[i*m.nv:(i+1)*m.nv])
		}
		s.lr = tc.LR
		if tc.FinalLR > 0 && tc.Steps > 1 {
			f := float64(step-1) / float64(tc.Steps-1)
			s.lr = (1-f)*tc.LR + f*tc.FinalLR
		}
		loss := s.update()
		m.steps++
		if math.IsNaN(loss) || math.IsInf(loss, 0) || !finiteParams(m) {
			return finish("not finite", errorf(ErrNotFinite, "Train: step %d: the reconstruction error or a parameter is %v (lower LR?)", step, loss))
		}
		h.Loss = append(h.Loss, loss)
		if step%every == 0 && step < tc.Steps {
			if report(false); cbErr != nil {
				return finish("error", cbErr)
			}
		}
	}
	return finish("step limit", nil)
}

// finiteParams reports whether the sum of the parameters is finite (a NaN
// or an Inf among them makes it NaN or ±Inf), with four running sums so
// that the additions do not wait for each other.
func finiteParams(m *RBM) bool {
	return finiteSum(m.w) && finiteSum(m.b) && finiteSum(m.c)
}

func finiteSum(x []float64) bool {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i]
		s1 += x[i+1]
		s2 += x[i+2]
		s3 += x[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i]
	}
	s := (s0 + s1) + (s2 + s3)
	return !math.IsNaN(s) && !math.IsInf(s, 0)
}

func (m *RBM) newCD(tc TrainConfig, r *rand.Rand) *cdState {
	s := &cdState{m: m, tc: tc, pos: newChains(m, tc.BatchSize, r),
		db: make([]float64, m.nv), dc: make([]float64, m.nh)}
	if tc.Persistent {
		s.neg = newChains(m, tc.Chains, r)
	} else {
		s.neg = newChains(m, tc.BatchSize, r)
	}
	// The two phases' hidden probabilities are adjacent in memory, for the
	// one product of pairOuter.
	n, np := s.pos.n+s.neg.n, s.pos.n*m.nh
	switch {
	case m.cfg.Units == Binary && tc.Float32:
		s.w32 = make([]float32, m.nv*m.nh)
		s.pos.f = newSingle(s.pos.n, m.nv, m.nh, s.w32)
		s.neg.f = newSingle(s.neg.n, m.nv, m.nh, s.w32)
		h := make([]float32, n*m.nh)
		s.pos.f.hp, s.neg.f.hp = h[:np], h[np:]
		s.pair32 = newPairOuter[float32](n, m.nv, m.nh)
		shareAfter(s.neg.f.pk, s.pos.f.pk)
	case m.cfg.Units == Binary:
		s.pos.pk = newPacked(s.pos.n, m.nv, m.nh)
		s.neg.pk = newPacked(s.neg.n, m.nv, m.nh)
		h := make([]float64, n*m.nh)
		s.pos.hp, s.neg.hp = h[:np], h[np:]
		s.pair = newPairOuter[float64](n, m.nv, m.nh)
		shareAfter(s.neg.pk, s.pos.pk)
	}
	if tc.Momentum > 0 {
		s.vw, s.vb, s.vc = make([]float64, len(m.w)), make([]float64, m.nv), make([]float64, m.nh)
	}
	return s
}

// update does one CD-k or PCD-k step on the batch in s.pos.v and returns
// the batch's mean squared reconstruction error.
func (s *cdState) update() float64 {
	m, tc, pos, neg := s.m, s.tc, s.pos, s.neg
	nv, nh := m.nv, m.nh
	if s.w32 != nil {
		for i, x := range m.w {
			s.w32[i] = float32(x)
		}
	}
	pos.up(1, true)
	var recon float64
	if tc.Persistent {
		// The monitor: reconstruct the batch from its hidden sample.
		pos.means()
		recon = sqDiff(pos.vp, pos.v)
		for range tc.K {
			neg.up(1, true)
			neg.down(1, m.b)
		}
	} else {
		copy(neg.hs, pos.hs)
		if neg.f != nil {
			copy(neg.f.hs, pos.f.hs)
		}
		neg.down(1, m.b)
		recon = sqDiff(neg.vp, pos.v)
		for range tc.K - 1 {
			neg.up(1, true)
			neg.down(1, m.b)
		}
	}
	neg.up(1, false)
	recon /= float64(pos.n * nv)

	// Gradient of the log-likelihood estimate, applied to W, b, c (or to
	// their momentum, then to them).
	ap, an := 1/float64(pos.n), 1/float64(neg.n)
	w, b, c := m.w, m.b, m.c
	lr := s.lr
	if tc.Momentum > 0 {
		w, b, c = s.vw, s.vb, s.vc
		mu, d := tc.Momentum, lr*tc.WeightDecay
		for i, x := range m.w { // v ← μv − lr·λ·W, one pass
			w[i] = mu*w[i] - d*x
		}
		scale(b, mu)
		scale(c, mu)
	} else if tc.WeightDecay > 0 {
		scale(w, 1-lr*tc.WeightDecay)
	}
	// The packed columns are those of the last up() on each batch: pos.v
	// and neg.v have not changed since.
	s.addOuters(w, lr*ap, -lr*an)
	colMeanDiff(s.db, pos.v, ap, neg.v, an, nv)
	colMeanDiff(s.dc, pos.hp, ap, neg.hp, an, nh)
	// For Gaussian units ∂(−F)/∂b = v − b: the b terms cancel between the
	// phases, so the same difference of means is the gradient.
	axpy(b, lr, s.db)
	axpy(c, lr, s.dc)
	if tc.Momentum > 0 {
		axpy(m.w, 1, s.vw)
		axpy(m.b, 1, s.vb)
		axpy(m.c, 1, s.vc)
	}
	return recon
}

// addOuters adds ap·v⁺ᵀh⁺ + an·v⁻ᵀh⁻ to dst: in one product over the union
// of the packed columns when both batches packed, else one product each.
func (s *cdState) addOuters(dst []float64, ap, an float64) {
	pos, neg, m := s.pos, s.neg, s.m
	switch {
	case pos.f != nil && pos.f.pk.on && neg.f.pk.on:
		s.pair32.add(dst, pos.f.pk, neg.f.pk, pos.f.v, pos.n, ap, neg.f.v, neg.n, an, pos.f.hp[:(pos.n+neg.n)*m.nh], m.nv, m.nh)
	case pos.f == nil && pos.pk != nil && pos.pk.on && neg.pk.on:
		s.pair.add(dst, pos.pk, neg.pk, pos.v, pos.n, ap, neg.v, neg.n, an, pos.hp[:(pos.n+neg.n)*m.nh], m.nv, m.nh)
	default:
		pos.addOuter(dst, ap)
		neg.addOuter(dst, an)
	}
}

// colMeanDiff sets d = ap·Σ_rows x − an·Σ_rows y, for x and y of width w.
func colMeanDiff(d, x []float64, ap float64, y []float64, an float64, w int) {
	clear(d)
	for r := 0; r < len(x); r += w {
		for j, v := range x[r : r+w] {
			d[j] += ap * v
		}
	}
	for r := 0; r < len(y); r += w {
		for j, v := range y[r : r+w] {
			d[j] -= an * v
		}
	}
}

func sqDiff(a, b []float64) float64 {
	var s float64
	for i, x := range a {
		d := x - b[i]
		s += d * d
	}
	return s
}

func scale(x []float64, a float64) {
	for i := range x {
		x[i] *= a
	}
}

// axpy sets y += a·x.
func axpy(y []float64, a float64, x []float64) {
	for i, v := range x {
		y[i] += a * v
	}
}
