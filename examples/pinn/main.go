// Command pinn reproduces the Burgers experiments of Raissi, Perdikaris and
// Karniadakis (2019) with physbias/pinn, and runs the hard-PDE ablations
// (Allen–Cahn, high-speed convection):
//
//   - continuous inference: u_t + u u_x = (0.01/π) u_xx on [−1, 1] × [0, 1]
//     from 100 initial and boundary points and 10,000 collocation points,
//     a 2-20×8-1 tanh network, Adam then L-BFGS; the relative L2 error on a
//     256 × 101 grid against the exact (Cole–Hopf) solution, a heat map, the
//     slices t = 0.25, 0.5, 0.75 and an error map;
//   - discovery: λ₁ and λ₂ in u_t + λ₁ u u_x − λ₂ u_xx = 0 from 2,000
//     observations of the exact solution (optionally noisy).
//
// Usage (the runs behind examples/pinn/README.md):
//
//	go run ./examples/pinn -task burgers -budget 100m    # ~1.5 h here, rel. L2 < 1e-3
//	go run ./examples/pinn -task burgers -mode hard -budget 65m
//	go run ./examples/pinn -task discovery -lbfgs 8000   # ~20 min here
//	go run ./examples/pinn -task burgers -lbfgs 2000     # a quicker look
//	go run ./examples/pinn -task allen-cahn -each 150s   # the ablation, ~25 min
//	go run ./examples/pinn -task allen-cahn -methods fourier+causal+hard -each 25m
//	go run ./examples/pinn -task convection -methods vanilla,fourier+causal+hard -each 100s
//	go run ./examples/pinn -task wave                    # ~1 min: InitialRate and time marching
//
// The hard-PDE tasks (hard.go) train each row of an ablation of pinn's
// methods (causal training, loss balancing, the periodic embedding, the
// modified MLP, time marching, the hard initial condition; "all" is every
// method with the soft initial condition, "best" every method with the
// hard one; '+' combines) for the same wall time, Adam at -lr then -lr/10,
// and print the relative L2 error at t = 0.25, 0.5 and 1 and over the
// whole grid against the reference (Allen–Cahn: pinn.AllenCahn's ETDRK4,
// 512 modes; convection: the exact sin(x − βt)), with heat maps of the
// best row's solution, the reference and the error over (x, t).
//
// Hard mode builds the conditions into the output: u = −sin πx + t(1−x²)·N.
// With -chunk n > 0 (the default, 1000, as in the README's runs) L-BFGS runs
// in rounds of n iterations, each one TrainConfig phase that starts a fresh
// L-BFGS memory, with the error printed after each; -budget stops after the
// round that passes the given wall time. With -chunk 0 L-BFGS runs as one
// phase, keeping its memory throughout, and -budget is its TimeLimit.
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/physbias/physbias/internal/plotting"
	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/pinn"
	"gonum.org/v1/gonum/mat"
)

