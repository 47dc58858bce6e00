package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/flows"
)

// A user's own Hamiltonian parts for flows.NewNHFNetworks (the -user
// model): K(p) = ½ Σᵢ e^{sᵢ} pᵢ², a kinetic energy with learned inverse
// masses, and V(q) = tanh-network(q) + ½ c² |q|², a 2-16-16-1 tanh network
// beside a learned confining quadratic (a skip connection). Neither is the
// package's MLP; their gradients in training come from internal/grad.

// weight makes a named (rows, cols) float64 parameter of g, uniform in
// ±scale.
func weight(g *G.ExprGraph, name string, r *rand.Rand, scale float64, rows, cols int) *G.Node {
	v := make([]float64, rows*cols)
	for i := range v {
		v[i] = scale * (2*r.Float64() - 1)
	}
	return G.NewMatrix(g, G.Float64, G.WithShape(rows, cols), G.WithName(name),
		G.WithValue(tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(v))))
}

// rowSum returns Σ over the columns of x (B, n), as (B, 1).
func rowSum(x *G.Node) (*G.Node, error) {
	s, err := G.Sum(x, 1)
	if err != nil {
		return nil, err
	}
	return flows.Reshape(s, x.Shape()[0], 1)
}

// kineticNet is K(p) = ½ Σᵢ e^{sᵢ} pᵢ².
func kineticNet(dim int) flows.Network {
	return flows.NetworkFunc(func(g *G.ExprGraph, name string, seed uint64) (func(*G.Node) (*G.Node, error), []*G.Node, error) {
		s := weight(g, name+".logmass", rand.New(rand.NewPCG(seed, 1)), 0.1, 1, dim)
		f := func(p *G.Node) (*G.Node, error) {
			e := G.Must(G.BroadcastHadamardProd(G.Must(G.Square(p)), G.Must(G.Exp(s)), nil, []byte{0}))
			k, err := rowSum(e)
			if err != nil {
				return nil, err
			}
			return G.HadamardProd(k, G.NewConstant(0.5))
		}
		return f, []*G.Node{s}, nil
	})
}

// potentialNet is V(q) = tanh(tanh(qW₀ + b₀)W₁ + b₁)·w₂ + ½ c² |q|².
func potentialNet(dim, hidden int) flows.Network {
	return flows.NetworkFunc(func(g *G.ExprGraph, name string, seed uint64) (func(*G.Node) (*G.Node, error), []*G.Node, error) {
		r := rand.New(rand.NewPCG(seed, 2))
		glorot := func(a, b int) float64 { return math.Sqrt(6 / float64(a+b)) }
		w0 := weight(g, name+".W0", r, glorot(dim, hidden), dim, hidden)
		b0 := weight(g, name+".b0", r, 0, 1, hidden)
		w1 := weight(g, name+".W1", r, glorot(hidden, hidden), hidden, hidden)
		b1 := weight(g, name+".b1", r, 0, 1, hidden)
		w2 := weight(g, name+".W2", r, glorot(hidden, 1), hidden, 1)
		c := weight(g, name+".c", r, 0, 1, 1)
		c.Value().Data().([]float64)[0] = 0.5
		f := func(q *G.Node) (*G.Node, error) {
			layer := func(a, w, b *G.Node) *G.Node {
				return G.Must(G.Tanh(G.Must(G.BroadcastAdd(G.Must(G.Mul(a, w)), b, nil, []byte{0}))))
			}
			h := G.Must(G.Mul(layer(layer(q, w0, b0), w1, b1), w2))
			q2, err := rowSum(G.Must(G.Square(q)))
			if err != nil {
				return nil, err
			}
			quad := G.Must(G.BroadcastHadamardProd(q2, G.Must(G.Square(c)), nil, []byte{0}))
			return G.Add(h, G.Must(G.HadamardProd(quad, G.NewConstant(0.5))))
		}
		return f, []*G.Node{w0, b0, w1, b1, w2, c}, nil
	})
}

// newUserNHF is the NHF of the example with K and V replaced by the user's
// networks above (same stages, steps and encoder).
func newUserNHF() (*flows.NHF, error) {
	nhf, err := flows.NewNHFNetworks(2, kineticNet(2), potentialNet(2, 16),
		flows.NHFConfig{EncoderHidden: []int{24, 24}, Stages: 5, Leapfrog: 2, StepSize: 0.2, Seed: 1})
	if err != nil {
		return nil, fmt.Errorf("user networks: %w", err)
	}
	return nhf, nil
}
