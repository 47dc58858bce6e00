package pinn

import (
	"errors"
	"math"

	"github.com/physbias/physbias/internal/build"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Causal is causal training (Wang, Sankaran and Perdikaris 2022,
// "Respecting causality is all you need for training physics-informed
// neural networks", Comput. Methods Appl. Mech. Eng. 421, 116813): the
// collocation points are split into Slabs equal time slabs, and the
// residual loss becomes
//
//	L_r = (1/M) Σ_i w_i L_i,  w_i = exp(−ε Σ_{k<i} L_k),  w_1 = 1,
//
// where L_i is the mean square residual on slab i. The weights are
// constants of each step (no gradient flows through them), so a slab
// trains only once the slabs before it have a small residual: the
// solution is learnt forward in time, as the PDE propagates it. The
// weights are monotone non-increasing in time and rise to 1 as the loss
// falls.
//
// The schedule is the paper's Algorithm 1: ε runs through Eps in order,
// each until min_i w_i > Delta; once the last ε meets it, training stops
// with History.Stop = StopCausal. The weights are computed before every
// Adam step from the slab losses of the previous step (so they lag by one
// step; the first step of a fresh model uses w = 1); during an L-BFGS phase
// they stay fixed at their value at its start, since a loss that changes
// under it breaks the line search.
type Causal struct {
	// Slabs is the number M of time slabs; 0 means 32. Each slab must hold
	// at least one collocation point.
	Slabs int
	// Eps is the causality schedule, each ε ≥ 0; nil means the paper's
	// [1e-2, 1e-1, 1, 10, 100].
	Eps []float64
	// Delta is the threshold on min_i w_i that moves the schedule on, in
	// (0, 1); 0 means the paper's 0.99.
	Delta float64
}

// StopCausal is History.Stop when causal training met its stopping rule
// for the last ε of its schedule.
const StopCausal = "causal schedule done"

// errCausalDone ends a phase from Feed when the schedule is done.
var errCausalDone = errors.New("causal schedule done")

func (c Causal) withDefaults() (Causal, error) {
	if c.Slabs < 0 {
		return c, errorf(ErrInput, "Config.Causal.Slabs = %d, want ≥ 1 (0 means 32)", c.Slabs)
	}
	if c.Slabs == 0 {
		c.Slabs = 32
	}
	if c.Eps != nil && len(c.Eps) == 0 {
		return c, errorf(ErrInput, "Config.Causal.Eps is empty; nil means the paper's schedule")
	}
	for i, e := range c.Eps {
		if !(e >= 0) || math.IsInf(e, 0) {
			return c, errorf(ErrInput, "Config.Causal.Eps[%d] = %v, want ≥ 0", i, e)
		}
	}
	if c.Eps == nil {
		c.Eps = []float64{1e-2, 1e-1, 1, 10, 100}
	} else {
		c.Eps = append([]float64(nil), c.Eps...)
	}
	if c.Delta == 0 {
		c.Delta = 0.99
	}
	if !(c.Delta > 0 && c.Delta < 1) {
		return c, errorf(ErrInput, "Config.Causal.Delta = %v, want in (0, 1) (0 means 0.99)", c.Delta)
	}
	return c, nil
}

// CausalWeights returns w_i = exp(−ε Σ_{k<i} L_k) for the slab losses L
// (earliest slab first): w_1 = 1, and w is non-increasing. It is the rule
// Causal applies at every step, offered for inspection and plots.
func CausalWeights(eps float64, losses []float64) ([]float64, error) {
	if !(eps >= 0) || math.IsInf(eps, 0) {
		return nil, errorf(ErrInput, "CausalWeights: ε = %v, want ≥ 0", eps)
	}
	if len(losses) == 0 {
		return nil, errorf(ErrInput, "CausalWeights: zero time slabs")
	}
	w := make([]float64, len(losses))
	var cum float64
	for i, l := range losses {
		if !(l >= 0) || math.IsInf(l, 0) {
			return nil, errorf(ErrNotFinite, "CausalWeights: slab %d has loss %v, want finite and ≥ 0", i, l)
		}
		w[i] = math.Exp(-eps * cum)
		cum += l
	}
	return w, nil
}

// slabMatrix returns the (M, B) matrix S with S[i][k] = 1/n_i when point k
// lies in time slab i (n_i points there), so that S·r² holds the slabs'
// mean square residuals.
func (m *Model) slabMatrix(pts [][]float64) ([]float64, error) {
	M := m.cfg.Causal.Slabs
	ti := m.prob.Domain.TimeIndex()
	iv := m.prob.Domain.Time
	slab := make([]int, len(pts))
	count := make([]int, M)
	for k, p := range pts {
		i := int(math.Floor((p[ti] - iv.Lo) / iv.Width() * float64(M)))
		i = min(max(i, 0), M-1)
		slab[k] = i
		count[i]++
	}
	for i, c := range count {
		if c == 0 {
			return nil, errorf(ErrInput, "Config.Causal: time slab %d of %d holds no collocation point (%d points in all); use fewer Slabs or more points", i, M, len(pts))
		}
	}
	s := make([]float64, M*len(pts))
	for k, i := range slab {
		s[i*len(pts)+k] = 1 / float64(count[i])
	}
	return s, nil
}

// causalResidual builds the causal residual loss (1/M) Σ_i w_i L_i from
// the residual column r at the collocation points, with w an input node
// of s set before each step, and keeps the slab losses to read.
func (m *Model) causalResidual(b *build.B, s *state, r *G.Node) (*G.Node, error) {
	M := m.cfg.Causal.Slabs
	S, err := m.slabMatrix(m.colloc)
	if err != nil {
		return nil, err
	}
	L := b.Mul(b.Constant(S, M, len(m.colloc)), b.Square(r)) // (M, 1)
	w := m.cweights
	if len(w) != M {
		w = make([]float64, M)
		for i := range w {
			w[i] = 1
		}
		m.cweights = w
	}
	s.cw = G.NewMatrix(s.g, G.Float64, G.WithShape(1, M), G.WithName("pinn.causal.w"),
		G.WithValue(tensor.New(tensor.WithShape(1, M), tensor.WithBacking(append([]float64(nil), w...)))))
	loss := b.Scale(1/float64(M), b.Sum(b.Mul(s.cw, L)))
	if err := b.Err(); err != nil {
		return nil, err
	}
	G.Read(L, &s.slabs)
	return loss, nil
}

// causalStep updates the causal weights from the slab losses of the last
// pass (if any) and moves the schedule on; it returns errCausalDone once
// the last ε meets the stopping rule.
func (m *Model) causalStep() error {
	c := m.cfg.Causal
	L := m.slabLosses()
	if len(L) != c.Slabs {
		return nil
	}
	for {
		w, err := CausalWeights(c.Eps[m.epsIndex], L)
		if err != nil {
			return err
		}
		m.cweights = w
		if w[len(w)-1] <= c.Delta { // w is non-increasing: its last is its min
			break
		}
		if m.epsIndex+1 == len(c.Eps) {
			return errCausalDone
		}
		m.epsIndex++
	}
	return G.Let(m.st.cw, tensor.New(tensor.WithShape(1, c.Slabs), tensor.WithBacking(append([]float64(nil), m.cweights...))))
}

// CausalState reports where causal training stands: the current ε, its
// index in the schedule, and the weights in use (earliest slab first).
func (m *Model) CausalState() (eps float64, index int, weights []float64, err error) {
	if err := m.check(); err != nil {
		return 0, 0, nil, err
	}
	if m.cfg.Causal == nil {
		return 0, 0, nil, errorf(ErrInput, "CausalState: the model has no Config.Causal")
	}
	return m.cfg.Causal.Eps[m.epsIndex], m.epsIndex, append([]float64(nil), m.cweights...), nil
}

// slabLosses returns the slab losses of the last pass (or those a loaded
// file held, before the first pass), nil if none.
func (m *Model) slabLosses() []float64 {
	if m.st.slabs != nil {
		if t, ok := m.st.slabs.(tensor.Tensor); ok {
			if L, ok := t.Data().([]float64); ok {
				return append([]float64(nil), L...)
			}
		}
	}
	return m.lastSlabs
}
