// Command flows trains a Neural Hamiltonian Flow, a RealNVP coupling flow
// and node's continuous normalizing flow on the four 2-D densities of
// package flows, prints their test log-likelihoods beside the densities'
// exact values with the training times, and writes one figure per density
// (samples and learned densities of each model beside the data's).
//
//	go run ./examples/flows                       # all four densities, plots in ./out
//	go run ./examples/flows -steps 500 -only two-moons -cnf=false
//	go run ./examples/flows -user -only gaussian-ring -cnf=false  # also an NHF of a user's own K and V
//
// The three models have about the same number of parameters (printed: about
// 5,000 each, small enough that all three train in minutes on a CPU). The
// NHF's figure is a lower bound: the importance-weighted bound with 64
// momenta per test point (NHF.Bound); the RealNVP's and the CNF's are
// exact (the CNF's with the exact trace, RK4).
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/physbias/physbias/flows"
	"github.com/physbias/physbias/node"
)

func main() {
	out := flag.String("out", "out", "folder for the PNG figures")
	steps := flag.Int("steps", 1000, "Adam steps per model")
	batch := flag.Int("batch", 256, "minibatch size")
	lr := flag.Float64("lr", 2e-3, "Adam learning rate")
	nTrain := flag.Int("train", 20000, "training points per density")
	nTest := flag.Int("test", 1000, "test points per density")
	only := flag.String("only", "", "comma-separated density names (default: all)")
	withCNF := flag.Bool("cnf", true, "also train node's continuous normalizing flow")
	withUser := flag.Bool("user", false, "also train an NHF of a user's own K(p) and V(q) (gorgonia graphs, gradients by internal/grad; see user.go)")
	gridN := flag.Int("grid", 60, "grid points per axis of the density panels")
	limit := flag.Duration("time", 0, "training time limit per model (0: none); the step count then varies with the machine's load")
	flag.Parse()
	if err := run(*out, *steps, *batch, *lr, *limit, *nTrain, *nTest, *only, *withCNF, *withUser, *gridN); err != nil {
		fmt.Fprintln(os.Stderr, "flows:", err)
		os.Exit(1)
	}
}

// result is one model's numbers on one density.
type result struct {
	name    string
	params  int
	testLL  float64
	steps   int
	elapsed time.Duration
}

func run(out string, steps, batch int, lr float64, limit time.Duration, nTrain, nTest int, only string, withCNF, withUser bool, gridN int) error {
	want := map[string]bool{}
	for _, s := range strings.Split(only, ",") {
		if s = strings.TrimSpace(s); s != "" {
			want[s] = true
		}
	}
	tc := flows.TrainConfig{Steps: steps, BatchSize: batch, LR: lr, Seed: 1, TimeLimit: limit}
	var table []string
	for _, d := range flows.Densities() {
		if len(want) > 0 && !want[d.String()] {
			continue
		}
		train, err := d.Sample(nTrain, 1)
		if err != nil {
			return err
		}
		test, err := d.Sample(nTest, 2)
		if err != nil {
			return err
		}
		exact, err := d.LogProb(test)
		if err != nil {
			return err
		}
		fmt.Printf("\n%s: %d training points, %d test points, exact test log-likelihood %.3f\n", d, nTrain, nTest, mean(exact))
		panels := []panel{{title: "data", points: train[:2*min(nTrain, 4000)]}}
		densities := []panel{{title: "exact density", logp: gridOf(gridN, func(x []float64) ([]float64, error) { return d.LogProb(x) })}}
		var res []result

		// The NHF: 5 stages of 2 leapfrog steps of 0.2, each stage with its
		// own V and K 2-16-16-1; encoder networks 2-24-24-2 (×2).
		nhf, err := flows.NewNHF(2, flows.NHFConfig{Hidden: []int{16, 16}, EncoderHidden: []int{24, 24}, Stages: 5, Leapfrog: 2, StepSize: 0.2, Seed: 1})
		if err != nil {
			return err
		}
		r, err := fit(nhf, "NHF", d, train, test, tc)
		if err != nil {
			return err
		}
		elbo, err := nhf.Bound(test, 1, 3)
		if err != nil {
			return err
		}
		fmt.Printf("   NHF ELBO (one momentum) %.3f; importance-weighted bound (64) %.3f\n", mean(elbo), r.testLL)
		res = append(res, r)
		s, err := nhf.Sample(4000, 5)
		if err != nil {
			return err
		}
		panels = append(panels, panel{title: "NHF samples", points: s})
		densities = append(densities, panel{title: "NHF (bound, 8 momenta)", logp: gridOf(gridN, func(x []float64) ([]float64, error) { return nhf.Bound(x, 8, 4) })})

		if withUser {
			unhf, err := newUserNHF()
			if err != nil {
				return err
			}
			if r, err = fit(unhf, "NHF-user", d, train, test, tc); err != nil {
				return err
			}
			res = append(res, r)
			if s, err = unhf.Sample(4000, 5); err != nil {
				return err
			}
			panels = append(panels, panel{title: "NHF (user K, V) samples", points: s})
			densities = append(densities, panel{title: "NHF user (bound, 8)", logp: gridOf(gridN, func(x []float64) ([]float64, error) { return unhf.Bound(x, 8, 4) })})
		}

		// RealNVP: 8 coupling layers with scale and shift networks
		// 1-16-16-1, about the NHF's parameter count.
		nvp, err := flows.NewRealNVP(2, flows.RealNVPConfig{Layers: 8, Hidden: []int{16, 16}, Seed: 1})
		if err != nil {
			return err
		}
		if r, err = fit(nvp, "RealNVP", d, train, test, tc); err != nil {
			return err
		}
		res = append(res, r)
		if s, err = nvp.Sample(4000, 5); err != nil {
			return err
		}
		panels = append(panels, panel{title: "RealNVP samples", points: s})
		densities = append(densities, panel{title: "RealNVP density", logp: gridOf(gridN, nvp.LogProb)})

		if withCNF {
			cnf, r, err := fitCNF(d, train, test, tc)
			if err != nil {
				return err
			}
			res = append(res, r)
			solver, opt := node.RK4(), node.Options{Dt: 0.05}
			if s, err = cnf.Sample(4000, 5, solver, opt); err != nil {
				return err
			}
			panels = append(panels, panel{title: "CNF samples", points: s})
			densities = append(densities, panel{title: "CNF density", logp: gridOf(gridN, func(x []float64) ([]float64, error) { return cnf.LogDensity(x, solver, opt) })})
		}
		path := filepath.Join(out, "flows-"+d.String()+".png")
		if err := writePanels(path, d.String()+": samples (top) and densities (bottom) of the data and each model", len(panels), append(panels, densities...)); err != nil {
			return err
		}
		fmt.Printf("   wrote %s\n", path)
		row := fmt.Sprintf("| %s | %.3f |", d, mean(exact))
		for _, r := range res {
			row += fmt.Sprintf(" %.3f (%d steps, %s, %d params) |", r.testLL, r.steps, r.elapsed.Round(time.Second), r.params)
		}
		table = append(table, row)
	}
	fmt.Printf("\nTest log-likelihood (nats per point, higher is better), Adam with batch %d, lr %g; time is training wall time on this machine\n", batch, lr)
	head := "| density | exact | NHF (IW bound, 64) |"
	if withUser {
		head += " NHF, user K, V (IW bound, 64) |"
	}
	head += " RealNVP |"
	if withCNF {
		head += " CNF (node) |"
	}
	fmt.Println(head)
	fmt.Println(strings.Repeat("|---", strings.Count(head, "|")-1) + "|")
	for _, r := range table {
		fmt.Println(r)
	}
	return nil
}

