package train

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/vmath"
)

// Adam is the Adam optimizer (Kingma & Ba 2015) as PyTorch's
// torch.optim.Adam runs it (amsgrad off), updating the parameters' values
// in place without allocating: with g ← ∇L + WeightDecay·θ,
//
//	m ← β1·m + (1−β1)·g,   v ← β2·v + (1−β2)·g²,
//	θ ← θ − LR · (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + Eps).
//
// (PyTorch computes the same update as θ − (LR/(1−β1ᵗ))·m/(√v/√(1−β2ᵗ)+Eps);
// the two agree to rounding, tested to 1e-12. It is also gorgonia's
// AdamSolver's formula.) WeightDecay is the L2 penalty added to the
// gradient (gorgonia's WithL2Reg, PyTorch's Adam weight_decay), not
// AdamW's decoupled decay. ClipNorm, when positive,
// rescales all gradients together so that their joint Euclidean norm is at
// most ClipNorm, before weight decay (PyTorch's clip_grad_norm_ called
// before the step); gorgonia's own WithClip clamps each element instead and
// is not used.
//
// The zero value means LR 1e-3, Beta1 0.9, Beta2 0.999, Eps 1e-8, no weight
// decay, no clipping. The moments start at zero on every Run.
type Adam struct {
	LR, Beta1, Beta2, Eps, WeightDecay, ClipNorm float64
}

func (a Adam) withDefaults() (Adam, error) {
	if a.LR == 0 {
		a.LR = 1e-3
	}
	if a.Beta1 == 0 {
		a.Beta1 = 0.9
	}
	if a.Beta2 == 0 {
		a.Beta2 = 0.999
	}
	if a.Eps == 0 {
		a.Eps = 1e-8
	}
	switch {
	case !(a.LR > 0) || math.IsInf(a.LR, 0):
		return a, fail.Errorf(fail.ErrInput, "train", "Adam.LR is %v, want > 0", a.LR)
	case !(a.Beta1 > 0 && a.Beta1 < 1):
		return a, fail.Errorf(fail.ErrInput, "train", "Adam.Beta1 is %v, want in (0, 1)", a.Beta1)
	case !(a.Beta2 > 0 && a.Beta2 < 1):
		return a, fail.Errorf(fail.ErrInput, "train", "Adam.Beta2 is %v, want in (0, 1)", a.Beta2)
	case !(a.Eps > 0) || math.IsInf(a.Eps, 0):
		return a, fail.Errorf(fail.ErrInput, "train", "Adam.Eps is %v, want > 0", a.Eps)
	case !(a.WeightDecay >= 0) || math.IsInf(a.WeightDecay, 0):
		return a, fail.Errorf(fail.ErrInput, "train", "Adam.WeightDecay is %v, want ≥ 0", a.WeightDecay)
	case !(a.ClipNorm >= 0) || math.IsInf(a.ClipNorm, 0):
		return a, fail.Errorf(fail.ErrInput, "train", "Adam.ClipNorm is %v, want ≥ 0 (0: no clipping)", a.ClipNorm)
	}
	return a, nil
}

// String describes the optimizer.
func (a Adam) String() string {
	d, _ := a.withDefaults()
	return fmt.Sprintf("Adam(lr=%g, betas=(%g, %g), eps=%g, weight_decay=%g, clip_norm=%g)",
		d.LR, d.Beta1, d.Beta2, d.Eps, d.WeightDecay, d.ClipNorm)
}

func (a Adam) check(Config) error {
	_, err := a.withDefaults()
	return err
}

func (a Adam) minimize(s *session) error {
	a, err := a.withDefaults()
	if err != nil {
		return err
	}
	s.steps = s.cfg.Steps
	st, err := newAdamState(s.p.Params)
	if err != nil {
		return err
	}
	for step := 1; step <= s.steps; step++ {
		if stop, err := s.stop(step); stop {
			return err
		}
		if err := s.feed(step); err != nil {
			return err
		}
		loss, err := s.eval(step)
		if err != nil {
			return err
		}
		if err := st.step(a, s.p.Params); err != nil {
			return fmt.Errorf("%s: step %d: %w", s.cfg.prefix(), s.at(step), err)
		}
		s.record(loss)
	}
	s.hist.Stop = "step limit"
	return nil
}

