// Command node runs the neural-ODE examples and writes their plots:
//
//  1. spiral: torchdiffeq's demo. Learn the dynamics dy/dt = (y³)A with
//     A = [[−0.1, 2], [−2, −0.1]] (a row vector times A) from one noisy
//     trajectory of 1,000 points over t ∈ [0, 25], by windows of 10
//     observations, with torchdiffeq's network (y³ → 50 tanh → 2, written
//     as a user's gorgonia Network), without and with a regularizer (by
//     default Finlay et al. 2020's kinetic energy at 1e-3; -kelly,
//     -kelly-order and -frobenius add Kelly et al. 2020's K-th time
//     derivative and the Jacobian's Frobenius norm), and compare the
//     training loss and the number of evaluations an adaptive solver needs
//     on the learned dynamics.
//
//  2. cnf: a continuous normalizing flow fitted to a 2-D density (two
//     interleaved moons), its learned density plotted and checked to
//     integrate to 1.
//
//     go run ./examples/node                 # both, plots in ./out
//     go run ./examples/node -only spiral -iters 500
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/node"
)

func main() {
	out := flag.String("out", "out", "folder for the PNG plots")
	only := flag.String("only", "", "run only these parts (comma-separated: spiral, cnf)")
	iters := flag.Int("iters", 1000, "training steps of each spiral model")
	cnfIters := flag.Int("cnf-iters", 400, "training steps of the CNF")
	lr := flag.Float64("lr", 1e-2, "Adam learning rate of the spiral models")
	kelly := flag.Float64("kelly", 0, "weight of Kelly et al.'s K-th derivative regularizer in the regularized spiral model")
	frob := flag.Float64("frobenius", 0, "weight of Finlay et al.'s Jacobian Frobenius regularizer in the regularized spiral model")
	kin := flag.Float64("kinetic", 1e-3, "weight of Finlay et al.'s kinetic-energy regularizer in the regularized spiral model")
	kellyOrder := flag.Int("kelly-order", 2, "order K of Kelly et al.'s regularizer")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	want := func(s string) bool { return *only == "" || strings.Contains(","+*only+",", ","+s+",") }
	if want("spiral") {
		if err := spiral(*out, *iters, *lr, *kelly, *frob, *kin, *kellyOrder); err != nil {
			fail(err)
		}
	}
	if want("cnf") {
		if err := cnf(*out, *cnfIters); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "node example:", err)
	os.Exit(1)
}

// spiralA is torchdiffeq's true_A; the true dynamics are dy/dt = (y³)·A.
var spiralA = [2][2]float64{{-0.1, 2}, {-2, -0.1}}

func spiralField(t float64, y, d []float64) error {
	a, b := y[0]*y[0]*y[0], y[1]*y[1]*y[1]
	d[0] = a*spiralA[0][0] + b*spiralA[1][0]
	d[1] = a*spiralA[0][1] + b*spiralA[1][1]
	return nil
}

// spiralData is the true trajectory from (2, 0) at 1,000 times on [0, 25]
// and a noisy copy (Gaussian noise of standard deviation sigma).
func spiralData(sigma float64, seed uint64) (ts, clean, noisy []float64, err error) {
	const n = 1000
	ts = make([]float64, n)
	for i := range ts {
		ts[i] = 25 * float64(i) / (n - 1)
	}
	sol, err := node.Solve(spiralField, []float64{2, 0}, ts, node.DormandPrince(), node.Options{RTol: 1e-10, ATol: 1e-10})
	if err != nil {
		return nil, nil, nil, err
	}
	r := rng.New(seed)
	for _, y := range sol.Y {
		clean = append(clean, y...)
		noisy = append(noisy, y[0]+sigma*r.NormFloat64(), y[1]+sigma*r.NormFloat64())
	}
	return ts, clean, noisy, nil
}

// spiralRun is one trained spiral model and its numbers.
type spiralRun struct {
	name    string
	m       *node.Model
	hist    node.History
	fit     float64 // mean squared error of the whole-trajectory solve against the clean data
	nfe     int     // Dormand–Prince evaluations for the whole trajectory at tolerance 1e-6
	elapsed time.Duration
}

