package main

// The hard-PDE tasks: Allen–Cahn (-task allen-cahn) and high-speed
// advection (-task convection), each an ablation of pinn's training
// methods (causal training, loss balancing, the periodic Fourier
// embedding, the modified MLP, time marching, and the hard initial
// condition) against the vanilla PINN, at a fixed wall-time budget per
// configuration.

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/physbias/physbias/internal/plotting"
	"github.com/physbias/physbias/pinn"
	"gonum.org/v1/gonum/mat"
)

// variant is one row of an ablation.
type variant struct {
	name     string
	causal   bool
	balance  bool
	fourier  bool
	modified bool
	march    int // windows; 0 or 1 means none
	hard     bool
}

// variants parses a comma-separated list of "vanilla", "causal",
// "balance", "fourier", "modified", "march", "hard", "all" (every method
// with the soft initial condition, balanced) and "best" (every method with
// the hard initial condition); a name joined by '+' combines methods.
func variants(list string, windows int) ([]variant, error) {
	var out []variant
	for _, name := range strings.Split(list, ",") {
		v := variant{name: name}
		for _, part := range strings.Split(name, "+") {
			switch part {
			case "vanilla":
			case "causal":
				v.causal = true
			case "balance":
				v.balance = true
			case "fourier":
				v.fourier = true
			case "modified":
				v.modified = true
			case "march":
				v.march = windows
			case "hard":
				v.hard = true
			case "all":
				v.causal, v.balance, v.fourier, v.modified, v.march = true, true, true, true, windows
			case "best":
				v.causal, v.fourier, v.modified, v.march, v.hard = true, true, true, windows, true
			default:
				return nil, fmt.Errorf("unknown method %q in -methods", part)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// hardTask is a PDE with a reference solution on a grid.
type hardTask struct {
	name   string
	file   string // <file> in pinn-<file>-<what>.png
	p      pinn.Problem
	xs, ts []float64   // evaluation grid
	ref    [][]float64 // ref[k][j] = u(xs[j], ts[k])
	slices []float64   // times whose errors are printed
	paper  string      // the literature's number for the best method
	xLabel string
}

// hardOptions are the flags of the hard-PDE tasks.
type hardOptions struct {
	methods  string
	paperEps bool // the causal paper's ε schedule instead of JAX-PI's ε = 1
	width    int
	depth    int
	n        int
	windows  int
	budget   time.Duration
	lr       float64
	seed     uint64
	out      string
	progress func(pinn.Progress)
}

func (o hardOptions) config(v variant, seed uint64) pinn.Config {
	hidden := make([]int, o.depth)
	for i := range hidden {
		hidden[i] = o.width
	}
	c := pinn.Config{Hidden: hidden, Collocation: o.n, Seed: seed}
	if v.causal {
		// JAX-PI's setting for Allen–Cahn: ε = 1, 32 slabs; with the
		// paper's stopping rule at δ = 0.99.
		c.Causal = &pinn.Causal{Slabs: 32, Eps: []float64{1}}
		if o.paperEps {
			c.Causal.Eps = nil // 1e-2, 1e-1, 1, 10, 100
		}
	}
	if v.balance {
		c.Balance = &pinn.Balance{Every: 100}
	}
	if v.fourier {
		c.Fourier = pinn.Fourier{Periodic: []int{0}}
	}
	if v.modified {
		c.Architecture = pinn.ModifiedMLP
	}
	if v.hard {
		c.Constraints = pinn.Hard
	}
	return c
}

// runAblation trains every variant within the budget and prints the table.
func runAblation(t hardTask, o hardOptions) error {
	vs, err := variants(o.methods, o.windows)
	if err != nil {
		return err
	}
	grid := make([][]float64, 0, len(t.xs)*len(t.ts))
	for _, tt := range t.ts {
		for _, x := range t.xs {
			grid = append(grid, []float64{x, tt})
		}
	}
	var flat []float64
	for _, row := range t.ref {
		flat = append(flat, row...)
	}
	fmt.Printf("%s: %d collocation points, %d×%d tanh, Adam (lr %g, then %g) within %v per configuration, seed %d\n",
		t.name, o.n, o.depth, o.width, o.lr, o.lr/10, o.budget, o.seed)
	header := "  | method | "
	for _, s := range t.slices {
		header += fmt.Sprintf("t = %g | ", s)
	}
	fmt.Println(header + "whole domain | steps | wall |")
	type result struct {
		v     variant
		u     []float64
		whole float64
	}
	var best *result
	for _, v := range vs {
		start := time.Now()
		predict, steps, err := trainVariant(t.p, v, o)
		if err != nil {
			return fmt.Errorf("%s: %w", v.name, err)
		}
		wall := time.Since(start)
		u, err := predict(grid)
		if err != nil {
			return err
		}
		whole, err := pinn.RelativeL2(u, flat)
		if err != nil {
			return err
		}
		row := fmt.Sprintf("  | %s | ", v.name)
		for _, s := range t.slices {
			k := nearest(t.ts, s)
			e, err := pinn.RelativeL2(u[k*len(t.xs):(k+1)*len(t.xs)], t.ref[k])
			if err != nil {
				return err
			}
			row += fmt.Sprintf("%.3g | ", e)
		}
		fmt.Printf("%s%.3g | %d | %s |\n", row, whole, steps, wall.Round(time.Second))
		if best == nil || whole < best.whole {
			best = &result{v: v, u: u, whole: whole}
		}
	}
	fmt.Printf("  (%s)\n", t.paper)
	if best == nil {
		return nil
	}
	return plotHard(t, best.v.name, best.u, best.whole, o.out)
}

// trainVariant trains one configuration within the budget and returns its
// predictor and the number of optimizer steps: two thirds of the budget
// with Adam at lr, the rest at lr/10 (split evenly between the windows when
// marching).
func trainVariant(p pinn.Problem, v variant, o hardOptions) (func([][]float64) ([]float64, error), int, error) {
	ctx := context.Background()
	cfg := o.config(v, o.seed)
	steps := 0
	run := func(m *pinn.Model, budget time.Duration) error {
		for _, ph := range []struct {
			lr     float64
			budget time.Duration
		}{{o.lr, budget * 2 / 3}, {o.lr / 10, budget / 3}} {
			n, stop, err := adamFor(ctx, m, ph.lr, ph.budget, o.progress)
			steps += n
			if err != nil || stop == pinn.StopCausal {
				return err
			}
		}
		return nil
	}
	if v.march > 1 {
		mr, err := pinn.March(ctx, p, cfg, v.march, func(_ int, m *pinn.Model) error {
			return run(m, o.budget/time.Duration(v.march))
		})
		if err != nil {
			return nil, 0, err
		}
		return mr.Predict, steps, nil
	}
	m, err := pinn.New(p, cfg)
	if err != nil {
		return nil, 0, err
	}
	if err := run(m, o.budget); err != nil {
		return nil, 0, err
	}
	return m.Predict, steps, nil
}

// adamFor runs Adam at lr for the wall time budget: ten steps to measure
// the rate, then as many as the rest of the budget allows (so that the
// progress bar shows a real count), stopped by the time limit.
func adamFor(ctx context.Context, m *pinn.Model, lr float64, budget time.Duration, progress func(pinn.Progress)) (int, string, error) {
	start := time.Now()
	h, err := m.Train(ctx, pinn.TrainConfig{Phases: []pinn.Phase{pinn.Adam{Steps: 10, LR: lr}}, TimeLimit: budget})
	n := len(h.Loss())
	if err != nil || h.Stop != "step limit" {
		return n, h.Stop, err
	}
	per := time.Since(start) / time.Duration(max(n, 1))
	left := budget - time.Since(start)
	if left <= 0 || per <= 0 {
		return n, h.Stop, nil
	}
	h, err = m.Train(ctx, pinn.TrainConfig{Phases: []pinn.Phase{pinn.Adam{Steps: int(left/per) + 1, LR: lr}}, TimeLimit: left, Progress: progress})
	return n + len(h.Loss()), h.Stop, err
}

func nearest(ts []float64, t float64) int {
	k := 0
	for i := range ts {
		if math.Abs(ts[i]-t) < math.Abs(ts[k]-t) {
			k = i
		}
	}
	return k
}

// plotHard writes the solution, the reference and the error over (x, t).
func plotHard(t hardTask, name string, u []float64, whole float64, out string) error {
	nx, nt := len(t.xs), len(t.ts)
	pred, ref, errm := mat.NewDense(nx, nt, nil), mat.NewDense(nx, nt, nil), mat.NewDense(nx, nt, nil)
	for k := 0; k < nt; k++ {
		for j := 0; j < nx; j++ {
			v := u[k*nx+j]
			pred.Set(j, k, v)
			ref.Set(j, k, t.ref[k][j])
			errm.Set(j, k, math.Abs(v-t.ref[k][j]))
		}
	}
	x0, x1 := t.xs[0], t.xs[nx-1]
	t0, t1 := t.ts[0], t.ts[nt-1]
	file := t.file
	for _, f := range []struct {
		what, title string
		z           *mat.Dense
	}{
		{"u", fmt.Sprintf("%s: PINN u(x, t) (%s)", t.name, name), pred},
		{"reference", fmt.Sprintf("%s: reference u(x, t)", t.name), ref},
		{"error", fmt.Sprintf("%s: |PINN − reference|, rel. L2 %.2g (%s)", t.name, whole, name), errm},
	} {
		path := filepath.Join(out, fmt.Sprintf("pinn-%s-%s.png", file, f.what))
		if err := plotting.Heatmap(path, plotting.Figure{Title: f.title, XLabel: "time t (dimensionless)", YLabel: t.xLabel, Width: 18, Height: 8},
			f.z, t0, t1, x0, x1); err != nil {
			return err
		}
		fmt.Printf("  wrote %s\n", path)
	}
	return nil
}

// allenCahnTask builds the Allen–Cahn benchmark and its ETDRK4 reference
// (512 modes, dt = 5e-5, on 512 × 201 points), and checks the reference
// against a run with half the step and twice the modes.
func allenCahnTask() (hardTask, error) {
	ac := pinn.AllenCahn{}
	s, err := ac.Solve(pinn.AllenCahnInitial, 512, 1, 20000, 100)
	if err != nil {
		return hardTask{}, err
	}
	fine, err := ac.Solve(pinn.AllenCahnInitial, 1024, 1, 40000, 40000)
	if err != nil {
		return hardTask{}, err
	}
	var d float64
	last := fine.U[len(fine.U)-1]
	for j, v := range s.U[len(s.U)-1] {
		d = math.Max(d, math.Abs(v-last[2*j]))
	}
	fmt.Printf("Allen–Cahn reference: ETDRK4, 512 modes, dt = 5e-5; max difference at t = 1 from 1024 modes, dt = 2.5e-5: %.2g\n", d)
	return hardTask{
		name: "Allen–Cahn", file: "allen-cahn", p: pinn.AllenCahnProblem(512, 256), xs: s.X, ts: s.T, ref: s.U,
		slices: []float64{0.25, 0.5, 1}, xLabel: "position x (dimensionless)",
		paper: "JAX-PI (Wang et al. 2023), all methods, 4×256 modified MLP, 300,000 Adam steps on a GPU: relative L2 ≈ 5e-5",
	}, nil
}

// convectionTask is u_t + β u_x = 0 on [0, 2π) periodic, t ∈ [0, 1],
// u(x, 0) = sin x, exact u = sin(x − βt): the failure mode of
// Krishnapriyan et al. (2021), where the vanilla PINN fails for β ≥ 30.
func convectionTask(beta float64) hardTask {
	p := pinn.Problem{
		Domain: pinn.Domain{Space: []pinn.Interval{{Lo: 0, Hi: 2 * math.Pi}}, Time: pinn.Interval{Lo: 0, Hi: 1}},
		Residual: func(f *pinn.Fields) (*pinn.Node, error) {
			return f.Add(f.Ut(), f.Scale(beta, f.Ux(0))), nil
		},
		Conditions: []pinn.Condition{
			{Kind: pinn.Initial, Points: 256, Value: func(q []float64) float64 { return math.Sin(q[0]) }},
			{Kind: pinn.Periodic, Dim: 0, Points: 128},
		},
	}
	const nx, nt = 256, 101
	t := hardTask{name: fmt.Sprintf("Convection β=%g", beta), file: "convection", p: p, slices: []float64{0.25, 0.5, 1}, xLabel: "position x (dimensionless)",
		paper: "Krishnapriyan et al. 2021, β = 30: vanilla PINN relative error ≈ 1 (their Fig. 1); curriculum/seq2seq ≈ 1e-2"}
	for j := 0; j < nx; j++ {
		t.xs = append(t.xs, 2*math.Pi*float64(j)/nx)
	}
	for k := 0; k < nt; k++ {
		tt := float64(k) / (nt - 1)
		t.ts = append(t.ts, tt)
		row := make([]float64, nx)
		for j, x := range t.xs {
			row[j] = math.Sin(x - beta*tt)
		}
		t.ref = append(t.ref, row)
	}
	return t
}
