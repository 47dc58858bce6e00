package train

import (
	"errors"
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Problem is a model to train on a gorgonia graph.
type Problem struct {
	// Graph is the graph holding Loss and Params.
	Graph *G.ExprGraph
	// Loss is the scalar float64 node to minimise.
	Loss *G.Node
	// Params are the trainable nodes: float64 input nodes with values of
	// any shape, including scalars (such as an unknown PDE coefficient).
	Params []*G.Node
	// N is the number of samples Feed can index, at most 2³¹ (Run keeps a
	// permutation of them); 0 means full batch with fixed inputs (then Feed
	// must be nil).
	N int
	// Feed sets the graph's input nodes (with G.Let) for the samples idx
	// before a step. It is nil when the inputs are fixed. See the package
	// documentation for when it is called.
	Feed func(idx []int) error
}

// maxSamples bounds Problem.N: Run allocates N indices.
const maxSamples = 1 << 31

// validate checks the problem's fields (not the graph's gradients).
func (p *Problem) validate() error {
	if p.Loss == nil {
		return errors.New("train: Problem.Loss is nil")
	}
	if p.Graph == nil {
		return errors.New("train: Problem.Graph is nil")
	}
	if p.Loss.Graph() != p.Graph {
		return fmt.Errorf("train: loss %q is not in Problem.Graph", p.Loss.Name())
	}
	if !p.Loss.IsScalar() {
		return fmt.Errorf("train: loss %q must be a scalar, its shape is %v", p.Loss.Name(), p.Loss.Shape())
	}
	if dt, err := dtypeOf(p.Loss); err != nil || dt != tensor.Float64 {
		return fmt.Errorf("train: loss %q must be float64", p.Loss.Name())
	}
	if len(p.Params) == 0 {
		return errors.New("train: no parameters to train")
	}
	seen := make(map[*G.Node]bool, len(p.Params))
	for i, n := range p.Params {
		if n == nil {
			return fmt.Errorf("train: parameter %d is nil", i)
		}
		if seen[n] {
			return fmt.Errorf("train: parameter %s is listed twice", label(n))
		}
		seen[n] = true
		if n.Graph() != p.Graph {
			return fmt.Errorf("train: parameter %s is not in Problem.Graph", label(n))
		}
		if n.Op() != nil {
			return fmt.Errorf("train: parameter %s is computed by an op; parameters must be input nodes", label(n))
		}
		if _, err := paramData(n); err != nil {
			return err
		}
	}
	if p.N < 0 || p.N > maxSamples {
		return fmt.Errorf("train: Problem.N is %d, want 0 ≤ N ≤ %d", p.N, maxSamples)
	}
	if p.N == 0 && p.Feed != nil {
		return errors.New("train: Problem.Feed is set but N is 0; set N to the number of samples Feed indexes")
	}
	return nil
}

// dtypeOf is n.Dtype without its panic.
func dtypeOf(n *G.Node) (dt tensor.Dtype, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("train: node %q has no dtype: %v", n.Name(), r)
		}
	}()
	return n.Dtype(), nil
}

// differentiate makes sure the graph holds the gradient of p.Loss with
// respect to every parameter: it calls G.Grad once, or finds that an
// earlier Run already did.
func (p *Problem) differentiate() error {
	have := 0
	for _, n := range p.Params {
		if n.Deriv() != nil {
			have++
		}
	}
	ld := p.Loss.Deriv()
	switch {
	case have == 0 && ld == nil:
		if _, err := G.Grad(p.Loss, p.Params...); err != nil {
			return fmt.Errorf("train: gradient of the loss: %v", err)
		}
		return nil
	case have == len(p.Params) && isOne(ld):
		// An earlier Run (or the caller) called G.Grad(Loss, Params...).
		return nil
	default:
		return errors.New("train: G.Grad was already called on this graph for another cost or other parameters; " +
			"Run calls G.Grad(Loss, Params...) itself (nested Grad is wrong in gorgonia), so build the graph without it")
	}
}

// isOne reports whether d is the constant 1 that G.Grad seeds the cost with.
func isOne(d *G.Node) bool {
	if d == nil || !d.IsScalar() {
		return false
	}
	if _, ok := d.Op().(interface{ Value() G.Value }); !ok {
		return false
	}
	v, ok := d.Value().(*G.F64)
	return ok && float64(*v) == 1
}