func main() {
	task := flag.String("task", "all", "burgers, discovery, all (those two), allen-cahn, convection or wave")
	out := flag.String("out", "out", "folder for the PNG plots")
	adam := flag.Int("adam", 1000, "Adam steps (0: none)")
	lr := flag.Float64("lr", 1e-3, "Adam learning rate")
	lbfgs := flag.Int("lbfgs", 30000, "maximum L-BFGS iterations (0: none)")
	chunk := flag.Int("chunk", 1000, "L-BFGS iterations per round, the error printed after each (burgers; 0: one L-BFGS phase)")
	budget := flag.Duration("budget", 0, "wall-time budget of L-BFGS (0: no limit; see -chunk)")
	nf := flag.Int("n", 10000, "collocation points (burgers)")
	nu := flag.Int("nu", 100, "initial + boundary points (burgers; the paper: 100)")
	nd := flag.Int("data", 2000, "observations (discovery; the paper: 2000)")
	noise := flag.Float64("noise", 0, "relative noise on the observations (discovery)")
	mode := flag.String("mode", "soft", "soft or hard boundary conditions (burgers)")
	seed := flag.Uint64("seed", 1, "seed of the weights and points")
	methods := flag.String("methods", "vanilla,causal,balance,fourier,modified,march,hard,all,best", "allen-cahn, convection: comma-separated ablation rows (vanilla, causal, balance, fourier, modified, march, hard, all, best; '+' combines)")
	budget1 := flag.Duration("each", 3*time.Minute, "allen-cahn, convection: wall-time budget per ablation row")
	width := flag.Int("width", 64, "allen-cahn, convection: hidden width")
	depth := flag.Int("depth", 4, "allen-cahn, convection: hidden layers")
	ncol := flag.Int("ncol", 2048, "allen-cahn, convection: collocation points")
	windows := flag.Int("windows", 4, "allen-cahn, convection: time-marching windows")
	beta := flag.Float64("beta", 30, "convection: speed β")
	paperEps := flag.Bool("eps-schedule", false, "allen-cahn, convection: causal training with the paper's ε schedule 1e-2 … 100 (default: JAX-PI's ε = 1)")
	flag.Parse()
	if *task == "wave" {
		// The wave equation over [0, 2] in 2 windows, Adam 300 + L-BFGS
		// 600 each (its own budget; the Burgers flags do not apply).
		if err := wave(*out, 2, 2, 300, 600, *seed); err != nil {
			fail(err)
		}
		return
	}
	if *task == "allen-cahn" || *task == "convection" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			fail(err)
		}
		o := hardOptions{methods: *methods, paperEps: *paperEps, width: *width, depth: *depth, n: *ncol, windows: *windows, budget: *budget1,
			lr: *lr, seed: *seed, out: *out, progress: pinn.ProgressBar(os.Stderr, "pinn")}
		var t hardTask
		if *task == "convection" {
			t = convectionTask(*beta)
		} else {
			var err error
			if t, err = allenCahnTask(); err != nil {
				fail(err)
			}
		}
		if err := runAblation(t, o); err != nil {
			fail(err)
		}
		return
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	if *adam < 0 || *lbfgs < 0 || *chunk < 0 {
		fail(fmt.Errorf("-adam, -lbfgs and -chunk must be ≥ 0"))
	}
	tc := train{adam: pinn.Adam{Steps: *adam, LR: *lr}, lbfgs: *lbfgs, chunk: *chunk, budget: *budget,
		progress: pinn.ProgressBar(os.Stderr, "pinn")}
	ref, err := pinn.NewBurgers(pinn.BurgersNu, 0)
	if err != nil {
		fail(err)
	}
	if *task == "burgers" || *task == "all" {
		c := pinn.Soft
		switch *mode {
		case "soft":
		case "hard":
			c = pinn.Hard
		default:
			fail(fmt.Errorf("unknown -mode %q", *mode))
		}
		if err := burgers(ref, *out, tc, *nf, *nu, c, *seed); err != nil {
			fail(err)
		}
	}
	if *task == "discovery" || *task == "all" {
		if err := discovery(ref, tc, *nd, *noise, *seed); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pinn:", err)
	os.Exit(1)
}

const nx, nt = 256, 101 // evaluation grid: x fastest

// train is the schedule the flags ask for.
type train struct {
	adam     pinn.Adam // Steps 0: no Adam phase
	lbfgs    int       // L-BFGS iterations in all; 0: none
	chunk    int       // iterations per round; 0: one phase
	budget   time.Duration
	progress func(pinn.Progress)
}

// adamPhases returns the Adam phase, or none.
func (tc train) adamPhases() []pinn.Phase {
	if tc.adam.Steps == 0 {
		return nil
	}
	return []pinn.Phase{tc.adam}
}

