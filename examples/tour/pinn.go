package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"time"

	"github.com/physbias/physbias/internal/plotting"
	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/pinn"
)

func init() {
	register(70, "pinn", "pinn: physics-informed network for the heat equation (soft vs hard BCs, inverse κ)", runPINN)
}

// runPINN solves u_t = 0.1 u_xx on [0, 1] × [0, 1] with zero boundary values
// and u(x, 0) = sin πx + 0.5 sin 2πx, once with the conditions as penalties
// and once built into the output, and compares both with the closed form;
// then learns κ from 200 noisy observations. The Burgers reproduction of
// Raissi et al. is the example main examples/pinn (minutes).
func runPINN(out string) error {
	exact := pinn.Heat{Kappa: 0.1, A: []float64{1, 0.5}}
	grid, err := pinn.Domain{Space: []pinn.Interval{{Lo: 0, Hi: 1}}, Time: pinn.Interval{Lo: 0, Hi: 1}}.Grid(51, 51)
	if err != nil {
		return err
	}
	ref := make([]float64, len(grid))
	for i, q := range grid {
		ref[i] = exact.U(q[0], q[1])
	}
	fmt.Println("   u_t = 0.1 u_xx, u(0,t) = u(1,t) = 0, u(x,0) = sin πx + 0.5 sin 2πx; 2-20-20-1 tanh, 400 collocation points")
	fmt.Printf("   %-5s %12s %10s %8s\n", "BCs", "rel. L2 err", "loss", "time")
	xs := make([]float64, 101)
	for j := range xs {
		xs[j] = float64(j) / 100
	}
	var series []plotting.Series
	for _, mode := range []pinn.Constraints{pinn.Soft, pinn.Hard} {
		p, err := exact.Problem(1, 50)
		if err != nil {
			return err
		}
		m, err := pinn.New(p, pinn.Config{Hidden: []int{20, 20}, Collocation: 400, Constraints: mode, Seed: 1})
		if err != nil {
			return err
		}
		start := time.Now()
		h, err := m.Train(context.Background(), pinn.TrainConfig{Phases: []pinn.Phase{pinn.Adam{Steps: 300, LR: 1e-2}, pinn.LBFGS{MaxIter: 600}}})
		if err != nil {
			return err
		}
		u, err := m.Predict(grid)
		if err != nil {
			return err
		}
		e, err := pinn.RelativeL2(u, ref)
		if err != nil {
			return err
		}
		fmt.Printf("   %-5v %12.2e %10.2e %7.1fs\n", mode, e, h.Final(), time.Since(start).Seconds())
		if mode == pinn.Soft {
			for _, t := range []float64{0, 0.5, 1} {
				pts := make([][]float64, len(xs))
				ex := make([]float64, len(xs))
				for j, x := range xs {
					pts[j], ex[j] = []float64{x, t}, exact.U(x, t)
				}
				up, err := m.Predict(pts)
				if err != nil {
					return err
				}
				series = append(series,
					plotting.Series{Name: fmt.Sprintf("PINN t=%g", t), X: xs, Y: up},
					plotting.Series{Name: fmt.Sprintf("exact t=%g", t), X: xs, Y: ex, Dashed: true})
			}
		}
	}

	// Inverse: κ from 200 observations with 1% noise, no conditions given.
	dom := pinn.Domain{Space: []pinn.Interval{{Lo: 0, Hi: 1}}, Time: pinn.Interval{Lo: 0, Hi: 1}}
	x, err := dom.Sample(200, pinn.LatinHypercube, 7)
	if err != nil {
		return err
	}
	r := rng.New(8)
	d := &pinn.Data{X: x}
	for _, q := range x {
		d.U = append(d.U, exact.U(q[0], q[1])*(1+0.01*r.NormFloat64()))
	}
	p := pinn.Problem{
		Domain: dom,
		Residual: func(f *pinn.Fields) (*pinn.Node, error) {
			return f.Sub(f.Ut(), f.Mul(f.Coef("kappa"), f.Uxx(0))), nil
		},
		Data:     d,
		Unknowns: []pinn.Unknown{{Name: "kappa", Init: 0.03, Positive: true}},
	}
	m, err := pinn.New(p, pinn.Config{Hidden: []int{20, 20}, Collocation: 300, Seed: 2})
	if err != nil {
		return err
	}
	if _, err := m.Train(context.Background(), pinn.TrainConfig{Phases: []pinn.Phase{pinn.Adam{Steps: 300, LR: 1e-2}, pinn.LBFGS{MaxIter: 500}}}); err != nil {
		return err
	}
	k, err := m.Coef("kappa")
	if err != nil {
		return err
	}
	fmt.Printf("   inverse: κ learned from 200 observations (1%% noise), start 0.03: %.4f (true 0.1, error %.1f%%)\n", k, 100*math.Abs(k-0.1)/0.1)

	path := filepath.Join(out, "pinn-heat.png")
	if err := plotting.Lines(path, plotting.Figure{
		Title: "Heat equation: PINN, soft BCs (solid) vs closed form (dashed)", XLabel: "position x (units of L)", YLabel: "temperature u"}, series...); err != nil {
		return err
	}
	fmt.Println("   wrote", path)
	return nil
}
