package flows

import (
	"context"
	"math"
	"strconv"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/rng"
)

// The networks of an NHF, in the order of its parameters: the encoder's
// two, then V(q) and K(p) of each stage (netV(s), netK(s)).
const (
	netMean   = 0 // mean of the momentum encoder f(p|q)
	netLogStd = 1 // log standard deviation of f(p|q)
)

func netV(stage int) int { return 2 + 2*stage }
func netK(stage int) int { return 3 + 2*stage }

var log2Pi = math.Log(2 * math.Pi)

// NHF is a Neural Hamiltonian Flow (Toth et al. 2019): learned separable
// Hamiltonians H(q, p) = K(p) + V(q) (one per stage), integrated by leapfrog
// from a standard normal base density on the phase space (q₀, p₀),
// transform it into a density on (q, p) with log-determinant zero, so
//
//	log p(q, p) = log N(q₀; 0, I) + log N(p₀; 0, I),  (q₀, p₀) = leapfrog⁻¹(q, p)
//
// exactly. The data are the positions q; the momentum is auxiliary and is
// integrated out by a learned Gaussian encoder f(p|q) (the paper's
// variational treatment), which gives the evidence lower bound
//
//	log p(q) ≥ E_{p∼f(p|q)} [log p(q, p) − log f(p|q)],
//
// trained by maximum likelihood with gradients through every leapfrog step.
type NHF struct {
	dim  int
	cfg  NHFConfig
	p    *params
	user bool // K and V are a user's Networks (NewNHFNetworks)
}

// NewNHF returns an untrained NHF for data of dimension dim (the length of
// q; the phase space has 2·dim coordinates), with the weights drawn from
// cfg.Seed.
func NewNHF(dim int, cfg NHFConfig) (*NHF, error) {
	if dim < 1 || dim > 1<<16 {
		return nil, errorf(ErrInput, "NHF data dimension %d; must be between 1 and 65536", dim)
	}
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	specs := nhfSpecs(dim, c)
	if err := checkParams(specs); err != nil {
		return nil, err
	}
	p, err := newParams(specs, c.Seed)
	if err != nil {
		return nil, err
	}
	return &NHF{dim: dim, cfg: c, p: p}, nil
}

func nhfSpecs(dim int, c NHFConfig) []netSpec {
	h := append(append([]int{dim}, c.Hidden...), 1)
	e := append(append([]int{dim}, c.EncoderHidden...), dim)
	specs := []netSpec{{name: "encoder.mean", sizes: e}, {name: "encoder.logstd", sizes: e}}
	for s := 0; s < c.Stages; s++ {
		st := "stage" + strconv.Itoa(s)
		specs = append(specs, netSpec{name: st + ".V", sizes: h}, netSpec{name: st + ".K", sizes: h})
	}
	return specs
}

func (m *NHF) ok() error {
	if m == nil || m.p == nil {
		return errorf(ErrZeroValue, "NHF: use NewNHF or Load")
	}
	return nil
}

// Dim returns the data dimension (the length of q).
func (m *NHF) Dim() int {
	if m.ok() != nil {
		return 0
	}
	return m.dim
}

// Config returns the configuration with its defaults filled in.
func (m *NHF) Config() NHFConfig {
	if m.ok() != nil {
		return NHFConfig{}
	}
	c := m.cfg
	c.Hidden = append([]int(nil), c.Hidden...)
	c.EncoderHidden = append([]int(nil), c.EncoderHidden...)
	return c
}

// NumParams returns the number of weights and biases of all networks (V
// and K of every stage, and the encoder's mean and log standard
// deviation).
func (m *NHF) NumParams() int {
	if m.ok() != nil {
		return 0
	}
	return m.p.count()
}

// Hamiltonian returns the learned Hamiltonian H = K(p) + V(q) of a stage
// (0 to Stages−1) as a Separable (a snapshot of the current weights; later
// training does not change it). Leapfrog with it, the model's step size and
// its Leapfrog steps is that stage's part of Forward.
func (m *NHF) Hamiltonian(stage int) (Separable, error) {
	if err := m.ok(); err != nil {
		return Separable{}, err
	}
	if stage < 0 || stage >= m.cfg.Stages {
		return Separable{}, errorf(ErrInput, "Hamiltonian: stage %d; the model has stages 0 to %d", stage, m.cfg.Stages-1)
	}
	if m.user {
		v, k := m.p.evals[netV(stage)], m.p.evals[netK(stage)]
		return Separable{Dim: m.dim, GradK: k.grad, GradV: v.grad}, nil
	}
	v, k := m.p.net(netV(stage)), m.p.net(netK(stage))
	return Separable{
		Dim:   m.dim,
		GradK: func(p, g []float64) { inputGrad(k, p, g) },
		GradV: func(q, g []float64) { inputGrad(v, q, g) },
	}, nil
}

