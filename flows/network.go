package flows

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/grad"
)

// Network is a user's scalar network for a part of an NHF's Hamiltonian,
// K(p) or V(q), as any gorgonia graph (not only a tanh MLP). NewNHFNetworks
// takes one for K and one for V; every stage gets its own parameters. The
// flow needs ∇K and ∇V inside the training graph, and takes them from the
// core's general autodiff (internal/grad), so any of gorgonia's
// differentiable ops may appear (the ops internal/grad refuses are an error
// at Train).
type Network interface {
	// Build adds the network's parameters to g and returns f, which adds
	// the network to g for points x of shape (B, Dim) and returns its value,
	// shape (B, 1) or (B), one number a point; every call of f uses the same
	// parameters. The parameters must be float64 nodes of g with values and
	// distinct names that start with name (for example name+".W0"): name
	// differs for each network and stage ("stage0.K"), and gorgonia merges
	// input nodes of one name and shape. List only parameters that ∇f
	// depends on: an output bias drops out of ∇f, and gorgonia's Grad
	// rejects a parameter the loss does not reach. The model calls Build
	// for every graph it makes and then writes its own values into the
	// parameters, so Build must make the same parameters, by name and shape,
	// every time; their initial values matter only in NewNHFNetworks, and
	// should come from seed for runs to repeat.
	Build(g *G.ExprGraph, name string, seed uint64) (f func(x *G.Node) (*G.Node, error), params []*G.Node, err error)
}

// NetworkFunc adapts a function to the Network interface.
type NetworkFunc func(g *G.ExprGraph, name string, seed uint64) (func(x *G.Node) (*G.Node, error), []*G.Node, error)

// Build calls f.
func (f NetworkFunc) Build(g *G.ExprGraph, name string, seed uint64) (func(x *G.Node) (*G.Node, error), []*G.Node, error) {
	return f(g, name, seed)
}

// Reshape returns a copy of x in the given shape, differentiable to any
// order (internal/grad's Reshape). Use it inside a Network instead of
// G.Reshape: gorgonia's Reshape shares its input's memory, an elementwise
// op over it may run in place and overwrite the input, and the gradient
// would read wrong values (such graphs are refused with an error).
func Reshape(x *G.Node, shape ...int) (*G.Node, error) {
	if x == nil {
		return nil, errorf(ErrInput, "Reshape: nil node")
	}
	r, err := grad.Reshape(x, tensor.Shape(shape))
	if err != nil {
		return nil, errorf(ErrInput, "Reshape: %w", err)
	}
	return r, nil
}

// gnet is one network of a model on one graph: the built-in tanh MLP on
// internal/ad's fused path (the fast path), or a user's Network with input
// gradients from internal/grad.
type gnet struct {
	name   string
	mlp    *ad.MLP
	f      func(x *G.Node) (*G.Node, error)
	params []*G.Node
}

// Params returns the network's parameters, in order.
func (n *gnet) Params() []*G.Node { return n.params }

// Forward returns the network at x.
func (n *gnet) Forward(x *G.Node) (out *G.Node, err error) {
	if n.mlp != nil {
		return n.mlp.Forward(x)
	}
	defer fail.Recover(&err, "flows", "Network "+n.name)
	out, err = n.f(x)
	if err != nil {
		return nil, errorf(ErrCallback, "Network %s: %w", n.name, err)
	}
	B := x.Shape()[0]
	if s := out.Shape(); out == nil || !(len(s) == 1 && s[0] == B || len(s) == 2 && s[0] == B && s[1] == 1) {
		return nil, errorf(ErrCallback, "Network %s returned shape %v at %d points; want (%d, 1)", n.name, shapeOf(out), B, B)
	}
	return out, nil
}

func shapeOf(n *G.Node) any {
	if n == nil {
		return "nil"
	}
	return n.Shape()
}

// InputGrad returns ∇ₓ of the scalar network at each row of x, (B, Dim):
// internal/ad's fused reverse pass for the MLP, internal/grad's for a
// user's network.
func (n *gnet) InputGrad(x *G.Node) (*G.Node, error) {
	if n.mlp != nil {
		return n.mlp.InputGrad(x)
	}
	out, err := n.Forward(x)
	if err != nil {
		return nil, err
	}
	g, err := grad.BatchGrad(out, x)
	if err != nil {
		return nil, errorf(ErrInput, "gradient of Network %s: %w", n.name, err)
	}
	return g, nil
}

