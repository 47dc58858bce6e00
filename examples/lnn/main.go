// Command lnn trains a Lagrangian neural network (Cranmer et al. 2020), a
// Deep Lagrangian Network (Lutter et al. 2019) and a baseline MLP on the
// double pendulum, prints their test loss on q̈ and, along RK4 rollouts from
// the test initial states, the state MSE and the drift of the true energy,
// and writes trajectory, phase-portrait and energy-against-time plots (PNG).
//
//	go run ./examples/lnn                          # defaults below
//	go run ./examples/lnn -steps 500 -hidden 32,32 # a quicker run
//
// Defaults: 100 training and 20 test trajectories of 5 s (50 samples each)
// released from rest at angles in ±π/3 (m1 = m2 = l1 = l2 = 1, g = 9.8);
// softplus MLPs with two hidden layers of 64 for every network (the paper's
// LNN is 600-600; 64-64 trains in under a minute here), Adam with the
// learning rate falling from 3e-3 to 3e-4 in four phases, batches of 256,
// 3,000 steps each; MassEps 1 (LNN) and 1e-3 (DeLaN); RK4 rollouts of 30 s
// in steps of 0.01 s against the truth integrated at 0.001 s.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/physbias/physbias/internal/plotting"
	"github.com/physbias/physbias/lnn"
)

func main() {
	out := flag.String("out", "out/lnn", "folder for the PNG plots")
	steps := flag.Int("steps", 3000, "Adam steps for each model")
	hidden := flag.String("hidden", "64,64", "hidden layer widths of every network")
	lr := flag.Float64("lr", 3e-3, "Adam learning rate")
	trajs := flag.Int("trajectories", 100, "training trajectories")
	tests := flag.Int("test-trajectories", 20, "test trajectories (rollout starts)")
	T := flag.Float64("T", 30, "rollout length in seconds")
	seed := flag.Uint64("seed", 0, "seed of the data and the weights")
	flag.Parse()
	h, err := parseInts(*hidden)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lnn:", err)
		os.Exit(2)
	}
	cfg := lnn.Config{Hidden: h, Seed: *seed}
	// The README's settings: PaperTrainConfig (batches of 256, the rate
	// falling tenfold in four phases, gradients clipped to norm 10).
	tc := lnn.PaperTrainConfig()
	tc.Steps, tc.LR, tc.FinalLR, tc.Seed = *steps, *lr, *lr/10, *seed
	if err := Run(*out, cfg, tc, *trajs, *tests, *seed, *T, true); err != nil {
		// Errors from the package already start with "lnn: ".
		fmt.Fprintln(os.Stderr, "lnn:", strings.TrimPrefix(err.Error(), "lnn: "))
		os.Exit(1)
	}
}

func parseInts(s string) ([]int, error) {
	var r []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("bad width %q in %q", f, s)
		}
		r = append(r, v)
	}
	return r, nil
}