// inputGrad sets g = ∇f at the rows of x for a scalar network f; a
// failure (rows that do not fit the network) gives NaN, which the
// leapfrog's finiteness check reports.
func inputGrad(f *ad.Dense, x, g []float64) {
	if _, err := f.InputGradBatch(g, x); err != nil {
		for i := range g {
			g[i] = math.NaN()
		}
	}
}

// Forward maps base points (q₀, p₀) to the flow's points (q, p) in place:
// the leapfrog steps of each stage in turn. Its Jacobian determinant is 1.
func (m *NHF) Forward(q, p []float64) error {
	if err := m.ok(); err != nil {
		return err
	}
	for s := 0; s < m.cfg.Stages; s++ {
		h, _ := m.Hamiltonian(s)
		if err := Leapfrog(h, q, p, m.cfg.StepSize, m.cfg.Leapfrog); err != nil {
			return err
		}
	}
	return nil
}

// Inverse maps the flow's points (q, p) back to the base in place; it
// undoes Forward to rounding.
func (m *NHF) Inverse(q, p []float64) error {
	if err := m.ok(); err != nil {
		return err
	}
	for s := m.cfg.Stages - 1; s >= 0; s-- {
		h, _ := m.Hamiltonian(s)
		if err := LeapfrogInverse(h, q, p, m.cfg.StepSize, m.cfg.Leapfrog); err != nil {
			return err
		}
	}
	return nil
}

// LogJoint returns the exact log-density log p(q, p) of the flow at each
// row of (q, p) (rows of Dim values each).
func (m *NHF) LogJoint(q, p []float64) ([]float64, error) {
	if err := m.ok(); err != nil {
		return nil, err
	}
	if _, err := checkData("LogJoint q", q, m.dim); err != nil {
		return nil, err
	}
	if len(p) != len(q) {
		return nil, errorf(ErrInput, "LogJoint: q has %d values and p %d; want the same", len(q), len(p))
	}
	q0, p0 := append([]float64(nil), q...), append([]float64(nil), p...)
	if err := m.Inverse(q0, p0); err != nil {
		return nil, err
	}
	return m.logBase(q0, p0), nil
}

// logBase returns log N(q₀; 0, I) + log N(p₀; 0, I) for each row.
func (m *NHF) logBase(q0, p0 []float64) []float64 {
	d := m.dim
	out := make([]float64, len(q0)/d)
	for r := range out {
		s := 0.0
		for i := r * d; i < (r+1)*d; i++ {
			s += q0[i]*q0[i] + p0[i]*p0[i]
		}
		out[r] = -0.5*s - float64(d)*log2Pi
	}
	return out
}

// Bound returns, for each data point (row of x), the importance-weighted
// lower bound on log p(q) with k momenta drawn from the encoder (seeded):
//
//	log (1/k) Σⱼ p(q, pⱼ)/f(pⱼ|q),  pⱼ ∼ f(p|q).
//
// With k = 1 it is the evidence lower bound the model trains on; its
// expectation rises towards log p(q) as k grows (Burda et al. 2016).
func (m *NHF) Bound(x []float64, k int, seed uint64) ([]float64, error) {
	if err := m.ok(); err != nil {
		return nil, err
	}
	n, err := checkData("Bound data", x, m.dim)
	if err != nil {
		return nil, err
	}
	if err := checkCount("Bound: the number of momenta k", k, m.dim); err != nil {
		return nil, err
	}
	d := m.dim
	mean, logStd := m.p.net(netMean), m.p.net(netLogStd)
	r := rng.New(seed)
	out := make([]float64, n)
	chunk := max(1, 4096/k)
	for lo := 0; lo < n; lo += chunk {
		hi := min(n, lo+chunk)
		B := (hi - lo) * k
		q := make([]float64, B*d)
		for i := lo; i < hi; i++ {
			for j := 0; j < k; j++ {
				copy(q[((i-lo)*k+j)*d:], x[i*d:(i+1)*d])
			}
		}
		mu, err := mean.ForwardBatch(nil, q)
		if err != nil {
			return nil, errorf(ErrInput, "Bound: encoder mean: %w", err)
		}
		ls, err := logStd.ForwardBatch(nil, q)
		if err != nil {
			return nil, errorf(ErrInput, "Bound: encoder log std: %w", err)
		}
		p := make([]float64, B*d)
		logf := make([]float64, B)
		for b := 0; b < B; b++ {
			s := 0.0
			for i := b * d; i < (b+1)*d; i++ {
				e := r.NormFloat64()
				p[i] = mu[i] + math.Exp(ls[i])*e
				s += -ls[i] - 0.5*e*e
			}
			logf[b] = s - 0.5*float64(d)*log2Pi
		}
		if err := m.Inverse(q, p); err != nil {
			return nil, err
		}
		lj := m.logBase(q, p)
		for i := lo; i < hi; i++ {
			w := make([]float64, k)
			for j := range w {
				b := (i-lo)*k + j
				w[j] = lj[b] - logf[b]
			}
			out[i] = logMeanExp(w)
		}
	}
	if err := finite("Bound result", out); err != nil {
		return out, err
	}
	return out, nil
}

