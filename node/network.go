package node

import (
	"errors"
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/grad"
)

// Network is the right-hand side f(y, t; θ) of a neural ODE as a gorgonia
// graph: any graph of y and t, not only an MLP. A user brings their own by
// implementing it (or with NetworkFunc).
type Network interface {
	// Build adds f to g for states y of shape (B, dim) and times t of
	// shape (B, 1) (one time per sample), and returns dy/dt of shape
	// (B, dim) and the trainable parameters it made: float64 input nodes
	// of g with values and distinct non-empty names. The model calls Build
	// once for every graph it makes (a batch size, a gradient method) and
	// then writes its own parameter values into them, so Build must make
	// the same parameters, by name and shape, every time; their initial
	// values matter only on the first call (in New), and must come from a
	// seed for runs to repeat.
	Build(g *G.ExprGraph, y, t *G.Node) (dydt *G.Node, params []*G.Node, err error)
}

// NetworkFunc adapts a function to the Network interface.
type NetworkFunc func(g *G.ExprGraph, y, t *G.Node) (*G.Node, []*G.Node, error)

// Build calls f.
func (f NetworkFunc) Build(g *G.ExprGraph, y, t *G.Node) (*G.Node, []*G.Node, error) {
	return f(g, y, t)
}

// built is a network on one graph: its output, its parameters and, when the
// network can give them, its forward derivatives.
type built struct {
	out    *G.Node
	params []*G.Node
	// jvp returns the directional derivative (∂f/∂y)·vy + (∂f/∂t)·vt,
	// (B, dim), for tangents vy (B, dim) and vt (B, 1) (vt nil means 0).
	jvp func(vy, vt *G.Node) (*G.Node, error)
	// trace returns tr(∂f/∂y), (B, 1), exactly.
	trace func() (*G.Node, error)
	// total returns the total time derivative along the flow of a
	// (B, dim) node g of (y, t), (∂g/∂y)·f + ∂g/∂t; nil when the network
	// cannot differentiate its derivatives (the fused MLP).
	total func(g *G.Node) (*G.Node, error)
}

// builder builds the network on a graph.
type builder interface {
	build(g *G.ExprGraph, y, t *G.Node) (*built, error)
}

// mlpNet is the built-in network: an MLP of y (or of (y, t) with
// Config.TimeInput) on internal/ad's fused path, which gives exact forward
// derivatives that train with one first-order Grad.
type mlpNet struct {
	sizes     []int
	act       ad.Activation
	timeInput bool
	seed      uint64
}

func (m *mlpNet) build(g *G.ExprGraph, y, t *G.Node) (*built, error) {
	b := newBuilder(g)
	x := y
	if m.timeInput {
		x = b.Concat(1, y, t)
	}
	if b.Err() != nil {
		return nil, b.Err()
	}
	mlp, err := ad.NewMLP(g, "f", m.sizes, m.act, m.seed)
	if err != nil {
		return nil, errorf(ErrInput, "network: %w", err)
	}
	out, err := mlp.Forward(x)
	if err != nil {
		return nil, errorf(ErrInput, "network: %w", err)
	}
	n := m.sizes[0]
	if m.timeInput {
		n--
	}
	bt := &built{out: out, params: mlp.Params()}
	bt.jvp = func(vy, vt *G.Node) (*G.Node, error) {
		v := vy
		if m.timeInput {
			if vt == nil {
				vt = zerosLike(b, t, "jvp.vt0")
			}
			v = b.Concat(1, vy, vt)
		}
		if b.Err() != nil {
			return nil, b.Err()
		}
		out, err := mlp.JVP(x, v)
		if err != nil {
			return nil, errorf(ErrInput, "network JVP: %w", err)
		}
		return out, nil
	}
	bt.trace = func() (*G.Node, error) {
		jac, err := mlp.Jacobian(x) // (B, n, In)
		if err != nil {
			return nil, errorf(ErrInput, "network Jacobian: %w", err)
		}
		B := y.Shape()[0]
		in := m.sizes[0]
		mask := make([]float64, B*n*in)
		for s := 0; s < B; s++ {
			for j := 0; j < n; j++ {
				mask[(s*n+j)*in+j] = 1
			}
		}
		d := b.HadamardProd(jac, constant(b, mask, "trace.mask", B, n, in))
		tr := b.Sum(d, 1, 2) // (B)
		return b.Reshape(tr, B, 1), b.Err()
	}
	return bt, nil
}

