package flows

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/rng"
)

// param returns a named float64 parameter of g drawn uniformly from
// ±scale (zero when scale is 0).
func param(g *G.ExprGraph, name string, r interface{ Float64() float64 }, scale float64, shape ...int) *G.Node {
	n := 1
	for _, s := range shape {
		n *= s
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = scale * (2*r.Float64() - 1)
	}
	t := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
	if len(shape) == 1 {
		return G.NewVector(g, G.Float64, G.WithShape(shape...), G.WithName(name), G.WithValue(t))
	}
	return G.NewMatrix(g, G.Float64, G.WithShape(shape...), G.WithName(name), G.WithValue(t))
}

// tanhNet is a user's Network that is the built-in network written in
// gorgonia's own ops: tanh hidden layers of the given widths, a linear
// last layer without its (gradient-free) bias.
func tanhNet(dim int, hidden ...int) Network {
	return NetworkFunc(func(g *G.ExprGraph, name string, seed uint64) (func(*G.Node) (*G.Node, error), []*G.Node, error) {
		r := rng.New(seed)
		sizes := append(append([]int{dim}, hidden...), 1)
		var ws, bs, ps []*G.Node
		for l := 0; l+1 < len(sizes); l++ {
			w := param(g, fmt.Sprintf("%s.W%d", name, l), r, 1/math.Sqrt(float64(sizes[l])), sizes[l], sizes[l+1])
			ws, ps = append(ws, w), append(ps, w)
			if l+2 < len(sizes) {
				b := param(g, fmt.Sprintf("%s.b%d", name, l), r, 0.1, 1, sizes[l+1])
				bs, ps = append(bs, b), append(ps, b)
			}
		}
		f := func(x *G.Node) (*G.Node, error) {
			a := x
			for l, w := range ws {
				z, err := G.Mul(a, w)
				if err != nil {
					return nil, err
				}
				if l == len(ws)-1 {
					return z, nil
				}
				if z, err = G.BroadcastAdd(z, bs[l], nil, []byte{0}); err != nil {
					return nil, err
				}
				if a, err = G.Tanh(z); err != nil {
					return nil, err
				}
			}
			return nil, errors.New("no layers")
		}
		return f, ps, nil
	})
}

// skipNet is a Network that is not an MLP: V(x) = Σ tanh(xW + b)·v +
// ½ Σ c ⊙ x² (a hidden layer with a quadratic skip term).
func skipNet(dim, hidden int) Network {
	return NetworkFunc(func(g *G.ExprGraph, name string, seed uint64) (func(*G.Node) (*G.Node, error), []*G.Node, error) {
		r := rng.New(seed)
		w := param(g, name+".W", r, 0.8, dim, hidden)
		b := param(g, name+".b", r, 0.3, 1, hidden)
		v := param(g, name+".v", r, 0.8, hidden, 1)
		c := param(g, name+".c", r, 0.5, 1, dim)
		f := func(x *G.Node) (*G.Node, error) {
			z := G.Must(G.BroadcastAdd(G.Must(G.Mul(x, w)), b, nil, []byte{0}))
			h := G.Must(G.Mul(G.Must(G.Tanh(z)), v))
			q := G.Must(G.BroadcastHadamardProd(G.Must(G.Square(x)), c, nil, []byte{0}))
			s := G.Must(G.Sum(q, 1))
			s = G.Must(Reshape(s, x.Shape()[0], 1))
			return G.Add(h, G.Must(G.Mul(s, G.NewConstant(0.5))))
		}
		return f, []*G.Node{w, b, v, c}, nil
	})
}