// LogProb returns the importance-weighted bound on log p(q) of each row of
// x with Config().EvalSamples momenta drawn from a seed fixed by the model's
// Seed (so it is deterministic); see Bound.
func (m *NHF) LogProb(x []float64) ([]float64, error) {
	if err := m.ok(); err != nil {
		return nil, err
	}
	return m.Bound(x, m.cfg.EvalSamples, m.cfg.Seed^0x9e3779b97f4a7c15)
}

// Sample draws n points q of the flow (rows of Dim values): (q₀, p₀) from
// the standard normal base, mapped by Forward, with p dropped.
func (m *NHF) Sample(n int, seed uint64) ([]float64, error) {
	q, _, err := m.SampleJoint(n, seed)
	return q, err
}

// SampleJoint draws n points (q, p) of the flow's joint density.
func (m *NHF) SampleJoint(n int, seed uint64) (q, p []float64, err error) {
	if err := m.ok(); err != nil {
		return nil, nil, err
	}
	if err := checkCount("Sample: n", n, m.dim); err != nil {
		return nil, nil, err
	}
	r := rng.New(seed)
	q, p = make([]float64, n*m.dim), make([]float64, n*m.dim)
	for i := range q {
		q[i] = r.NormFloat64()
	}
	for i := range p {
		p[i] = r.NormFloat64()
	}
	if err := m.Forward(q, p); err != nil {
		return nil, nil, err
	}
	return q, p, nil
}

// logMeanExp returns log((1/n) Σ exp(w_i)) without overflow.
func logMeanExp(w []float64) float64 {
	mx := math.Inf(-1)
	for _, v := range w {
		mx = max(mx, v)
	}
	if math.IsInf(mx, 0) {
		return mx
	}
	s := 0.0
	for _, v := range w {
		s += math.Exp(v - mx)
	}
	return mx + math.Log(s/float64(len(w)))
}

// Train fits the flow to the points x (rows of Dim values, row-major) by
// maximising the evidence lower bound with Adam: each step draws one
// momentum per point from the encoder by reparameterisation,
// p = μ(q) + σ(q)⊙ε, runs the leapfrog steps backward from (q, p) to the
// base on the graph and backpropagates through them. The derivatives ∇V(q)
// and ∇K(p) in the graph come from internal/ad's exact fused input
// gradients, or, for a user's networks (NewNHFNetworks), from
// internal/grad's exact general ones. Training continues from the current
// weights.
//
// Cancelling ctx (which must not be nil) stops training after the current
// step: Train returns the history so far and an error matching
// context.Canceled, and the model keeps the weights of the last completed
// step; tc.TimeLimit stops the same way without an error (History.Stop
// "time limit"). The first NaN or Inf loss or gradient stops with an error
// matching ErrNotFinite that names the step, the weights those before it;
// a panic of tc.Progress stops with an error matching ErrCallback.
func (m *NHF) Train(ctx context.Context, x []float64, tc TrainConfig) (History, error) {
	if err := m.ok(); err != nil {
		return History{}, err
	}
	if ctx == nil {
		return History{}, errorf(ErrInput, "Train: nil context (use context.Background())")
	}
	n, tc, b, ms, err := m.p.trainGraph(x, m.dim, tc)
	if err != nil {
		return History{}, err
	}
	B, d := tc.BatchSize, m.dim
	q, qs := b.input("q", B, d)
	eps, es := b.input("eps", B, d)
	loss := m.lossGraph(b, ms, q, eps, B)
	if b.Err() != nil {
		return History{}, b.Err()
	}
	r := rng.Stream(tc.Seed, 1)
	feed := func(idx []int) error {
		for j, i := range idx {
			copy(qs[j*d:(j+1)*d], x[i*d:(i+1)*d])
		}
		for i := range es {
			es[i] = r.NormFloat64()
		}
		return nil
	}
	// The output biases of V and K shift them by constants and drop out of
	// their gradients, the only way they enter the flow: not trained.
	var ps []*G.Node
	for i, n := range ms {
		ps = append(ps, n.trainable(i >= netV(0))...)
	}
	return m.p.fitRead(ctx, b, ms, loss, ps, n, feed, tc)
}
