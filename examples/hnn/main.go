// Command hnn reproduces Table 1 of Greydanus, Dzamba and Yosinski,
// "Hamiltonian Neural Networks" (NeurIPS 2019): for the ideal mass-spring,
// the ideal pendulum and the two-body problem it trains a Hamiltonian
// neural network and the baseline MLP on the same data, prints their test
// loss on dx/dt and, along rollouts from the test initial states, the state
// MSE and the energy MSE beside the paper's numbers, and writes phase
// portraits and energy-against-time plots (PNG).
//
//	go run ./examples/hnn                       # all three tasks, paper settings
//	go run ./examples/hnn -tasks spring,pendulum
//	go run ./examples/hnn -steps 500 -twobody-steps 2000   # a quicker run
//
// Settings (the paper's unless a flag changes them): data sets as in the
// paper (mass-spring 50 trajectories of 30 points, σ = 0.1; pendulum 50 of
// 45, σ = 0.05; two-body 1,000 of 50 on t ∈ [0, 20], noise-free; half of
// the 1-D tasks' trajectories and a fifth of the two-body's are for test);
// MLP 200-200 tanh, Adam lr 1e-3; mass-spring and pendulum 2,000
// full-batch steps with weight decay 1e-4; two-body 10,000 steps of
// batches of 200 without weight decay (the authors' experiment-2body
// settings). Rollouts: t ∈ [0, 20] in steps of 0.05 with RK4 (the table)
// and with the implicit midpoint rule (symplectic).
//
// The task pendulum-code (not in the default list) is the pendulum with
// the initial radii of the authors' code, U[0.2, 2.0], where every orbit
// librates; with the paper's U[1.3, 2.3] some orbits rotate and leave the
// data's region during the t ∈ [0, 20] rollouts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/physbias/physbias/hnn"
	"github.com/physbias/physbias/internal/plotting"
)

// task is one row group of Table 1.
type task struct {
	key       string
	sys       hnn.System
	data      hnn.DataConfig
	tc        hnn.TrainConfig
	paperTest [2]float64 // paper's test loss: baseline, HNN
	paperE    [2]float64 // paper's energy MSE: baseline, HNN
}

func main() {
	out := flag.String("out", "out/hnn", "folder for the PNG plots")
	tasks := flag.String("tasks", "spring,pendulum,twobody", "comma-separated tasks: spring, pendulum, twobody, pendulum-code (the pendulum with the radii of the authors' code)")
	steps := flag.Int("steps", 2000, "training steps for mass-spring and pendulum")
	tbSteps := flag.Int("twobody-steps", 10000, "training steps for the two-body task")
	tbTraj := flag.Int("twobody-trajectories", 1000, "trajectories in the two-body data set")
	seed := flag.Uint64("seed", 0, "seed of the data and the weights")
	flag.Parse()
	if err := run(*out, *tasks, *steps, *tbSteps, *tbTraj, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "hnn:", err)
		os.Exit(1)
	}
}