// fit trains f on train and returns its mean log-likelihood on test.
func fit(f flows.Flow, name string, d flows.Density, train, test []float64, tc flows.TrainConfig) (result, error) {
	tc.Progress = flows.ProgressBar(os.Stderr, fmt.Sprintf("%-8s %s", name, d))
	h, err := f.Train(context.Background(), train, tc)
	if err != nil {
		return result{}, err
	}
	lp, err := f.LogProb(test)
	if err != nil {
		return result{}, err
	}
	fmt.Printf("   %-8s test log-likelihood %.3f  (%d parameters, %d steps in %s, final batch loss %.3f)\n",
		name, mean(lp), f.NumParams(), h.Steps, h.Elapsed.Round(time.Second), h.Loss[len(h.Loss)-1])
	return result{name: name, params: f.NumParams(), testLL: mean(lp), steps: h.Steps, elapsed: h.Elapsed}, nil
}

// fitCNF trains node's continuous normalizing flow: f(z, t) with hidden
// layers 64-64 tanh (about the flows' parameter count), T = 1, exact trace,
// RK4 with 4 steps in training and 20 in evaluation.
func fitCNF(d flows.Density, train, test []float64, tc flows.TrainConfig) (*node.CNF, result, error) {
	cnf, err := node.NewCNF(2, node.CNFConfig{Hidden: []int{64, 64}, Seed: 1})
	if err != nil {
		return nil, result{}, err
	}
	ntc := node.TrainConfig{Steps: tc.Steps, BatchSize: tc.BatchSize, LR: tc.LR, Seed: tc.Seed,
		Solver: node.RK4(), Options: node.Options{Dt: 0.25}, TimeLimit: tc.TimeLimit,
		Progress: node.ProgressBar(os.Stderr, fmt.Sprintf("%-8s %s", "CNF", d))}
	h, err := cnf.Train(context.Background(), train, ntc)
	if err != nil {
		return nil, result{}, err
	}
	lp, err := cnf.LogDensity(test, node.RK4(), node.Options{Dt: 0.05})
	if err != nil {
		return nil, result{}, err
	}
	n := len(cnf.Model().Params())
	fmt.Printf("   %-8s test log-likelihood %.3f  (%d parameters, %d steps in %s)\n", "CNF", mean(lp), n, h.Steps, h.Elapsed.Round(time.Second))
	return cnf, result{name: "CNF", params: n, testLL: mean(lp), steps: h.Steps, elapsed: h.Elapsed}, nil
}

// gridOf evaluates a log-density on an n×n grid over [−span, span]²,
// row r along y; values that are not finite become −50 (p ≈ 0).
func gridOf(n int, logp func(x []float64) ([]float64, error)) [][]float64 {
	x := make([]float64, 0, 2*n*n)
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			x = append(x, -span+2*span*float64(c)/float64(n-1), -span+2*span*float64(r)/float64(n-1))
		}
	}
	lp, err := logp(x)
	z := make([][]float64, n)
	for r := range z {
		z[r] = make([]float64, n)
		for c := range z[r] {
			v := -50.0
			if err == nil && !math.IsNaN(lp[r*n+c]) && !math.IsInf(lp[r*n+c], 0) {
				v = lp[r*n+c]
			}
			z[r][c] = v
		}
	}
	return z
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
