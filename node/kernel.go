package node

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	_ "github.com/physbias/physbias/internal/blas" // BLAS chosen at build time
	"github.com/physbias/physbias/internal/train"
)

// term is a per-sample quantity integrated beside the state: a
// regularizer's integrand or a CNF's change of log-density.
type term int

const (
	termKinetic    term = iota + 1 // ‖f‖² (Finlay et al. 2020)
	termFrobenius                  // ‖(∂f/∂y)ε‖², Hutchinson's estimate of ‖∂f/∂y‖²_F (Finlay et al. 2020)
	termKelly2                     // ‖d²y/dt²‖² = ‖(∂f/∂y)f + ∂f/∂t‖² (Kelly et al. 2020, K = 2)
	termTrace                      // −tr(∂f/∂y), exact (CNF)
	termTraceHutch                 // −εᵀ(∂f/∂y)ε, Hutchinson's estimate (CNF)

	// termKelly + K, K ≥ 3, is ‖dᴷy/dtᴷ‖² (Kelly et al. 2020), from K − 1
	// total derivatives D = (∂/∂y)·f + ∂/∂t applied to f.
	termKelly term = 100
)

// kellyTerm is the term of Kelly et al.'s K-th total derivative.
func kellyTerm(K int) term {
	if K == 2 {
		return termKelly2
	}
	return termKelly + term(K)
}

func (t term) String() string {
	if t > termKelly {
		return fmt.Sprintf("time derivative of order %d", int(t-termKelly))
	}
	return [...]string{"", "kinetic energy", "Jacobian Frobenius norm", "second time derivative", "exact trace", "Hutchinson trace"}[t]
}

func (t term) needsEps() bool { return t == termFrobenius || t == termTraceHutch }

// kernel is one evaluation of the network and of its vector–Jacobian
// product on a gorgonia graph for a batch of B states of dimension n: the
// inputs y (B, n), t (B, 1), the Hutchinson probe ε (B, n) and the
// cotangents a (B, n) and aₖ (B, 1) of f and of each term are plain slices
// the caller fills; fwd runs f and the terms, full runs them and the one
// reverse pass of cost = Σ a⊙f + Σₖ aₖ⊙termₖ (a single G.Grad on the graph,
// never nested), which gives aᵀ∂/∂y, aᵀ∂/∂t and aᵀ∂/∂θ.
type kernel struct {
	B, n   int
	terms  []term
	params []*G.Node

	y, t, eps, a []float64
	ae           [][]float64

	fV, gyV, gtV G.Value
	termV        []G.Value
	gpV          []G.Value

	fwd, full G.VM
}

