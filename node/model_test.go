package node_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/node"
)

// skipNet is a user's network the package does not ship: a tanh layer of
// (y, t) with a linear skip connection,
//
//	f(y, t) = tanh(y·W1 + t·w + b)·W2 + y·A,
//
// built from gorgonia's own ops.
type skipNet struct {
	dim, hidden int
	seed        uint64
}

func (s skipNet) Build(g *G.ExprGraph, y, t *G.Node) (*G.Node, []*G.Node, error) {
	r := rand.New(rand.NewPCG(s.seed, 1))
	param := func(name string, shape ...int) *G.Node {
		n := 1
		for _, v := range shape {
			n *= v
		}
		d := make([]float64, n)
		for i := range d {
			d[i] = 0.4 * r.NormFloat64()
		}
		return G.NewTensor(g, G.Float64, len(shape), G.WithShape(shape...), G.WithName(name),
			G.WithValue(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))))
	}
	W1, w, b := param("W1", s.dim, s.hidden), param("w", 1, s.hidden), param("b", 1, s.hidden)
	W2, A := param("W2", s.hidden, s.dim), param("A", s.dim, s.dim)
	z := G.Must(G.Mul(y, W1))
	z = G.Must(G.Add(z, G.Must(G.Mul(t, w))))
	z = G.Must(G.BroadcastAdd(z, b, nil, []byte{0}))
	out := G.Must(G.Add(G.Must(G.Mul(G.Must(G.Tanh(z)), W2)), G.Must(G.Mul(y, A))))
	return out, []*G.Node{W1, w, b, W2, A}, nil
}

// dampedData is three trajectories of a damped linear oscillator with a
// time-dependent forcing, y' = [[−0.1, 1], [−1, −0.1]]y + [0, 0.3 sin t],
// observed at 15 times.
func dampedData(t *testing.T) *node.Data {
	t.Helper()
	f := func(tt float64, y, d []float64) error {
		d[0] = -0.1*y[0] + y[1]
		d[1] = -y[0] - 0.1*y[1] + 0.3*math.Sin(tt)
		return nil
	}
	T := make([]float64, 15)
	for i := range T {
		T[i] = 0.2 * float64(i)
	}
	d := &node.Data{T: T}
	for _, y0 := range [][]float64{{1, 0}, {0, -1}, {-0.5, 0.8}} {
		sol, err := node.Solve(f, y0, T, node.DormandPrince(), node.Options{RTol: 1e-10, ATol: 1e-10})
		if err != nil {
			t.Fatal(err)
		}
		var y []float64
		for _, s := range sol.Y {
			y = append(y, s...)
		}
		d.Y = append(d.Y, y)
	}
	return d
}

