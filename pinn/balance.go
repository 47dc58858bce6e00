package pinn

import (
	"math"

	"github.com/physbias/physbias/internal/grad"
	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Balance sets the weights of the loss terms from the norms of their
// gradients: learning-rate annealing (Wang, Teng and Perdikaris 2021,
// SIAM J. Sci. Comput. 43, A3055) in the form of Wang et al. (2023, "An
// expert's guide to training physics-informed neural networks"). Every
// Every Adam steps, with L_k the unweighted terms (mean squares of the
// residual, of each condition, of the data),
//
//	λ̂_k = Σ_j ‖∇_θ L_j‖ / ‖∇_θ L_k‖,   λ_k ← α λ_k + (1 − α) λ̂_k,
//
// so that every term pulls on the weights with the same strength. The
// loss is Σ_k λ_k L_k; λ starts at the fixed weights (Condition.Weight,
// Config.ResidualWeight). The norms are taken over every network weight
// but the output bias (which drops out of derivative-only terms). L-BFGS
// phases keep λ fixed. A problem with a single term has nothing to
// balance: λ stays at its fixed weight.
type Balance struct {
	// Every is the number of Adam steps between updates; 0 means 100.
	Every int
	// Alpha is the moving-average factor α in [0, 1); 0 means 0.9.
	Alpha float64
}

func (b Balance) withDefaults() (Balance, error) {
	if b.Every < 0 {
		return b, errorf(ErrInput, "Config.Balance.Every = %d, want ≥ 1 (0 means 100)", b.Every)
	}
	if b.Every == 0 {
		b.Every = 100
	}
	if !(b.Alpha >= 0 && b.Alpha < 1) {
		return b, errorf(ErrInput, "Config.Balance.Alpha = %v, want in [0, 1) (0 means 0.9)", b.Alpha)
	}
	if b.Alpha == 0 {
		b.Alpha = 0.9
	}
	return b, nil
}

// normGraph is a copy of the training graph with the gradient of every
// unweighted term, built once per training graph.
type normGraph struct {
	st    *state
	grads [][]*G.Node
	vals  [][]G.Value
	vm    G.VM
}

// newNormGraph builds the per-term gradients on a fresh copy of the graph.
func (m *Model) newNormGraph() (*normGraph, error) {
	vals, err := m.values()
	if err != nil {
		return nil, err
	}
	s, err := m.build(vals)
	if err != nil {
		return nil, err
	}
	ng := &normGraph{st: s}
	var net []*G.Node
	if s.gen != nil {
		net = s.gen.params()
	} else {
		net = s.net.Params()
	}
	wrt := net[:len(net)-1] // not the output bias
	for k, t := range s.plain {
		gs, err := grad.Grad(t, wrt...)
		if err != nil {
			return nil, wrap(err, "Config.Balance: gradient of the %s term", s.names[k])
		}
		vs := make([]G.Value, len(gs))
		for i, g := range gs {
			G.Read(g, &vs[i])
		}
		ng.grads = append(ng.grads, gs)
		ng.vals = append(ng.vals, vs)
	}
	ng.vm = G.NewTapeMachine(s.g)
	return ng, nil
}

// norms returns ‖∇_θ L_k‖ for every term at the model's current parameters.
func (ng *normGraph) norms(m *Model) ([]float64, error) {
	vals, err := m.values()
	if err != nil {
		return nil, err
	}
	if err := train.SetValues(ng.st.params, vals); err != nil {
		return nil, wrap(err, "Config.Balance")
	}
	if m.st.cw != nil && ng.st.cw != nil {
		if err := G.Let(ng.st.cw, m.st.cw.Value()); err != nil {
			return nil, wrap(err, "Config.Balance")
		}
	}
	err = ng.vm.RunAll()
	ng.vm.Reset()
	if err != nil {
		return nil, wrap(err, "Config.Balance: gradient norms")
	}
	out := make([]float64, len(ng.vals))
	for k, vs := range ng.vals {
		var s float64
		for _, v := range vs {
			d, err := valueData(v)
			if err != nil {
				return nil, wrap(err, "Config.Balance")
			}
			for _, x := range d {
				s += x * x
			}
		}
		out[k] = math.Sqrt(s)
		if math.IsNaN(out[k]) || math.IsInf(out[k], 0) {
			return nil, errorf(ErrNotFinite, "Config.Balance: the gradient norm of the %s term is %v", ng.st.names[k], out[k])
		}
	}
	return out, nil
}

// BalanceWeights returns λ̂_k = Σ_j n_j / n_k for the gradient norms n
// (a term with a zero norm keeps weight 1): the rule Balance applies.
func BalanceWeights(norms []float64) ([]float64, error) {
	if len(norms) == 0 {
		return nil, errorf(ErrInput, "BalanceWeights: no terms")
	}
	var sum float64
	for k, n := range norms {
		if !(n >= 0) || math.IsInf(n, 0) {
			return nil, errorf(ErrNotFinite, "BalanceWeights: norm %d is %v, want finite and ≥ 0", k, n)
		}
		sum += n
	}
	w := make([]float64, len(norms))
	for k, n := range norms {
		w[k] = 1
		if n > 0 {
			w[k] = sum / n
		}
	}
	return w, nil
}

// balanceStep recomputes the balancing weights and sets them on the
// training graph.
func (m *Model) balanceStep() error {
	if m.norms == nil {
		ng, err := m.newNormGraph()
		if err != nil {
			return err
		}
		m.norms = ng
	}
	n, err := m.norms.norms(m)
	if err != nil {
		return err
	}
	hat, err := BalanceWeights(n)
	if err != nil {
		return err
	}
	a := m.cfg.Balance.Alpha
	for k := range m.bweights {
		m.bweights[k] = a*m.bweights[k] + (1-a)*hat[k]
		if err := G.Let(m.st.bw[k], G.NewF64(m.bweights[k])); err != nil {
			return wrap(err, "Config.Balance")
		}
	}
	return nil
}

// Weights returns the current weight of every loss term by name (the
// fixed weights, or the balancing weights when Config.Balance is set).
func (m *Model) Weights() map[string]float64 {
	out := map[string]float64{}
	if m.check() != nil {
		return out
	}
	for k, name := range m.st.names {
		if k < len(m.bweights) && m.cfg.Balance != nil {
			out[name] = m.bweights[k]
		} else {
			out[name] = m.st.fixed[k]
		}
	}
	return out
}

// valueData returns the float64 data of a gorgonia value.
func valueData(v G.Value) ([]float64, error) {
	switch v := v.(type) {
	case *G.F64:
		return []float64{float64(*v)}, nil
	case tensor.Tensor:
		if d, ok := v.Data().([]float64); ok {
			return d, nil
		}
		if d, ok := v.Data().(float64); ok {
			return []float64{d}, nil
		}
	}
	return nil, errorf(ErrInput, "value %T is not float64 data", v)
}