func burgers(ref *pinn.Burgers, out string, tc train, nf, nu int, c pinn.Constraints, seed uint64) error {
	p := pinn.BurgersProblem(pinn.BurgersNu, nu-nu/2, nu/4)
	m, err := pinn.New(p, pinn.Config{
		Hidden:      []int{20, 20, 20, 20, 20, 20, 20, 20},
		Collocation: nf,
		Constraints: c,
		Seed:        seed,
	})
	if err != nil {
		return err
	}
	fmt.Printf("Burgers, continuous inference: %d collocation, %d initial/boundary points, 2-20×8-1 tanh, %v constraints\n",
		nf, nu-nu/2+2*(nu/4), c)
	grid, err := p.Domain.Grid(nx, nt)
	if err != nil {
		return err
	}
	exact := make([]float64, len(grid))
	for i, q := range grid {
		exact[i] = ref.U(q[0], q[1])
	}
	relErr := func() (float64, error) {
		u, err := m.Predict(grid)
		if err != nil {
			return 0, err
		}
		return pinn.RelativeL2(u, exact)
	}
	// Adam, then L-BFGS in rounds of chunk iterations (each round restarts
	// L-BFGS's memory of 15 pairs, rebuilt within 15 iterations), printing
	// the error after each round; or one L-BFGS phase with the budget as its
	// time limit.
	ctx := context.Background()
	start := time.Now()
	var adamSteps, lbfgsSteps, evals int
	stop := ""
	if ph := tc.adamPhases(); ph != nil {
		h, err := m.Train(ctx, pinn.TrainConfig{Phases: ph, Progress: tc.progress})
		if err != nil {
			return err
		}
		adamSteps, evals = len(h.Loss()), h.Evals
		if e, err := relErr(); err == nil {
			fmt.Printf("  after %d Adam steps: loss %.3g, relative L2 %.3g (%s)\n", adamSteps, h.Final(), e, time.Since(start).Round(time.Second))
		}
	}
	n := tc.chunk
	if n == 0 {
		n = tc.lbfgs
	}
	for lbfgsSteps < tc.lbfgs {
		n = min(n, tc.lbfgs-lbfgsSteps)
		c := pinn.TrainConfig{Phases: []pinn.Phase{pinn.LBFGS{MaxIter: n}}, Progress: tc.progress}
		if tc.chunk == 0 {
			c.TimeLimit = tc.budget
		}
		r, err := m.Train(ctx, c)
		lbfgsSteps += len(r.Loss())
		evals += r.Evals
		stop = r.Stop
		if err != nil {
			return err
		}
		e, err := relErr()
		if err != nil {
			return err
		}
		fmt.Printf("  L-BFGS %5d iterations: loss %.3g, relative L2 %.3g (%s, stop: %s)\n", lbfgsSteps, r.Final(), e, time.Since(start).Round(time.Second), r.Stop)
		if len(r.Loss()) < n || tc.chunk == 0 || (tc.budget > 0 && time.Since(start) > tc.budget) {
			break
		}
	}
	wall := time.Since(start)
	u, err := m.Predict(grid)
	if err != nil {
		return err
	}
	e, err := pinn.RelativeL2(u, exact)
	if err != nil {
		return err
	}
	fmt.Printf("  %d Adam + %d L-BFGS steps (%d passes, L-BFGS stop: %s), loss terms %v\n",
		adamSteps, lbfgsSteps, evals, stop, m.Terms())
	fmt.Printf("  relative L2 error on %d×%d grid: %.3g   (paper: 6.7e-4, L-BFGS only)\n", nx, nt, e)
	fmt.Printf("  training wall time: %s\n", wall.Round(time.Second))

	// Heat maps: t along the horizontal axis, x vertical, as in the paper.
	pred := mat.NewDense(nx, nt, nil)
	errm := mat.NewDense(nx, nt, nil)
	for k := 0; k < nt; k++ {
		for j := 0; j < nx; j++ {
			i := k*nx + j
			pred.Set(j, k, u[i])
			errm.Set(j, k, math.Abs(u[i]-exact[i]))
		}
	}
	if err := plotting.Heatmap(filepath.Join(out, "pinn-burgers-u.png"),
		plotting.Figure{Title: "PINN u(t, x), Burgers (dimensionless units)", XLabel: "time t", YLabel: "position x", Width: 18, Height: 8},
		pred, 0, 1, -1, 1); err != nil {
		return err
	}
	if err := plotting.Heatmap(filepath.Join(out, "pinn-burgers-error.png"),
		plotting.Figure{Title: fmt.Sprintf("|u − exact|, rel. L2 %.2g", e), XLabel: "time t", YLabel: "position x", Width: 18, Height: 8},
		errm, 0, 1, -1, 1); err != nil {
		return err
	}
	var series []plotting.Series
	xs := make([]float64, 201)
	for j := range xs {
		xs[j] = -1 + 2*float64(j)/200
	}
	for _, t := range []float64{0.25, 0.5, 0.75} {
		pts := make([][]float64, len(xs))
		ex := make([]float64, len(xs))
		for j, x := range xs {
			pts[j] = []float64{x, t}
			ex[j] = ref.U(x, t)
		}
		up, err := m.Predict(pts)
		if err != nil {
			return err
		}
		se, _ := pinn.RelativeL2(up, ex)
		fmt.Printf("  slice t = %.2f: relative L2 error %.3g\n", t, se)
		series = append(series,
			plotting.Series{Name: fmt.Sprintf("PINN t=%.2f", t), X: xs, Y: up},
			plotting.Series{Name: fmt.Sprintf("exact t=%.2f", t), X: xs, Y: ex, Dashed: true})
	}
	if err := plotting.Lines(filepath.Join(out, "pinn-burgers-slices.png"),
		plotting.Figure{Title: "Burgers: PINN (solid) vs exact (dashed)", XLabel: "position x", YLabel: "velocity u"}, series...); err != nil {
		return err
	}
	fmt.Printf("  wrote %s, %s, %s\n", filepath.Join(out, "pinn-burgers-u.png"), filepath.Join(out, "pinn-burgers-slices.png"), filepath.Join(out, "pinn-burgers-error.png"))
	return nil
}

