package pinn

import (
	"math"
	"sort"
)

// Refinement sets one round of residual-based adaptive refinement (RAR, Lu
// et al. 2021, as in DeepXDE): the residual is evaluated at Candidates
// random points and the Add points where |r| is largest join the
// collocation set. Its zero value means the defaults in the field comments.
type Refinement struct {
	// Candidates is the number of random candidate points; 0 means
	// 10 × the current number of collocation points (at most 100,000).
	Candidates int
	// Add is the number of points added; 0 means 10.
	Add int
}

// RefineResult reports a refinement round.
type RefineResult struct {
	// Added are the points added to the collocation set.
	Added [][]float64
	// MeanAbs and MaxAbs are the mean and largest |r| over the candidates,
	// before the points were added.
	MeanAbs, MaxAbs float64
	// Collocation is the size of the collocation set afterwards.
	Collocation int
}

// Refine runs one RAR round and rebuilds the training graph with the
// larger collocation set; the network and the unknowns keep their values.
// Call Train again afterwards.
func (m *Model) Refine(r Refinement) (RefineResult, error) {
	if err := m.check(); err != nil {
		return RefineResult{}, err
	}
	if r.Candidates < 0 || r.Add < 0 {
		return RefineResult{}, errorf(ErrInput, "Refinement{Candidates: %d, Add: %d}: want ≥ 0", r.Candidates, r.Add)
	}
	if r.Candidates == 0 {
		r.Candidates = min(10*len(m.colloc), 100000)
	}
	if r.Add == 0 {
		r.Add = 10
	}
	if r.Add > r.Candidates {
		return RefineResult{}, errorf(ErrInput, "Refinement adds %d points out of %d candidates", r.Add, r.Candidates)
	}
	m.round++
	cand, err := m.prob.Domain.Sample(r.Candidates, Uniform, m.cfg.Seed^(0xa11+m.round*0x9e3779b9))
	if err != nil {
		return RefineResult{}, err
	}
	res, err := m.Residual(cand)
	if err != nil {
		return RefineResult{}, err
	}
	idx := make([]int, len(cand))
	var out RefineResult
	for i, v := range res {
		idx[i] = i
		a := math.Abs(v)
		out.MeanAbs += a / float64(len(res))
		out.MaxAbs = math.Max(out.MaxAbs, a)
	}
	sort.SliceStable(idx, func(a, b int) bool { return math.Abs(res[idx[a]]) > math.Abs(res[idx[b]]) })
	for _, i := range idx[:r.Add] {
		out.Added = append(out.Added, cand[i])
	}
	vals, err := m.values()
	if err != nil {
		return RefineResult{}, err
	}
	colloc := append(clonePoints(m.colloc), clonePoints(out.Added)...)
	old := m.colloc
	m.colloc = colloc
	st, err := m.build(vals)
	if err != nil {
		m.colloc = old
		return RefineResult{}, err
	}
	m.st = st
	m.norms = nil
	out.Collocation = len(m.colloc)
	return out, nil
}