// TestUserNetworkGraph: an NHF of a user's K and V (not MLPs: a hidden
// layer with a quadratic skip term) trains through two leapfrog steps of
// two stages with ∇K and ∇V from internal/grad: its training loss equals
// the plain-Go bound (user gradients evaluated outside training) and its
// parameter gradient matches 4th-order finite differences.
func TestUserNetworkGraph(t *testing.T) {
	for _, d := range []int{2, 3} {
		m, err := NewNHFNetworks(d, skipNet(d, 6), skipNet(d, 5), NHFConfig{Stages: 2, StepSize: 0.3, Leapfrog: 2, EncoderHidden: []int{6}, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		// Measured: loss ≤ 3.6e-15 apart, gradient ≤ 2.5e-11 relative (h = 1e-4).
		checkNHFGraph(t, m, 5, 1e-12, 1e-9)
	}
}

// TestUserNetworkMatchesFused: the built-in tanh network written as a
// user's Network (gorgonia's ops, internal/grad's gradients) gives the
// fused path's numbers at the same weights: the training loss and its
// gradient, and the plain-Go log-density.
func TestUserNetworkMatchesFused(t *testing.T) {
	const d = 2
	cfg := NHFConfig{Hidden: []int{8, 8}, Stages: 2, StepSize: 0.3, Leapfrog: 3, EvalSamples: 4, Seed: 2}
	fused, err := NewNHF(d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cu := cfg
	cu.Hidden, cu.EncoderHidden = nil, []int{8, 8}
	user, err := NewNHFNetworks(d, tanhNet(d, 8, 8), tanhNet(d, 8, 8), cu)
	if err != nil {
		t.Fatal(err)
	}
	// The same weights: the user networks lack the output bias.
	theta := make([][]float64, len(fused.p.theta))
	for i, th := range fused.p.theta {
		theta[i] = append([]float64(nil), th...)
		if i >= netV(0) {
			theta[i] = theta[i][:len(th)-1]
		}
		if len(theta[i]) != len(user.p.theta[i]) {
			t.Fatalf("network %d: %d parameters, the user's %d", i, len(theta[i]), len(user.p.theta[i]))
		}
	}
	if err := user.p.set(theta); err != nil {
		t.Fatal(err)
	}
	x, err := TwoMoons.Sample(20, 5)
	if err != nil {
		t.Fatal(err)
	}
	a, err := fused.LogProb(x)
	if err != nil {
		t.Fatal(err)
	}
	b, err := user.LogProb(x)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i := range a {
		worst = math.Max(worst, math.Abs(a[i]-b[i]))
	}
	t.Logf("LogProb, user network vs fused: max diff %.2g", worst)
	// Measured: 1.8e-15 (the same maths summed in another order).
	if worst > 1e-12 {
		t.Errorf("LogProb, user network vs fused: max diff %.2g > 1e-12", worst)
	}
	checkNHFGraph(t, user, 6, 1e-12, 1e-9)
}

// TestUserNetworkErrors: a user's network that fails, panics, returns a
// wrong shape or reuses parameter names is an error matching ErrCallback.
func TestUserNetworkErrors(t *testing.T) {
	good := skipNet(2, 4)
	bad := map[string]Network{
		"error": NetworkFunc(func(*G.ExprGraph, string, uint64) (func(*G.Node) (*G.Node, error), []*G.Node, error) {
			return nil, nil, errors.New("boom")
		}),
		"panic": NetworkFunc(func(*G.ExprGraph, string, uint64) (func(*G.Node) (*G.Node, error), []*G.Node, error) {
			panic("boom")
		}),
		"no params": NetworkFunc(func(*G.ExprGraph, string, uint64) (func(*G.Node) (*G.Node, error), []*G.Node, error) {
			return func(x *G.Node) (*G.Node, error) { return x, nil }, nil, nil
		}),
		"fixed names": NetworkFunc(func(g *G.ExprGraph, name string, seed uint64) (func(*G.Node) (*G.Node, error), []*G.Node, error) {
			f, ps, err := good.Build(g, "K", seed)
			return f, ps, err
		}),
	}
	for what, n := range bad {
		if _, err := NewNHFNetworks(2, n, good, NHFConfig{}); !errors.Is(err, ErrCallback) {
			t.Errorf("%s: got %v, want ErrCallback", what, err)
		}
	}
	wide := NetworkFunc(func(g *G.ExprGraph, name string, seed uint64) (func(*G.Node) (*G.Node, error), []*G.Node, error) {
		w := param(g, name+".W", rng.New(seed), 1, 2, 3)
		return func(x *G.Node) (*G.Node, error) { return G.Mul(x, w) }, []*G.Node{w}, nil
	})
	m, err := NewNHFNetworks(2, wide, good, NHFConfig{})
	if err != nil {
		t.Fatal(err)
	}
	x, _ := TwoMoons.Sample(16, 1)
	if _, err := m.Train(t.Context(), x, TrainConfig{Steps: 1, BatchSize: 8}); !errors.Is(err, ErrCallback) || strings.Count(err.Error(), "flows:") != 1 {
		t.Errorf("a (B, 3) network: got %v, want ErrCallback naming the package once", err)
	}
	if _, err := NewNHFNetworks(2, good, good, NHFConfig{Hidden: []int{4}}); !errors.Is(err, ErrInput) {
		t.Errorf("Hidden with user networks: got %v, want ErrInput", err)
	}
	if _, err := Reshape(nil, 2); !errors.Is(err, ErrInput) {
		t.Errorf("Reshape(nil): got %v, want ErrInput", err)
	}
	if _, err := LoadNHFNetworks(nil, good, good); !errors.Is(err, ErrInput) {
		t.Errorf("LoadNHFNetworks(nil): got %v, want ErrInput", err)
	}
	if _, err := NewNHFNetworks(2, nil, good, NHFConfig{}); !errors.Is(err, ErrInput) {
		t.Errorf("nil K: got %v, want ErrInput", err)
	}
}

// TestUserNetworkFiles: a model of user networks loads back with
// LoadNHFNetworks, bit for bit; Load refuses it and LoadNHFNetworks refuses
// a built-in model's file and a truncated one (ErrCorrupt), and networks
// whose parameters differ from the file's.
func TestUserNetworkFiles(t *testing.T) {
	K, V := skipNet(2, 4), skipNet(2, 3)
	m, err := NewNHFNetworks(2, K, V, NHFConfig{EncoderHidden: []int{4}, Stages: 1, Leapfrog: 2, EvalSamples: 2, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	file := buf.Bytes()
	back, err := LoadNHFNetworks(bytes.NewReader(file), K, V)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := TwoMoons.Sample(8, 1)
	a, _ := m.LogProb(x)
	b, _ := back.LogProb(x)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("loaded model: LogProb[%d] = %v, saved model %v", i, b[i], a[i])
		}
	}
	if _, err := Load(bytes.NewReader(file)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Load of a user-network file: got %v, want ErrCorrupt", err)
	}
	if _, err := LoadNHFNetworks(bytes.NewReader(file[:len(file)/2]), K, V); !errors.Is(err, ErrCorrupt) {
		t.Errorf("truncated file: got %v, want ErrCorrupt", err)
	}
	if _, err := LoadNHFNetworks(bytes.NewReader(file), skipNet(2, 5), V); !errors.Is(err, ErrCorrupt) {
		t.Errorf("other networks: got %v, want ErrCorrupt", err)
	}
	builtin, err := NewNHF(2, NHFConfig{Hidden: []int{4}, Stages: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := builtin.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadNHFNetworks(&buf, K, V); !errors.Is(err, ErrCorrupt) {
		t.Errorf("a built-in model's file: got %v, want ErrCorrupt", err)
	}
}