func run(out, which string, steps, tbSteps, tbTraj int, seed uint64) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	// The paper's data sets (System.Paper) and training (PaperTrainConfig:
	// full batch, lr 1e-3, weight decay 1e-4); the two-body task trains on
	// batches of 200 without weight decay, as the authors' code does.
	paperData := func(sys hnn.System, traj int) hnn.DataConfig {
		c := sys.Paper
		c.Seed = seed
		if traj > 0 {
			c.Trajectories = traj
		}
		return c
	}
	oneD := hnn.PaperTrainConfig()
	oneD.Steps, oneD.Seed = steps, seed
	twoBody := hnn.TrainConfig{Steps: tbSteps, BatchSize: 200, Seed: seed}
	all := []task{
		{key: "spring", sys: hnn.MassSpring(), data: paperData(hnn.MassSpring(), 0), tc: oneD,
			paperTest: [2]float64{37e-3, 36e-3}, paperE: [2]float64{1.71e-1, 3.84e-4}},
		{key: "pendulum", sys: hnn.Pendulum(), data: paperData(hnn.Pendulum(), 0), tc: oneD,
			paperTest: [2]float64{33e-3, 35e-3}, paperE: [2]float64{4.15e-2, 2.49e-2}},
		{key: "pendulum-code", sys: codePendulum(), data: paperData(codePendulum(), 0), tc: oneD,
			paperTest: [2]float64{33e-3, 35e-3}, paperE: [2]float64{4.15e-2, 2.49e-2}},
		{key: "twobody", sys: hnn.TwoBody(), data: paperData(hnn.TwoBody(), tbTraj), tc: twoBody,
			paperTest: [2]float64{30e-6, 6.2e-6}, paperE: [2]float64{6.33e-2, 3.88e-5}},
	}
	want := map[string]bool{}
	for _, k := range strings.Split(which, ",") {
		want[strings.TrimSpace(k)] = true
	}
	start := time.Now()
	type row struct {
		t    task
		m    [2]hnn.Metrics // RK4: baseline, HNN
		mid  [2]hnn.Metrics // implicit midpoint
		secs [2]float64
	}
	var rows []row
	for _, t := range all {
		if !want[t.key] {
			continue
		}
		delete(want, t.key)
		fmt.Printf("== %s ==\n", t.sys.Name)
		ds, err := hnn.Simulate(t.sys, t.data)
		if err != nil {
			return err
		}
		fmt.Printf("   %d training pairs, %d test pairs, %d test trajectories for rollouts\n",
			ds.Len(), len(ds.TestX)/ds.Dim, len(ds.TestStart)/ds.Dim)
		r := row{t: t}
		var models [2]*hnn.Model
		for i, base := range []bool{true, false} {
			name := map[bool]string{true: "baseline", false: "HNN"}[base]
			tc := t.tc
			tc.Progress = hnn.ProgressBar(os.Stderr, "   "+name)
			t0 := time.Now()
			m, err := hnn.New(ds.Dim, hnn.Config{Baseline: base, Seed: seed})
			if err != nil {
				return err
			}
			if _, err := m.Train(context.Background(), ds, tc); err != nil {
				return err
			}
			r.secs[i] = time.Since(t0).Seconds()
			if r.m[i], err = hnn.Evaluate(m, t.sys, ds, hnn.EvalConfig{Method: hnn.RK4()}); err != nil {
				return err
			}
			if r.mid[i], err = hnn.Evaluate(m, t.sys, ds, hnn.EvalConfig{Method: hnn.ImplicitMidpoint()}); err != nil {
				fmt.Printf("   %s implicit midpoint rollout failed: %v\n", name, err)
				r.mid[i] = hnn.Metrics{StateMSE: math.NaN(), EnergyMSE: math.NaN()}
			}
			models[i] = m
		}
		rows = append(rows, r)
		if err := plots(out, t, ds, models); err != nil {
			return err
		}
	}
	for k := range want {
		if k != "" {
			return fmt.Errorf("unknown task %q (want spring, pendulum, twobody or pendulum-code)", k)
		}
	}

	fmt.Println("\nTable 1 (Greydanus et al. 2019): test loss on dx/dt, and along RK4 rollouts over t ∈ [0, 20] from the test")
	fmt.Println("initial states the state MSE and the energy MSE (true H along the rollout vs along the true trajectory),")
	fmt.Println("over the rollouts that did not diverge (energy error above 1000·(1 + |H₀|), or overflow).")
	fmt.Printf("%-12s %-9s %11s %11s %11s %11s %11s %8s | %13s %13s | %6s\n", "task", "model", "test loss", "paper", "energy MSE", "paper", "state MSE", "diverged", "midpt energy", "midpt state", "train")
	for _, r := range rows {
		for i, name := range []string{"baseline", "HNN"} {
			fmt.Printf("%-12s %-9s %11.3g %11.3g %11.3g %11.3g %11.3g %8s | %13.3g %13.3g | %5.0fs\n",
				r.t.sys.Name, name, r.m[i].TestLoss, r.t.paperTest[i], r.m[i].EnergyMSE, r.t.paperE[i], r.m[i].StateMSE,
				fmt.Sprintf("%d/%d", r.m[i].Diverged, r.m[i].Rollouts), r.mid[i].EnergyMSE, r.mid[i].StateMSE, r.secs[i])
		}
	}
	fmt.Printf("\ntotal %.0fs; plots in %s\n", time.Since(start).Seconds(), out)
	return nil
}

// codePendulum is the pendulum with the initial radii of the authors'
// code (experiment-pend/data.py), U[0.2, 2.0] instead of the paper's
// U[1.3, 2.3]: every orbit then librates (H ≤ 4). With the paper's radii
// some test orbits go over the top (H > 4), q grows without bound over
// t ∈ [0, 20] and the rollouts leave the region the data covers.
func codePendulum() hnn.System {
	s := hnn.Pendulum()
	s.Name = "pendulum-code"
	s.Initial = func(r *rand.Rand, x []float64) {
		for {
			x[0], x[1] = 2*r.Float64()-1, 2*r.Float64()-1
			if n := math.Hypot(x[0], x[1]); n > 1e-3 {
				rad := 0.2 + 1.8*r.Float64()
				x[0], x[1] = x[0]/n*rad, x[1]/n*rad
				return
			}
		}
	}
	return s
}