// TestUserNetworkTrainSaveLoad: a user's own network trains on a user's
// system with adjoint gradients (the loss falls 20× in 150 steps; measured
// 2.5e-1 → 2.4e-3), saves, loads into a fresh model, and predicts bit for
// bit the same.
func TestUserNetworkTrainSaveLoad(t *testing.T) {
	net := skipNet{dim: 2, hidden: 8, seed: 5}
	m, err := node.NewNetwork(2, net, node.Config{})
	if err != nil {
		t.Fatal(err)
	}
	d := dampedData(t)
	h, err := m.Train(context.Background(), d, node.TrainConfig{Steps: 150, LR: 2e-2, Window: 6, BatchSize: 8, Seed: 1,
		Solver: node.RK4(), Options: node.Options{Dt: 0.1}, Gradient: node.Adjoint})
	if err != nil {
		t.Fatal(err)
	}
	first, last := h.Loss[0], h.Loss[len(h.Loss)-1]
	t.Logf("loss %.3g → %.3g in %d steps (%v)", first, last, h.Steps, h.Elapsed)
	if !(last < first/20) {
		t.Errorf("loss fell from %.3g to %.3g, want 20×", first, last)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := node.Load(bytes.NewReader(buf.Bytes())); !errors.Is(err, node.ErrCorrupt) {
		t.Errorf("Load of a Network model: %v, want ErrCorrupt", err)
	}
	m2, err := node.LoadNetwork(bytes.NewReader(buf.Bytes()), net)
	if err != nil {
		t.Fatal(err)
	}
	samePredictions(t, m, m2)
}

func samePredictions(t *testing.T, a, b *node.Model) {
	t.Helper()
	y0 := []float64{0.3, 0.2, -1, 0.5}
	ts := []float64{0, 0.5, 1.5}
	s1, err := a.Solve(y0, ts, node.DormandPrince(), node.Options{RTol: 1e-8, ATol: 1e-8})
	if err != nil {
		t.Fatal(err)
	}
	s2, err := b.Solve(y0, ts, node.DormandPrince(), node.Options{RTol: 1e-8, ATol: 1e-8})
	if err != nil {
		t.Fatal(err)
	}
	for i := range s1.Y {
		for j := range s1.Y[i] {
			if math.Float64bits(s1.Y[i][j]) != math.Float64bits(s2.Y[i][j]) {
				t.Fatalf("prediction differs after load: %v vs %v", s1.Y[i][j], s2.Y[i][j])
			}
		}
	}
}

// TestMLPSaveLoadFile: the built-in MLP with a time input trains with
// backprop, round-trips through a file, and a corrupted file is an error.
func TestMLPSaveLoadFile(t *testing.T) {
	m, err := node.New(2, node.Config{Hidden: []int{16}, TimeInput: true, Activation: "softplus", Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), dampedData(t), node.TrainConfig{Steps: 5, LR: 1e-2,
		Solver: node.Midpoint(), Options: node.Options{Dt: 0.1}}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.node")
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	m2, err := node.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := m2.Config(); got.Activation != "softplus" || !got.TimeInput || len(got.Hidden) != 1 {
		t.Errorf("config after load: %+v", got)
	}
	samePredictions(t, m, m2)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	for _, at := range []int{3, 17, 30, len(data) / 2, len(data) - 5} {
		bad := append([]byte(nil), data...)
		bad[at] ^= 0x20
		if _, err := node.Load(bytes.NewReader(bad)); !errors.Is(err, node.ErrCorrupt) {
			t.Errorf("flipped byte %d: %v, want ErrCorrupt", at, err)
		}
	}
	if _, err := node.Load(bytes.NewReader(data[:len(data)-10])); !errors.Is(err, node.ErrCorrupt) {
		t.Errorf("truncated: %v, want ErrCorrupt", err)
	}
}

// wrongShape is a Network whose output is not (B, dim).
type wrongShape struct{}

func (wrongShape) Build(g *G.ExprGraph, y, t *G.Node) (*G.Node, []*G.Node, error) {
	W := G.NewMatrix(g, G.Float64, G.WithShape(2, 3), G.WithName("W"), G.WithInit(G.Zeroes()))
	return G.Must(G.Mul(y, W)), []*G.Node{W}, nil
}

// panicky is a Network whose Build panics.
type panicky struct{}

func (panicky) Build(g *G.ExprGraph, y, t *G.Node) (*G.Node, []*G.Node, error) { panic("user bug") }

func TestModelErrors(t *testing.T) {
	if _, err := node.NewNetwork(2, wrongShape{}, node.Config{}); !errors.Is(err, node.ErrCallback) {
		t.Errorf("f of the wrong shape: %v, want ErrCallback", err)
	}
	if _, err := node.NewNetwork(2, panicky{}, node.Config{}); !errors.Is(err, node.ErrCallback) {
		t.Errorf("panicking Build: %v, want ErrCallback", err)
	}
	if _, err := node.NewNetwork(2, skipNet{2, 4, 1}, node.Config{Hidden: []int{3}}); !errors.Is(err, node.ErrInput) {
		t.Errorf("MLP fields with a Network: %v, want ErrInput", err)
	}
	if _, err := node.New(0, node.Config{}); !errors.Is(err, node.ErrInput) {
		t.Errorf("dim 0: %v", err)
	}
	if _, err := node.New(2, node.Config{Activation: "relu6"}); !errors.Is(err, node.ErrInput) {
		t.Errorf("bad activation: %v", err)
	}
	m, err := node.New(2, node.Config{Hidden: []int{8}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ok := node.Options{Dt: 0.1}
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"NaN state", second(m.Solve([]float64{math.NaN(), 0}, []float64{0, 1}, node.RK4(), ok)), node.ErrNotFinite},
		{"partial state", second(m.Solve([]float64{1, 0, 3}, []float64{0, 1}, node.RK4(), ok)), node.ErrInput},
		{"rtol ≤ 0", second(m.Solve([]float64{1, 0}, []float64{0, 1}, node.DormandPrince(), node.Options{RTol: 0, ATol: 1e-6})), node.ErrInput},
		{"rtol < 0", second(m.Solve([]float64{1, 0}, []float64{0, 1}, node.DormandPrince(), node.Options{RTol: -1, ATol: 1e-6})), node.ErrInput},
		{"times out of order", second(m.Solve([]float64{1, 0}, []float64{0, 1, 0.5}, node.RK4(), ok)), node.ErrInput},
		{"symplectic solver", second(m.Solve([]float64{1, 0}, []float64{0, 1}, node.Leapfrog(), ok)), node.ErrInput},
		{"cotangents", second(m.Gradient([]float64{1, 0}, []float64{0, 1}, [][]float64{nil}, node.RK4(), ok, node.Adjoint)), node.ErrInput},
		{"NaN cotangent", second(m.Gradient([]float64{1, 0}, []float64{0, 1}, [][]float64{nil, {math.NaN(), 0}}, node.RK4(), ok, node.Adjoint)), node.ErrNotFinite},
		{"SetParams length", m.SetParams([]float64{1}), node.ErrInput},
		{"zero Model", second((&node.Model{}).Solve([]float64{1, 0}, []float64{0, 1}, node.RK4(), ok)), node.ErrZeroValue},
		{"zero CNF", second((&node.CNF{}).LogDensity([]float64{1, 0}, node.RK4(), ok)), node.ErrZeroValue},
	}
	d := dampedData(t)
	bad := &node.Data{T: d.T, Y: [][]float64{append([]float64(nil), d.Y[0]...)}}
	bad.Y[0][7] = math.NaN()
	train := func(d *node.Data, tc node.TrainConfig) error {
		_, err := m.Train(context.Background(), d, tc)
		return err
	}
	tc := node.TrainConfig{Steps: 2, Solver: node.RK4(), Options: ok}
	cases = append(cases, []struct {
		name string
		err  error
		want error
	}{
		{"NaN data", train(bad, tc), node.ErrNotFinite},
		{"no solver", train(d, node.TrainConfig{Steps: 2}), node.ErrInput},
		{"window 1", train(d, node.TrainConfig{Steps: 2, Window: 1, Solver: node.RK4(), Options: ok}), node.ErrInput},
		{"negative weight", train(d, node.TrainConfig{Steps: 2, Kinetic: -1, Solver: node.RK4(), Options: ok}), node.ErrInput},
		{"KellyOrder without Kelly", train(d, node.TrainConfig{Steps: 2, KellyOrder: 3, Solver: node.RK4(), Options: ok}), node.ErrInput},
		{"batch too big", train(d, node.TrainConfig{Steps: 2, BatchSize: 100, Solver: node.RK4(), Options: ok}), node.ErrInput},
	}...)
	for _, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.err, c.want)
			continue
		}
		if msg := c.err.Error(); len(msg) < 6 || msg[:6] != "node: " || bytes.Count([]byte(msg), []byte("node: ")) != 1 {
			t.Errorf("%s: message %q should start with \"node: \" once", c.name, msg)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// TestTrainStops: a cancelled context stops with context.Canceled and the
// parameters of the last completed step; a time limit stops without error;
// a loss that overflows stops with ErrNotFinite naming the step.
func TestTrainStops(t *testing.T) {
	m, err := node.New(2, node.Config{Hidden: []int{8}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	d := dampedData(t)
	ctx, cancel := context.WithCancel(context.Background())
	steps := 0
	tc := node.TrainConfig{Steps: 50, Solver: node.RK4(), Options: node.Options{Dt: 0.2},
		Progress: func(p node.Progress) {
			steps = p.Step
			if p.Step >= 2 {
				cancel()
			}
		}}
	h, err := m.Train(ctx, d, tc)
	if !errors.Is(err, context.Canceled) || h.Steps > 4 || h.Stop != "canceled" {
		t.Errorf("cancel: steps %d (progress %d), stop %q, err %v", h.Steps, steps, h.Stop, err)
	}
	tc = node.TrainConfig{Steps: 100000, TimeLimit: 200 * time.Millisecond, Solver: node.RK4(), Options: node.Options{Dt: 0.2}}
	h, err = m.Train(context.Background(), d, tc)
	if err != nil || h.Stop != "time limit" || h.Steps >= 100000 {
		t.Errorf("time limit: %v, %q after %d steps", err, h.Stop, h.Steps)
	}
	huge := &node.Data{T: d.T, Y: [][]float64{make([]float64, len(d.Y[0]))}}
	for i := 2; i < len(huge.Y[0]); i++ {
		huge.Y[0][i] = 1e200 // observations far from y0: the squared error overflows
	}
	before := m.Params()
	_, err = m.Train(context.Background(), huge, node.TrainConfig{Steps: 5, Solver: node.RK4(), Options: node.Options{Dt: 0.2}})
	if !errors.Is(err, node.ErrNotFinite) || !strings.HasPrefix(err.Error(), "node: step 1: ") || strings.Count(err.Error(), "node") != 1 {
		t.Errorf("overflowing loss: %v, want ErrNotFinite, \"node: step 1: \" once", err)
	}
	after := m.Params()
	for i := range before {
		if before[i] != after[i] {
			t.Fatalf("parameters changed by a failed first step")
		}
	}
}

// TestProgressPanics: a Progress callback that panics stops training after
// the step it reported, with an error matching ErrCallback, on the plain
// and the regularized path.
func TestProgressPanics(t *testing.T) {
	d := dampedData(t)
	for _, kinetic := range []float64{0, 0.01} {
		m, err := node.New(2, node.Config{Hidden: []int{8}, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		at := 0
		tc := node.TrainConfig{Steps: 50, Kinetic: kinetic, Solver: node.RK4(), Options: node.Options{Dt: 0.2}, Progress: func(p node.Progress) {
			if p.Step >= 3 {
				at = p.Step
				panic("user bug")
			}
		}}
		h, err := m.Train(context.Background(), d, tc)
		if !errors.Is(err, node.ErrCallback) || !strings.Contains(err.Error(), "user bug") || h.Steps != at {
			t.Errorf("kinetic %g: %d steps, panic at step %d, %v", kinetic, h.Steps, at, err)
		}
	}
}
