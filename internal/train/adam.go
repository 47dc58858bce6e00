package train

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
)

// Adam is the Adam optimizer (Kingma & Ba 2015) as gorgonia's AdamSolver
// runs it, which matches PyTorch's torch.optim.Adam (amsgrad off): with
// g ← ∇L + WeightDecay·θ,
//
//	m ← β1·m + (1−β1)·g,   v ← β2·v + (1−β2)·g²,
//	θ ← θ − LR · (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + Eps).
//
// (PyTorch computes the same update as θ − (LR/(1−β1ᵗ))·m/(√v/√(1−β2ᵗ)+Eps);
// the two agree to rounding, tested to 1e-12.) WeightDecay is the L2
// penalty added to the gradient (gorgonia's WithL2Reg, PyTorch's Adam
// weight_decay), not AdamW's decoupled decay. ClipNorm, when positive,
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
		return a, fmt.Errorf("train: Adam.LR is %v, want > 0", a.LR)
	case !(a.Beta1 > 0 && a.Beta1 < 1):
		return a, fmt.Errorf("train: Adam.Beta1 is %v, want in (0, 1)", a.Beta1)
	case !(a.Beta2 > 0 && a.Beta2 < 1):
		return a, fmt.Errorf("train: Adam.Beta2 is %v, want in (0, 1)", a.Beta2)
	case !(a.Eps > 0) || math.IsInf(a.Eps, 0):
		return a, fmt.Errorf("train: Adam.Eps is %v, want > 0", a.Eps)
	case !(a.WeightDecay >= 0) || math.IsInf(a.WeightDecay, 0):
		return a, fmt.Errorf("train: Adam.WeightDecay is %v, want ≥ 0", a.WeightDecay)
	case !(a.ClipNorm >= 0) || math.IsInf(a.ClipNorm, 0):
		return a, fmt.Errorf("train: Adam.ClipNorm is %v, want ≥ 0 (0: no clipping)", a.ClipNorm)
	}
	return a, nil
}

// String describes the optimizer.
func (a Adam) String() string {
	d, _ := a.withDefaults()
	return fmt.Sprintf("Adam(lr=%g, betas=(%g, %g), eps=%g, weight_decay=%g, clip_norm=%g)",
		d.LR, d.Beta1, d.Beta2, d.Eps, d.WeightDecay, d.ClipNorm)
}

func (a Adam) solver() *G.AdamSolver {
	opts := []G.SolverOpt{G.WithLearnRate(a.LR), G.WithBeta1(a.Beta1), G.WithBeta2(a.Beta2), G.WithEps(a.Eps)}
	if a.WeightDecay > 0 {
		opts = append(opts, G.WithL2Reg(a.WeightDecay))
	}
	return G.NewAdamSolver(opts...)
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
	solver := a.solver()
	model := G.NodesToValueGrads(s.p.Params)
	for step := 1; step <= s.steps; step++ {
		if err := s.feed(step); err != nil {
			return err
		}
		loss, err := s.eval(step)
		if err != nil {
			return err
		}
		if a.ClipNorm > 0 {
			if err := clipNorm(s.p.Params, a.ClipNorm); err != nil {
				return err
			}
		}
		if err := solver.Step(model); err != nil {
			return fmt.Errorf("train: step %d: Adam: %v", step, err)
		}
		s.record(loss)
	}
	s.hist.Stop = "step limit"
	return nil
}

// clipNorm scales the gradients of params by max/(‖g‖+1e-6) when that is
// below 1, ‖g‖ being their joint Euclidean norm, as PyTorch's
// clip_grad_norm_ does.
func clipNorm(params []*G.Node, max float64) error {
	var ss float64
	grads := make([][]float64, len(params))
	for i, n := range params {
		g, err := gradData(n)
		if err != nil {
			return err
		}
		grads[i] = g
		for _, v := range g {
			ss += v * v
		}
	}
	c := max / (math.Sqrt(ss) + 1e-6)
	if c >= 1 {
		return nil
	}
	for _, g := range grads {
		for i := range g {
			g[i] *= c
		}
	}
	return nil
}