func discovery(ref *pinn.Burgers, tc train, n int, noise float64, seed uint64) error {
	// n observations drawn without replacement from the 256 × 101 grid.
	r := rng.New(seed ^ 0xda7a)
	perm := r.Perm(nx * nt)
	if n > len(perm) {
		return fmt.Errorf("-data %d is more than the %d grid points", n, len(perm))
	}
	d := &pinn.Data{}
	var sd float64
	for _, i := range perm[:n] {
		x := -1 + 2*float64(i%nx)/(nx-1)
		t := float64(i/nx) / (nt - 1)
		d.X = append(d.X, []float64{x, t})
		d.U = append(d.U, ref.U(x, t))
	}
	for _, v := range d.U {
		sd += v * v
	}
	sd = math.Sqrt(sd / float64(n))
	for i := range d.U { // noise relative to the data's RMS, as in the paper
		d.U[i] += noise * sd * r.NormFloat64()
	}
	p := pinn.BurgersDiscovery(d)
	m, err := pinn.New(p, pinn.Config{
		Hidden:            []int{20, 20, 20, 20, 20, 20, 20, 20},
		CollocationPoints: d.X,
		Seed:              seed,
	})
	if err != nil {
		return err
	}
	fmt.Printf("Burgers, discovery: %d observations, noise %.1f%%, 2-20×8-1 tanh\n", n, 100*noise)
	start := time.Now()
	phases := tc.adamPhases()
	if tc.lbfgs > 0 {
		phases = append(phases, pinn.LBFGS{MaxIter: tc.lbfgs})
	}
	if len(phases) == 0 {
		return fmt.Errorf("discovery: -adam 0 and -lbfgs 0 leave nothing to train")
	}
	h, err := m.Train(context.Background(), pinn.TrainConfig{Phases: phases, Progress: tc.progress, TimeLimit: tc.budget})
	if err != nil {
		return err
	}
	var adamSteps, lbfgsSteps int
	for _, ph := range h.Phases {
		if _, ok := ph.Phase.(pinn.Adam); ok {
			adamSteps += len(ph.Loss)
		} else {
			lbfgsSteps += len(ph.Loss)
		}
	}
	l1, err := m.Coef("lambda1")
	if err != nil {
		return err
	}
	l2, err := m.Coef("lambda2")
	if err != nil {
		return err
	}
	fmt.Printf("  loss %.3g after %d Adam + %d L-BFGS steps (L-BFGS stop: %s), wall time %s\n",
		h.Final(), adamSteps, lbfgsSteps, h.Stop, time.Since(start).Round(time.Second))
	fmt.Printf("  learned PDE: u_t + %.5f u u_x − %.7f u_xx = 0\n", l1, l2)
	fmt.Printf("  λ₁ = %.5f (true 1, error %.3f%%), λ₂ = %.7f (true %.7f, error %.3f%%)\n",
		l1, 100*math.Abs(l1-1), l2, pinn.BurgersNu, 100*math.Abs(l2-pinn.BurgersNu)/pinn.BurgersNu)
	return nil
}
