package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/physbias/physbias/internal/plotting"
	"github.com/physbias/physbias/pinn"
)

// waveSpeed is c in u_tt = c² u_xx.
const waveSpeed = 0.8

// waveProblem is the 1-D wave equation u_tt = c² u_xx on x ∈ [0, 1],
// t ∈ [0, t1], fixed ends, u(x, 0) = sin πx and, when rate is true, the
// initial velocity u_t(x, 0) = sin 2πx (pinn.InitialRate). Without the
// initial velocity the problem is underdetermined: any u_t(x, 0) gives a
// solution, and the network settles on one of them.
func waveProblem(t1 float64, rate bool) pinn.Problem {
	p := pinn.Problem{
		Domain: pinn.Domain{Space: []pinn.Interval{{Lo: 0, Hi: 1}}, Time: pinn.Interval{Lo: 0, Hi: t1}},
		Residual: func(f *pinn.Fields) (*pinn.Node, error) {
			return f.Sub(f.Utt(), f.Scale(waveSpeed*waveSpeed, f.Uxx(0))), nil
		},
		Conditions: []pinn.Condition{
			{Kind: pinn.Dirichlet, Dim: 0},
			{Kind: pinn.Initial, Value: func(q []float64) float64 { return math.Sin(math.Pi * q[0]) }},
		},
	}
	if rate {
		p.Conditions = append(p.Conditions, pinn.Condition{Kind: pinn.InitialRate,
			Value: func(q []float64) float64 { return math.Sin(2 * math.Pi * q[0]) }})
	}
	return p
}

// waveExact is d'Alembert's solution of waveProblem:
// u = sin πx cos πct + sin 2πx sin 2πct / (2πc).
func waveExact(x, t float64) float64 {
	c := waveSpeed
	return math.Sin(math.Pi*x)*math.Cos(math.Pi*c*t) + math.Sin(2*math.Pi*x)*math.Sin(2*math.Pi*c*t)/(2*math.Pi*c)
}

// wave trains the wave equation over [0, t1] in windows time-marching
// windows (hard conditions: the fixed ends and u(x, 0) built in, the
// initial velocity a penalty), with and without the initial velocity,
// prints the relative L2 error of each against d'Alembert's solution on a
// 101 × 101 grid and plots slices of u(x, t) at three times beside it.
func wave(out string, t1 float64, windows, adamSteps, lbfgs int, seed uint64) error {
	cfg := pinn.Config{Hidden: []int{20, 20}, Collocation: 500, BoundaryPoints: 50, Constraints: pinn.Hard, Seed: seed}
	tc := pinn.TrainConfig{Phases: []pinn.Phase{pinn.Adam{Steps: adamSteps, LR: 1e-2}, pinn.LBFGS{MaxIter: lbfgs}}}
	var pts [][]float64
	var ref []float64
	for i := 0; i <= 100; i++ {
		for j := 0; j <= 100; j++ {
			x, t := float64(i)/100, t1*float64(j)/100
			pts = append(pts, []float64{x, t})
			ref = append(ref, waveExact(x, t))
		}
	}
	fmt.Printf("wave equation u_tt = %.2f u_xx on [0, 1] × [0, %g], u(x,0) = sin πx, u_t(x,0) = sin 2πx; 2-20-20-1 tanh, hard conditions, %d windows, Adam %d + L-BFGS %d each\n",
		waveSpeed*waveSpeed, t1, windows, adamSteps, lbfgs)
	fmt.Printf("   %-34s %14s %9s\n", "conditions", "rel. L2 error", "time")
	times := []float64{0, t1 / 2, t1}
	var series []plotting.Series
	for _, rate := range []bool{true, false} {
		start := time.Now()
		mr, err := pinn.March(context.Background(), waveProblem(t1, rate), cfg, windows,
			func(k int, m *pinn.Model) error {
				_, err := m.Train(context.Background(), tc)
				return err
			})
		if err != nil {
			return err
		}
		u, err := mr.Predict(pts)
		if err != nil {
			return err
		}
		e, err := pinn.RelativeL2(u, ref)
		if err != nil {
			return err
		}
		name := "u and u_t at t = 0 (InitialRate)"
		if !rate {
			name = "u at t = 0 only"
		}
		fmt.Printf("   %-34s %14.2e %8.1fs\n", name, e, time.Since(start).Seconds())
		if !rate {
			continue // the plot shows the well-posed model beside the exact solution
		}
		for _, t := range times {
			x := make([]float64, 101)
			q := make([][]float64, 101)
			exact := make([]float64, 101)
			for i := range x {
				x[i] = float64(i) / 100
				q[i] = []float64{x[i], t}
				exact[i] = waveExact(x[i], t)
			}
			got, err := mr.Predict(q)
			if err != nil {
				return err
			}
			series = append(series,
				plotting.Series{Name: fmt.Sprintf("PINN t = %.2f", t), X: x, Y: got},
				plotting.Series{Name: fmt.Sprintf("exact t = %.2f", t), X: x, Y: exact, Dashed: true})
		}
	}
	path := filepath.Join(out, "pinn-wave.png")
	if err := plotting.Lines(path, plotting.Figure{Title: "wave equation: PINN (InitialRate, marched) and d'Alembert",
		XLabel: "x", YLabel: "u(x, t)", Height: 12}, series...); err != nil {
		return err
	}
	fmt.Fprintln(os.Stdout, "   wrote", path)
	return nil
}