// newKernel builds the graph and compiles both machines.
func newKernel(net builder, B, n int, terms []term) (*kernel, error) {
	g := G.NewGraph()
	b := newBuilder(g)
	k := &kernel{B: B, n: n, terms: terms}
	y, yd := input(g, "node.y", nil, B, n)
	t, td := input(g, "node.t", nil, B, 1)
	k.y, k.t = yd, td
	bt, err := net.build(g, y, t)
	if err != nil {
		return nil, err
	}
	k.params = bt.params
	var eps *G.Node
	for _, tm := range terms {
		if tm.needsEps() && eps == nil {
			eps, k.eps = input(g, "node.eps", nil, B, n)
		}
	}
	var tnodes []*G.Node
	for _, tm := range terms {
		var v *G.Node
		switch tm {
		case termKinetic:
			v = rowSums(b, b.Square(bt.out))
		case termFrobenius:
			jv, err := bt.jvp(eps, nil)
			if err != nil {
				return nil, err
			}
			v = rowSums(b, b.Square(jv))
		case termKelly2:
			ones := make([]float64, B)
			for i := range ones {
				ones[i] = 1
			}
			d2, err := bt.jvp(bt.out, constant(b, ones, "node.ones", B, 1))
			if err != nil {
				return nil, err
			}
			v = rowSums(b, b.Square(d2))
		case termTrace:
			tr, err := bt.trace()
			if err != nil {
				return nil, err
			}
			v = b.Scale(-1, tr)
		case termKelly + 3, termKelly + 4, termKelly + 5, termKelly + 6:
			if bt.total == nil {
				return nil, errorf(ErrInput, "Kelly's regularizer of order K = %d needs derivatives of derivatives of f, which internal/ad's fused MLP does not give; build f from gorgonia's ops as a Network (NewNetwork)", int(tm-termKelly))
			}
			d := bt.out
			for i := 1; i < int(tm-termKelly); i++ {
				var err error
				if d, err = bt.total(d); err != nil {
					return nil, err
				}
			}
			v = rowSums(b, b.Square(d))
		case termTraceHutch:
			jv, err := bt.jvp(eps, nil)
			if err != nil {
				return nil, err
			}
			v = b.Scale(-1, rowSums(b, b.HadamardProd(jv, eps)))
		}
		tnodes = append(tnodes, v)
	}
	a, ad := input(g, "node.a", nil, B, n)
	k.a = ad
	cost := b.Sum(b.HadamardProd(a, bt.out))
	for i, v := range tnodes {
		an, d := input(g, fmt.Sprintf("node.a%d", i), nil, B, 1)
		k.ae = append(k.ae, d)
		cost = b.Add(cost, b.Sum(b.HadamardProd(an, v)))
	}
	// 0·Σt and 0·Σy keep t and y in the reverse pass when f ignores them
	// (an autonomous f), which G.Grad would otherwise reject.
	cost = b.Add(cost, b.Scale(0, b.Add(b.Sum(t), b.Sum(y))))
	if b.Err() != nil {
		return nil, b.Err()
	}
	wrt := append([]*G.Node{y, t}, bt.params...)
	grads, err := G.Grad(cost, wrt...)
	if err != nil {
		return nil, errorf(ErrInput, "reverse pass of the network: %w", err)
	}
	roots := []*G.Node{G.Read(bt.out, &k.fV)}
	k.termV = make([]G.Value, len(tnodes))
	for i, v := range tnodes {
		roots = append(roots, G.Read(v, &k.termV[i]))
	}
	G.Read(grads[0], &k.gyV)
	G.Read(grads[1], &k.gtV)
	k.gpV = make([]G.Value, len(bt.params))
	for i := range bt.params {
		G.Read(grads[2+i], &k.gpV[i])
	}
	k.fwd = G.NewTapeMachine(g.SubgraphRoots(roots...))
	k.full = G.NewTapeMachine(g)
	return k, nil
}

// setParams writes θ into the parameter nodes.
func (k *kernel) setParams(theta []float64) error {
	if err := train.SetValues(k.params, theta); err != nil {
		return errorf(ErrInput, "parameters: %w", err)
	}
	return nil
}

func (k *kernel) run(vm G.VM) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errorf(ErrCallback, "network evaluation panicked: %v", r)
		}
	}()
	err = vm.RunAll()
	vm.Reset()
	if err != nil {
		return errorf(ErrCallback, "network evaluation: %w", err)
	}
	return nil
}

// forward evaluates f and the terms at the inputs set in k.y, k.t (and
// k.eps).
func (k *kernel) forward() error { return k.run(k.fwd) }

// backward evaluates f, the terms and the vector–Jacobian products with the
// cotangents set in k.a and k.ae.
func (k *kernel) backward() error { return k.run(k.full) }

func data(v G.Value) []float64 {
	if t, ok := v.(tensor.Tensor); ok {
		if d, ok := t.Data().([]float64); ok {
			return d
		}
	}
	if f, ok := v.(*G.F64); ok {
		return []float64{float64(*f)}
	}
	return nil
}

// f returns the values of f, (B·n).
func (k *kernel) f() []float64 { return data(k.fV) }

// termValues returns term i's values, (B).
func (k *kernel) termValues(i int) []float64 { return data(k.termV[i]) }

// closeMachines frees the machines.
func (k *kernel) close() {
	k.fwd.Close()
	k.full.Close()
}

func finite(x []float64) int {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return i
		}
	}
	return -1
}