// Run trains the three models with cfg (Kind set per model) and tc on
// data from the double pendulum (the paper's data set with trajs training
// and tests test trajectories), prints the metrics table and writes the
// plots into out. progress draws a progress bar on stderr while training.
func Run(out string, cfg lnn.Config, tc lnn.TrainConfig, trajs, tests int, seed uint64, T float64, progress bool) error {
	const dt = 0.01
	// Check the settings before minutes of work.
	if !(T >= dt && T <= 1e5) {
		return fmt.Errorf("-T %v: want a rollout length between %g and 1e5 s", T, dt)
	}
	if _, err := lnn.New(2, cfg); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	sys, err := lnn.DoublePendulum{}.System()
	if err != nil {
		return err
	}
	data := sys.Paper
	data.Trajectories, data.TestTrajectories, data.Seed = trajs, tests, seed
	train, err := lnn.Simulate(sys, data)
	if err != nil {
		return err
	}
	test := train.Test
	if test == nil {
		return fmt.Errorf("-test-trajectories %d: want at least 1", tests)
	}
	fmt.Printf("double pendulum: %d training states, %d test states, %d test rollouts of %g s (RK4, dt %g)\n",
		train.Len(), test.Len(), len(test.Initial)/4, T, dt)
	steps := int(math.Round(T / dt))
	emin := sys.MinEnergy
	K := len(test.Initial) / 4
	// The truth, once.
	truth := make([]*lnn.Trajectory, K)
	for k := range truth {
		if truth[k], err = lnn.Rollout(sys, test.Initial[4*k:4*k+4], dt*float64(steps), 10*steps, lnn.RK4()); err != nil {
			return err
		}
	}
	ts := make([]float64, steps+1)
	for i := range ts {
		ts[i] = float64(i) * dt
	}
	// Plot windows: the angle over the first 10 s, the phase portrait over
	// the first 5 s (longer ones are a tangle: the motion is chaotic).
	nAngle, nPhase := min(steps+1, int(10/dt)+1), min(steps+1, int(5/dt)+1)
	var energy, angle, phase []plotting.Series
	tr := truth[0]
	angle = append(angle, plotting.Series{Name: "truth", X: ts[:nAngle], Y: column(tr, 10, 1, nAngle), Dashed: true})
	phase = append(phase, plotting.Series{Name: "truth", X: column(tr, 10, 0, nPhase), Y: column(tr, 10, 2, nPhase), Dashed: true})
	// The truth's own drift (RK4 at dt/10), the floor of the energy plot.
	tdrift := make([]float64, steps+1)
	for k := range truth {
		x0 := test.Initial[4*k : 4*k+4]
		e0 := sys.Energy(x0)
		for i := range tdrift {
			e := sys.Energy(truth[k].X[10*i])
			tdrift[i] += math.Abs(e-e0) / (e0 - emin) / float64(K)
		}
	}
	energy = append(energy, plotting.Series{Name: "truth (RK4, dt/10)", X: ts[1:], Y: log10(runningMax(tdrift)), Dashed: true})

	fmt.Printf("%-9s %8s %11s %11s %13s %13s %13s %13s %11s\n", "model", "train s", "test loss", "state MSE", "energy err", "median", "max energy", "final energy", "diverged")
	for _, kind := range []lnn.Kind{lnn.LNN, lnn.DeLaN, lnn.Baseline} {
		c := cfg
		c.Kind = kind
		t0 := time.Now()
		tck := tc
		if progress {
			tck.Progress = lnn.ProgressBar(os.Stderr, fmt.Sprintf("  %-8v", kind))
		}
		m, err := lnn.New(2, c)
		if err != nil {
			return err
		}
		if _, err := m.Train(context.Background(), train, tck); err != nil {
			return err
		}
		secs := time.Since(t0).Seconds()
		// The metrics along rollouts from every test initial state: the
		// relative drift of the true energy, |E(x̂(t)) − E(x(0))| /
		// (E(x(0)) − E_min), and the state MSE against the truth. A
		// rollout that diverges (the baseline can blow up) is counted and
		// left out of the means and of the plot.
		met, err := lnn.Evaluate(m, sys, test, lnn.EvalConfig{T: T, DT: dt})
		if err != nil {
			return fmt.Errorf("%v: %w", kind, err)
		}
		final := math.NaN()
		if c := met.EnergyErrCurve; c != nil {
			final = c[len(c)-1]
			energy = append(energy, plotting.Series{Name: kind.String(), X: ts[1:], Y: log10(runningMax(c))})
		}
		fmt.Printf("%-9s %8.1f %11.4g %11.4g %13.4g %13.4g %13.4g %13.4g %9d/%d\n", kind, secs, met.TestLoss, met.StateMSE,
			met.EnergyErr, met.MedianEnergyErr, met.MaxEnergyErr, final, met.Diverged, met.Rollouts)
		// The first test rollout for the angle and phase plots, up to a
		// blow-up if there is one.
		first, err := lnn.Rollout(m, test.Initial[:4], dt*float64(steps), steps, lnn.RK4())
		if err != nil && !errors.Is(err, lnn.ErrDiverged) {
			return fmt.Errorf("%v rollout 0: %w", kind, err)
		}
		na, np := min(nAngle, len(first.X)), min(nPhase, len(first.X))
		angle = append(angle, plotting.Series{Name: kind.String(), X: ts[:na], Y: column(first, 1, 1, na)})
		phase = append(phase, plotting.Series{Name: kind.String(), X: column(first, 1, 0, np), Y: column(first, 1, 2, np)})
	}
	fmt.Println("energy err: mean over test rollouts and time of |E(x̂(t)) − E(x(0))| / (E(x(0)) − E_min), E the true energy;")
	fmt.Println("median: the median over rollouts of each rollout's mean; max: its largest value; final: its mean at the end;")
	fmt.Println("diverged rollouts (state Inf or NaN, or relative energy drift above 1000) are left out of all four and of the plot (lnn.Evaluate)")
	files := []struct {
		name   string
		fig    plotting.Figure
		series []plotting.Series
	}{
		{"lnn-energy.png", plotting.Figure{Title: "double pendulum: drift of the true energy along rollouts (mean of test set), largest so far",
			XLabel: "time (s)", YLabel: "log10 of relative energy drift", LegendBottom: true}, energy},
		{"lnn-angle.png", plotting.Figure{Title: "first test rollout, first 10 s: angle of the second rod",
			XLabel: "time (s)", YLabel: "angle of the second rod (rad)"}, angle},
		{"lnn-phase.png", plotting.Figure{Title: "first test rollout, first 5 s: phase portrait of the first rod",
			XLabel: "angle of the first rod (rad)", YLabel: "angular velocity of the first rod (rad/s)"}, phase},
	}
	for _, f := range files {
		p := filepath.Join(out, f.name)
		if err := plotting.Lines(p, f.fig, f.series...); err != nil {
			return err
		}
		fmt.Println("wrote", p)
	}
	return nil
}

// log10 returns log₁₀ of v from its second value on (the drift is exactly 0
// at t = 0), floored at −16.
func log10(v []float64) []float64 {
	r := make([]float64, len(v)-1)
	for i, x := range v[1:] {
		r[i] = math.Log10(math.Max(x, 1e-16))
	}
	return r
}

// runningMax returns the running maximum of v.
func runningMax(v []float64) []float64 {
	r := make([]float64, len(v))
	m := math.Inf(-1)
	for i, x := range v {
		m = math.Max(m, x)
		r[i] = m
	}
	return r
}

// column returns coordinate j of the states 0, stride, 2·stride, … (n of
// them) of a trajectory.
func column(traj *lnn.Trajectory, stride, j, n int) []float64 {
	c := make([]float64, n)
	for i := range c {
		c[i] = traj.X[i*stride][j]
	}
	return c
}