// adamState is Adam's memory over one Run: the first and second moments
// of each parameter, and scratch views of the parameters' values and
// gradients (refetched every step, so a value gorgonia swaps is seen).
type adamState struct {
	t     int
	m, v  [][]float64
	x, g  [][]float64
	sizes []int
}

func newAdamState(params []*G.Node) (*adamState, error) {
	st := &adamState{
		m: make([][]float64, len(params)), v: make([][]float64, len(params)),
		x: make([][]float64, len(params)), g: make([][]float64, len(params)),
		sizes: make([]int, len(params)),
	}
	for i, n := range params {
		x, err := paramData(n)
		if err != nil {
			return nil, err
		}
		st.sizes[i] = len(x)
		st.m[i] = make([]float64, len(x))
		st.v[i] = make([]float64, len(x))
	}
	return st, nil
}

// step applies one Adam update in place to the parameters from the
// gradients the last evaluation left on them, then zeroes the gradients
// (as gorgonia's solvers do). It allocates nothing.
func (st *adamState) step(a Adam, params []*G.Node) error {
	var ss float64
	for i, n := range params {
		x, err := paramData(n)
		if err != nil {
			return err
		}
		g, err := gradData(n)
		if err != nil {
			return err
		}
		if len(x) != st.sizes[i] || len(g) != len(x) {
			return fmt.Errorf("train: Adam: parameter %s has %d values and %d gradient values, want %d", label(n), len(x), len(g), st.sizes[i])
		}
		st.x[i], st.g[i] = x, g
		if a.ClipNorm > 0 {
			for _, gi := range g {
				ss += gi * gi
			}
		}
	}
	// Clip on the joint norm before weight decay, as PyTorch's
	// clip_grad_norm_ before optimizer.step() does.
	scale := 1.0
	if a.ClipNorm > 0 {
		if c := a.ClipNorm / (math.Sqrt(ss) + 1e-6); c < 1 {
			scale = c
		}
	}
	st.t++
	c1 := 1 / (1 - math.Pow(a.Beta1, float64(st.t)))
	c2 := 1 / (1 - math.Pow(a.Beta2, float64(st.t)))
	for i := range params {
		adamUpdate(st.x[i], st.g[i], st.m[i], st.v[i], scale, a.WeightDecay, a.Beta1, a.Beta2, a.Eps, a.LR, c1, c2)
		st.x[i], st.g[i] = nil, nil
	}
	return nil
}

// adamUpdate is the elementwise Adam update of one parameter x with
// gradient g and moments m, v: g ← scale·g + wd·x, m ← β1·m + (1−β1)·g,
// v ← β2·v + (1−β2)·g², x ← x − lr·(c1·m)/(√(c2·v) + eps), then g ← 0.
// c1 and c2 are the inverse bias corrections 1/(1−β1ᵗ) and 1/(1−β2ᵗ).
func adamUpdate(x, g, m, v []float64, scale, wd, b1, b2, eps, lr, c1, c2 float64) {
	g = g[:len(x)]
	m = m[:len(x)]
	v = v[:len(x)]
	omb1, omb2 := 1-b1, 1-b2
	i0 := 0
	if wd == 0 { // four at a time in AVX, bit for bit this loop (internal/vmath)
		i0 = vmath.Adam(x, g, m, v, scale, b1, b2, eps, lr, c1, c2)
	}
	for i := i0; i < len(x); i++ {
		xi := x[i]
		gi := g[i]
		if scale != 1 {
			gi *= scale
		}
		if wd != 0 {
			gi += wd * xi
		}
		mi := b1*m[i] + omb1*gi
		vi := b2*v[i] + omb2*gi*gi
		m[i], v[i] = mi, vi
		x[i] = xi - lr*(mi*c1)/(math.Sqrt(vi*c2)+eps)
		g[i] = 0
	}
}