// trainable returns the parameters to train: a scalar MLP's output bias
// drops out of its input gradient, the only way it enters the flow, so it
// is left out (scalar); a user's Network lists only what its gradient
// depends on.
func (n *gnet) trainable(scalar bool) []*G.Node {
	if n.mlp != nil && scalar {
		return n.params[:len(n.params)-1]
	}
	return n.params
}

// buildUser builds a user's network on g and checks its parameters.
func buildUser(u Network, g *G.ExprGraph, name string, seed uint64) (n *gnet, err error) {
	defer fail.Recover(&err, "flows", "Network.Build of "+name)
	f, ps, err := u.Build(g, name, seed)
	if err != nil {
		return nil, errorf(ErrCallback, "Network.Build of %s: %w", name, err)
	}
	if f == nil {
		return nil, errorf(ErrCallback, "Network.Build of %s returned a nil function", name)
	}
	if len(ps) == 0 {
		return nil, errorf(ErrCallback, "Network.Build of %s returned no parameters", name)
	}
	for i, p := range ps {
		switch {
		case p == nil:
			return nil, errorf(ErrCallback, "Network.Build of %s: parameter %d is nil", name, i)
		case p.Dtype() != G.Float64:
			return nil, errorf(ErrCallback, "Network.Build of %s: parameter %s is %v, want float64", name, p.Name(), p.Dtype())
		case p.Value() == nil:
			return nil, errorf(ErrCallback, "Network.Build of %s: parameter %s has no value", name, p.Name())
		case len(p.Name()) <= len(name) || p.Name()[:len(name)] != name:
			return nil, errorf(ErrCallback, "Network.Build of %s: parameter name %q does not start with %q", name, p.Name(), name)
		}
	}
	return &gnet{name: name, f: f, params: ps}, nil
}

// checkNames refuses parameters of one name in different places (gorgonia
// would merge them).
func checkNames(ns []*gnet) error {
	seen := map[string]bool{}
	for _, n := range ns {
		for _, p := range n.params {
			if seen[p.Name()] {
				return errorf(ErrCallback, "parameter name %q appears twice", p.Name())
			}
			seen[p.Name()] = true
		}
	}
	return nil
}

// NewNHFNetworks returns an untrained NHF for data of dimension dim whose
// Hamiltonians are H = K(p) + V(q) of a user's networks K and V (each stage
// has its own parameters, drawn by the networks' Build from seeds derived
// from cfg.Seed). cfg.Hidden describes the built-in networks and must be
// nil; the momentum encoder stays the built-in MLP (cfg.EncoderHidden, nil
// meaning the default Hidden).
// Training takes ∇K and ∇V through internal/grad, the core's general
// autodiff: exact, slower than the fused MLP path of NewNHF. A model of
// user networks saves with Save and loads with LoadNHFNetworks.
func NewNHFNetworks(dim int, K, V Network, cfg NHFConfig) (*NHF, error) {
	if dim < 1 || dim > 1<<16 {
		return nil, errorf(ErrInput, "NHF data dimension %d; must be between 1 and 65536", dim)
	}
	if K == nil || V == nil {
		return nil, errorf(ErrInput, "NewNHFNetworks: K and V must both be non-nil")
	}
	if cfg.Hidden != nil {
		return nil, errorf(ErrInput, "NHFConfig.Hidden describes the built-in K and V and must be nil with user networks")
	}
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	c.Hidden = nil
	specs := nhfUserSpecs(dim, c, K, V)
	if err := checkParams(specs); err != nil {
		return nil, err
	}
	p, err := newParams(specs, c.Seed)
	if err != nil {
		return nil, err
	}
	return &NHF{dim: dim, cfg: c, p: p, user: true}, nil
}

// nhfUserSpecs are the networks of an NHF of user networks.
func nhfUserSpecs(dim int, c NHFConfig, K, V Network) []netSpec {
	e := append(append([]int{dim}, c.EncoderHidden...), dim)
	specs := []netSpec{{name: "encoder.mean", sizes: e}, {name: "encoder.logstd", sizes: e}}
	for s := 0; s < c.Stages; s++ {
		st := fmt.Sprintf("stage%d", s)
		specs = append(specs, netSpec{name: st + ".V", user: V, dim: dim}, netSpec{name: st + ".K", user: K, dim: dim})
	}
	return specs
}