// plots writes, for the first test trajectory, the phase portrait (q, p)
// or for the two-body the orbit of body 1 in the plane, and H against time, for the
// truth, the baseline and the HNN (RK4 rollouts over t ∈ [0, 20]). A
// rollout that diverges is drawn up to where it left the finite numbers.
func plots(out string, t task, ds *hnn.Dataset, models [2]*hnn.Model) error {
	const T, steps = 20.0, 400
	x0 := ds.TestStart[:ds.Dim]
	truth, err := hnn.Rollout(t.sys, x0, T, steps, hnn.RK4())
	if err != nil {
		return err
	}
	trajs := []*hnn.Trajectory{truth}
	names := []string{"truth", "baseline", "HNN"}
	for k, m := range models {
		tr, err := hnn.Rollout(m, x0, T, steps, hnn.RK4())
		if err != nil {
			if !errors.Is(err, hnn.ErrNotFinite) || tr == nil {
				return err
			}
			fmt.Printf("   %s rollout for the plot stopped at t = %.3g: %v\n", names[k+1], tr.T[len(tr.T)-1], err)
		}
		trajs = append(trajs, tr)
	}
	col := func(tr *hnn.Trajectory, j int) []float64 {
		c := make([]float64, len(tr.X))
		for i, x := range tr.X {
			c[i] = x[j]
		}
		return c
	}
	d := ds.Dim
	var phase []plotting.Series
	fig := plotting.Figure{Title: t.sys.Name + ": phase portrait, t in [0, 20] (RK4)", XLabel: "position q", YLabel: "momentum p"}
	for k, tr := range trajs {
		if d == 2 {
			phase = append(phase, plotting.Series{Name: names[k], X: col(tr, 0), Y: col(tr, 1), Dashed: k == 0})
			continue
		}
		// Two-body: the orbit of body 1 in the plane (body 2 mirrors it
		// through the centre of mass, which stays at the origin).
		phase = append(phase, plotting.Series{Name: names[k], X: col(tr, 0), Y: col(tr, 1), Dashed: k == 0})
	}
	if d != 2 {
		fig = plotting.Figure{Title: "two-body: orbit of body 1, t in [0, 20] (RK4)", XLabel: "position x", YLabel: "position y", Width: 16, Height: 14}
	}
	fig.LegendLeft, fig.LegendBottom = legendCorner(phase)
	if err := plotting.Lines(filepath.Join(out, "hnn-"+t.key+"-phase.png"), fig, phase...); err != nil {
		return err
	}
	var energy []plotting.Series
	for k, tr := range trajs {
		e := make([]float64, len(tr.X))
		for i, x := range tr.X {
			e[i] = t.sys.Energy(x)
		}
		energy = append(energy, plotting.Series{Name: names[k], X: tr.T, Y: e, Dashed: k == 0})
	}
	efig := plotting.Figure{Title: t.sys.Name + ": true energy along the rollouts (RK4)", XLabel: "time t", YLabel: "true energy H"}
	efig.LegendLeft, efig.LegendBottom = legendCorner(energy)
	return plotting.Lines(filepath.Join(out, "hnn-"+t.key+"-energy.png"), efig, energy...)
}

// legendCorner returns the corner of the plot (left?, bottom?) whose
// region, the outer 40% of the x range by the outer 30% of the y range,
// holds the fewest points of the series, so the legend covers the least.
func legendCorner(series []plotting.Series) (left, bottom bool) {
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for i := range s.X {
			xlo, xhi = math.Min(xlo, s.X[i]), math.Max(xhi, s.X[i])
			ylo, yhi = math.Min(ylo, s.Y[i]), math.Max(yhi, s.Y[i])
		}
	}
	best := -1
	for _, c := range [4][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
		n := 0
		for _, s := range series {
			for i := range s.X {
				fx, fy := (s.X[i]-xlo)/(xhi-xlo), (s.Y[i]-ylo)/(yhi-ylo)
				inX := (c[0] && fx < 0.4) || (!c[0] && fx > 0.6)
				inY := (c[1] && fy < 0.3) || (!c[1] && fy > 0.7)
				if inX && inY {
					n++
				}
			}
		}
		if best < 0 || n < best {
			best, left, bottom = n, c[0], c[1]
		}
	}
	return left, bottom
}
