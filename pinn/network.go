package pinn

import (
	"fmt"
	"math"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/grad"
	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// genNet is the network when the fused MLP path does not apply (a Fourier
// embedding or the modified MLP): built from gorgonia's own ops, its input
// derivatives taken by internal/grad.
type genNet struct {
	emb    *embedding
	arch   Architecture
	act    ad.Activation
	hidden []int
	w, b   []*G.Node // layer weights (in, out) and biases (1, out), in order
	shapes [][2]int
}

// general reports whether the model needs the general network.
func (c Config) general() bool { return c.Fourier.on() || c.Architecture != MLP }

// newGenNet makes the parameters on g (Glorot-uniform weights from seed,
// zero biases, as internal/ad's MLP).
func newGenNet(g *G.ExprGraph, dim int, cfg Config, act ad.Activation) *genNet {
	n := &genNet{arch: cfg.Architecture, act: act, hidden: cfg.Hidden}
	n.emb = newEmbedding(dim, cfg.Fourier, cfg.Seed)
	in := n.emb.width()
	if n.arch == ModifiedMLP {
		h := cfg.Hidden[0]
		n.shapes = append(n.shapes, [2]int{in, h}, [2]int{in, h}, [2]int{in, h})
		for l := 1; l < len(cfg.Hidden); l++ {
			n.shapes = append(n.shapes, [2]int{h, h})
		}
		n.shapes = append(n.shapes, [2]int{h, 1})
	} else {
		sizes := append(append([]int{in}, cfg.Hidden...), 1)
		for l := 0; l+1 < len(sizes); l++ {
			n.shapes = append(n.shapes, [2]int{sizes[l], sizes[l+1]})
		}
	}
	r := rng.New(cfg.Seed)
	for l, s := range n.shapes {
		lim := math.Sqrt(6 / float64(s[0]+s[1]))
		wd := make([]float64, s[0]*s[1])
		for i := range wd {
			wd[i] = lim * (2*r.Float64() - 1)
		}
		n.w = append(n.w, G.NewMatrix(g, G.Float64, G.WithShape(s[0], s[1]), G.WithName(fmt.Sprintf("pinn.W%d", l)),
			G.WithValue(tensor.New(tensor.WithShape(s[0], s[1]), tensor.WithBacking(wd)))))
		n.b = append(n.b, G.NewMatrix(g, G.Float64, G.WithShape(1, s[1]), G.WithName(fmt.Sprintf("pinn.b%d", l)),
			G.WithValue(tensor.New(tensor.WithShape(1, s[1]), tensor.WithBacking(make([]float64, s[1]))))))
	}
	return n
}

// params returns W0, b0, W1, b1, …
func (n *genNet) params() []*G.Node {
	var ps []*G.Node
	for l := range n.w {
		ps = append(ps, n.w[l], n.b[l])
	}
	return ps
}

func (n *genNet) actNode(b *build.B) func(*G.Node) *G.Node {
	switch n.act {
	case ad.Sin:
		return b.Sin
	case ad.Softplus:
		return b.Softplus
	case ad.Sigmoid:
		return b.Sigmoid
	}
	return b.Tanh
}

func (n *genNet) actFunc() func(float64) float64 {
	switch n.act {
	case ad.Sin:
		return math.Sin
	case ad.Softplus:
		return func(z float64) float64 {
			if z > 30 {
				return z + math.Log1p(math.Exp(-z))
			}
			return math.Log1p(math.Exp(z))
		}
	case ad.Sigmoid:
		return func(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
	}
	return math.Tanh
}

// forward builds the (B, 1) output for the (B, dim) scaled input x.
func (n *genNet) forward(b *build.B, x *G.Node) *G.Node {
	act := n.actNode(b)
	dense := func(h *G.Node, l int) *G.Node {
		return b.BroadcastAdd(b.Mul(h, n.w[l]), n.b[l], nil, []byte{0})
	}
	h := n.emb.node(b, x)
	last := len(n.w) - 1
	if n.arch == ModifiedMLP {
		var layers []*G.Node
		for l := 0; l < last; l++ {
			layers = append(layers, n.w[l], n.b[l])
		}
		h = modifiedForward(b, act, h, layers, last-2)
	} else {
		for l := 0; l < last; l++ {
			h = act(dense(h, l))
		}
	}
	return dense(h, last)
}

// derivatives builds u, every first derivative (if first), the pure second
// derivatives pure and the mixed ones mixed, with respect to the scaled
// inputs, by internal/grad's batched reverse passes.
func (n *genNet) derivatives(b *build.B, x *G.Node, first bool, pure []int, mixed [][2]int) (u *G.Node, d1 map[int]*G.Node, d2 map[[2]int]*G.Node, err error) {
	u = n.forward(b, x)
	if err := b.Err(); err != nil {
		return nil, nil, nil, err
	}
	d1, d2 = map[int]*G.Node{}, map[[2]int]*G.Node{}
	dim := x.Shape()[1]
	B := x.Shape()[0]
	if first {
		g, err := grad.BatchGrad(u, x)
		if err != nil {
			return nil, nil, nil, wrap(err, "network derivatives")
		}
		for i := 0; i < dim; i++ {
			d1[i] = column(b, g, i)
		}
	}
	for _, i := range pure {
		l, err := grad.BatchLaplacian(u, x, i)
		if err != nil {
			return nil, nil, nil, wrap(err, "network second derivatives")
		}
		d2[[2]int{i, i}] = l
	}
	if len(mixed) > 0 {
		h, err := grad.BatchHessian(u, x)
		if err != nil {
			return nil, nil, nil, wrap(err, "network Hessian")
		}
		flat, err := grad.Reshape(h, tensor.Shape{B, dim * dim})
		if err != nil {
			return nil, nil, nil, wrap(err, "network Hessian")
		}
		for _, ij := range mixed {
			k := ij[0]*dim + ij[1]
			d2[ij] = column(b, flat, k)
		}
	}
	return u, d1, d2, b.Err()
}

// column returns column i of the (B, n) node g as a (B, 1) node, by a
// product with a unit vector (a slice would give a (B) vector, and
// reshaping it shares memory that in-place ops overwrite).
func column(b *build.B, g *G.Node, i int) *G.Node {
	n := g.Shape()[1]
	e := make([]float64, n)
	e[i] = 1
	return b.Mul(g, b.Constant(e, n, 1))
}

// dense is a plain-Go copy of the network's weights for Predict.
type genDense struct {
	n    *genNet
	w, b [][]float64
}

func (n *genNet) snapshot() (*genDense, error) {
	d := &genDense{n: n}
	for l := range n.w {
		w, err := train.Values([]*G.Node{n.w[l]})
		if err != nil {
			return nil, wrap(err, "network")
		}
		bs, err := train.Values([]*G.Node{n.b[l]})
		if err != nil {
			return nil, wrap(err, "network")
		}
		d.w, d.b = append(d.w, w), append(d.b, bs)
	}
	return d, nil
}

// forward returns the network's output at the scaled input s.
func (d *genDense) forward(s []float64) float64 {
	n := d.n
	act := n.actFunc()
	h := make([]float64, n.emb.width())
	n.emb.apply(h, s)
	last := len(d.w) - 1
	if n.arch == ModifiedMLP {
		h = modifiedDense(act, h, d.w[:last], d.b[:last], n.shapes[0][1])
	} else {
		for l := 0; l < last; l++ {
			out := n.shapes[l][1]
			z := make([]float64, out)
			for o := range z {
				v := d.b[l][o]
				for i, hi := range h {
					v += hi * d.w[l][i*out+o]
				}
				z[o] = act(v)
			}
			h = z
		}
	}
	v := d.b[last][0]
	for i, hi := range h {
		v += hi * d.w[last][i]
	}
	return v
}