// userNet wraps a user's Network; its forward derivatives come from the
// core's general autodiff (internal/grad), built as nodes of the same graph
// so that the one G.Grad of the kernel differentiates them once more.
type userNet struct{ net Network }

func (u userNet) build(g *G.ExprGraph, y, t *G.Node) (bt *built, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errorf(ErrCallback, "Network.Build panicked: %v", r)
		}
	}()
	out, params, err := u.net.Build(g, y, t)
	if err != nil {
		return nil, errorf(ErrCallback, "Network.Build: %w", err)
	}
	if out == nil {
		return nil, errorf(ErrCallback, "Network.Build returned a nil output")
	}
	if s := out.Shape(); len(s) != 2 || s[0] != y.Shape()[0] || s[1] != y.Shape()[1] {
		return nil, errorf(ErrCallback, "Network.Build returned dydt of shape %v; the states imply (%d, %d)", s, y.Shape()[0], y.Shape()[1])
	}
	if len(params) == 0 {
		return nil, errorf(ErrCallback, "Network.Build returned no parameters")
	}
	seen := map[string]bool{}
	for i, p := range params {
		if p == nil || p.Name() == "" || seen[p.Name()] {
			return nil, errorf(ErrCallback, "Network.Build: parameter %d is nil, unnamed or a repeated name", i)
		}
		if p.Dtype() != G.Float64 {
			return nil, errorf(ErrCallback, "Network.Build: parameter %s is %v, want float64", p.Name(), p.Dtype())
		}
		seen[p.Name()] = true
	}
	bt = &built{out: out, params: params}
	b := newBuilder(g)
	bt.jvp = func(vy, vt *G.Node) (*G.Node, error) {
		jy, err := grad.JVP(out, y, vy)
		if err != nil {
			return nil, errorf(ErrInput, "derivative of the Network in y: %w", err)
		}
		if vt == nil {
			return jy, nil
		}
		jt, err := grad.JVP(out, t, vt)
		switch {
		case errors.Is(err, grad.ErrNoPath):
			return jy, nil // an autonomous f: ∂f/∂t = 0
		case err != nil:
			return nil, errorf(ErrInput, "derivative of the Network in t: %w", err)
		}
		return b.Add(jy, jt), b.Err()
	}
	bt.total = func(gn *G.Node) (*G.Node, error) {
		jy, err := grad.JVP(gn, y, out)
		if err != nil {
			return nil, errorf(ErrInput, "total derivative of the Network in y: %w", err)
		}
		B := y.Shape()[0]
		ones := make([]float64, B)
		for i := range ones {
			ones[i] = 1
		}
		jt, err := grad.JVP(gn, t, constant(b, ones, fmt.Sprintf("node.ones.%d", gn.ID()), B, 1))
		switch {
		case errors.Is(err, grad.ErrNoPath):
			return jy, nil
		case err != nil:
			return nil, errorf(ErrInput, "total derivative of the Network in t: %w", err)
		}
		return b.Add(jy, jt), b.Err()
	}
	bt.trace = func() (*G.Node, error) {
		jac, err := grad.BatchJacobian(out, y) // (B, n, n)
		if err != nil {
			return nil, errorf(ErrInput, "Jacobian of the Network: %w", err)
		}
		B, n := y.Shape()[0], y.Shape()[1]
		mask := make([]float64, B*n*n)
		for s := 0; s < B; s++ {
			for j := 0; j < n; j++ {
				mask[(s*n+j)*n+j] = 1
			}
		}
		tr := b.Sum(b.HadamardProd(jac, constant(b, mask, "trace.mask", B, n, n)), 1, 2)
		return b.Reshape(tr, B, 1), b.Err()
	}
	return bt, nil
}