func spiral(out string, iters int, lr, kelly, frob, kin float64, kellyOrder int) error {
	ts, clean, noisy, err := spiralData(0.01, 1)
	if err != nil {
		return err
	}
	data := &node.Data{T: ts, Y: [][]float64{noisy}}
	base := node.TrainConfig{Steps: iters, LR: lr, BatchSize: 20, Window: 10, Seed: 1,
		Solver: node.RK4(), Options: node.Options{Dt: ts[1] - ts[0]}}
	reg := base
	reg.Kelly, reg.Frobenius, reg.Kinetic = kelly, frob, kin
	if kelly > 0 {
		reg.KellyOrder = kellyOrder // the order of the Kelly regularizer only
	}
	fmt.Printf("spiral: torchdiffeq's demo, dy/dt = (y³)A, one trajectory of 1,000 points on [0, 25] with noise σ = 0.01\n")
	fmt.Printf("  f: torchdiffeq's ODEFunc, y³ → 50 tanh → 2, a user's gorgonia Network; %d Adam steps (lr %g) of 20 windows × 10 points, RK4 with one step per observation, backprop\n", iters, lr)
	var runs []spiralRun
	for _, c := range []struct {
		name string
		tc   node.TrainConfig
	}{{"unregularized", base}, {regName(kelly, frob, kin, kellyOrder), reg}} {
		m, err := node.NewNetwork(2, cubicNet{hidden: 50, seed: 1}, node.Config{})
		if err != nil {
			return err
		}
		c.tc.Progress = node.ProgressBar(os.Stderr, "  "+strings.Fields(c.name)[0])
		start := time.Now()
		h, err := m.Train(context.Background(), data, c.tc)
		if err != nil {
			return err
		}
		r := spiralRun{name: c.name, m: m, hist: h, elapsed: time.Since(start)}
		sol, err := m.Solve([]float64{2, 0}, ts, node.DormandPrince(), node.Options{RTol: 1e-6, ATol: 1e-6})
		if err != nil {
			return err
		}
		r.nfe = sol.NFE
		for i, y := range sol.Y {
			r.fit += ((y[0]-clean[2*i])*(y[0]-clean[2*i]) + (y[1]-clean[2*i+1])*(y[1]-clean[2*i+1])) / float64(2*len(ts))
		}
		runs = append(runs, r)
	}
	fmt.Printf("  %-46s %12s %14s %12s %9s\n", "model", "train loss", "trajectory MSE", "NFE (dopri)", "time")
	for _, r := range runs {
		fmt.Printf("  %-46s %12.3g %14.3g %12d %8.0fs\n", r.name, tailMean(r.hist.Fit, 100), r.fit, r.nfe, r.elapsed.Seconds())
	}
	fmt.Printf("  train loss: mean squared error of the last 100 steps' windows; trajectory MSE: the whole 25 s solved from (2, 0)\n")
	fmt.Printf("  against the clean trajectory; NFE: Dormand–Prince at rtol = atol = 1e-6 over the whole trajectory\n")
	return spiralPlots(out, ts, clean, noisy, runs)
}

// cubicNet is torchdiffeq's ODEFunc for the spiral, f(y) = tanh(y³W1 + b1)W2
// + b2 (the cube of each component first), built from gorgonia's ops as a
// user's Network: node differentiates it with the core's general autodiff.
// Weights start as PyTorch's nn.Linear default, U(±1/√fan_in) (biases too),
// from a seeded stream.
type cubicNet struct {
	hidden int
	seed   uint64
}

func (c cubicNet) Build(g *G.ExprGraph, y, t *G.Node) (*G.Node, []*G.Node, error) {
	r := rng.New(c.seed)
	param := func(name string, fanIn int, shape ...int) *G.Node {
		d := make([]float64, shape[0]*shape[1])
		a := 1 / math.Sqrt(float64(fanIn))
		for i := range d {
			d[i] = a * (2*r.Float64() - 1)
		}
		return G.NewMatrix(g, G.Float64, G.WithShape(shape...), G.WithName(name),
			G.WithValue(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))))
	}
	n := y.Shape()[1]
	W1, b1 := param("W1", n, n, c.hidden), param("b1", n, 1, c.hidden)
	W2, b2 := param("W2", c.hidden, c.hidden, n), param("b2", c.hidden, 1, n)
	y3, err := G.Cube(y)
	if err != nil {
		return nil, nil, err
	}
	z, err := G.Mul(y3, W1)
	if err != nil {
		return nil, nil, err
	}
	if z, err = G.BroadcastAdd(z, b1, nil, []byte{0}); err != nil {
		return nil, nil, err
	}
	if z, err = G.Tanh(z); err != nil {
		return nil, nil, err
	}
	if z, err = G.Mul(z, W2); err != nil {
		return nil, nil, err
	}
	if z, err = G.BroadcastAdd(z, b2, nil, []byte{0}); err != nil {
		return nil, nil, err
	}
	return z, []*G.Node{W1, b1, W2, b2}, nil
}

// regName names the regularized model by its nonzero weights.
func regName(kelly, frob, kin float64, K int) string {
	var parts []string
	if kin > 0 {
		parts = append(parts, fmt.Sprintf("kinetic %g", kin))
	}
	if kelly > 0 {
		parts = append(parts, fmt.Sprintf("Kelly K=%d %g", K, kelly))
	}
	if frob > 0 {
		parts = append(parts, fmt.Sprintf("Frobenius %g", frob))
	}
	if len(parts) == 0 {
		return "regularized (all weights 0)"
	}
	return "regularized (" + strings.Join(parts, ", ") + ")"
}

// tailMean is the mean of the last n values of v.
func tailMean(v []float64, n int) float64 {
	n = min(n, len(v))
	s := 0.0
	for _, x := range v[len(v)-n:] {
		s += x
	}
	return s / float64(n)
}
