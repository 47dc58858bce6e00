package flows_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/flows"
)

// newParam makes a named float64 (rows, cols) parameter of g, drawn
// uniformly from ±scale.
func newParam(g *G.ExprGraph, name string, r *rand.Rand, scale float64, rows, cols int) *G.Node {
	v := make([]float64, rows*cols)
	for i := range v {
		v[i] = scale * (2*r.Float64() - 1)
	}
	return G.NewMatrix(g, G.Float64, G.WithShape(rows, cols), G.WithName(name),
		G.WithValue(tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(v))))
}

// kinetic is a user's K(p) = ½ Σᵢ e^{sᵢ} pᵢ²: a kinetic energy with learned
// inverse masses e^{sᵢ}, not a network at all.
func kinetic(dim int) flows.Network {
	return flows.NetworkFunc(func(g *G.ExprGraph, name string, seed uint64) (func(*G.Node) (*G.Node, error), []*G.Node, error) {
		s := newParam(g, name+".logmass", rand.New(rand.NewPCG(seed, 1)), 0.1, 1, dim)
		f := func(p *G.Node) (*G.Node, error) {
			m, err := G.Exp(s)
			if err != nil {
				return nil, err
			}
			p2, err := G.Square(p)
			if err != nil {
				return nil, err
			}
			e, err := G.BroadcastHadamardProd(p2, m, nil, []byte{0})
			if err != nil {
				return nil, err
			}
			k, err := G.Sum(e, 1)
			if err != nil {
				return nil, err
			}
			k, err = flows.Reshape(k, p.Shape()[0], 1)
			if err != nil {
				return nil, err
			}
			return G.HadamardProd(k, G.NewConstant(0.5))
		}
		return f, []*G.Node{s}, nil
	})
}

// potential is a user's V(q) = softplus(qW + b)·v + ½|q|²·c²: one softplus
// layer beside a learned confining quadratic (a skip connection).
func potential(dim, hidden int) flows.Network {
	return flows.NetworkFunc(func(g *G.ExprGraph, name string, seed uint64) (func(*G.Node) (*G.Node, error), []*G.Node, error) {
		r := rand.New(rand.NewPCG(seed, 2))
		w := newParam(g, name+".W", r, 1, dim, hidden)
		b := newParam(g, name+".b", r, 0.5, 1, hidden)
		v := newParam(g, name+".v", r, 1/math.Sqrt(float64(hidden)), hidden, 1)
		c := newParam(g, name+".c", r, 1, 1, 1)
		f := func(q *G.Node) (*G.Node, error) {
			z := G.Must(G.BroadcastAdd(G.Must(G.Mul(q, w)), b, nil, []byte{0}))
			h := G.Must(G.Mul(G.Must(G.Softplus(z)), v))
			q2 := G.Must(flows.Reshape(G.Must(G.Sum(G.Must(G.Square(q)), 1)), q.Shape()[0], 1))
			c2 := G.Must(G.Square(c))
			quad := G.Must(G.BroadcastHadamardProd(q2, c2, nil, []byte{0}))
			return G.Add(h, G.Must(G.HadamardProd(quad, G.NewConstant(0.5))))
		}
		return f, []*G.Node{w, b, v, c}, nil
	})
}

// A user's own K(p) and V(q), any gorgonia graphs: train an NHF of them,
// save it, load it into a fresh model with the same networks, and get the
// same log-densities bit for bit.
func ExampleNewNHFNetworks() {
	const dim = 2
	cfg := flows.NHFConfig{EncoderHidden: []int{16}, Stages: 2, Leapfrog: 2, StepSize: 0.3, EvalSamples: 8, Seed: 1}
	m, err := flows.NewNHFNetworks(dim, kinetic(dim), potential(dim, 8), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	x, _ := flows.GaussianRing.Sample(512, 1)
	test, _ := flows.GaussianRing.Sample(256, 2)
	before, _ := m.LogProb(test)
	if _, err := m.Train(context.Background(), x, flows.TrainConfig{Steps: 150, BatchSize: 128, LR: 1e-2, Seed: 1}); err != nil {
		fmt.Println(err)
		return
	}
	after, _ := m.LogProb(test)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		fmt.Println(err)
		return
	}
	back, err := flows.LoadNHFNetworks(&buf, kinetic(dim), potential(dim, 8))
	if err != nil {
		fmt.Println(err)
		return
	}
	again, _ := back.LogProb(test)
	same := true
	for i := range after {
		same = same && after[i] == again[i]
	}
	fmt.Println("parameters:", m.NumParams())
	fmt.Println("training raised the test log-likelihood:", mean(after) > mean(before)+0.3)
	fmt.Println("loaded model bit-identical:", same)
	// Output:
	// parameters: 234
	// training raised the test log-likelihood: true
	// loaded model bit-identical: true
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
