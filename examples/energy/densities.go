package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/physbias/physbias/energy"
	"github.com/physbias/physbias/internal/plotting"
	"gonum.org/v1/gonum/mat"
)

// density is a 2-D data set with its modes, for the coverage numbers.
type density struct {
	name  string
	title string
	draw  func(r *rand.Rand) []float64
	// near reports whether x lies where the density has mass (within 3σ of
	// a mode or of the ring).
	near func(x []float64) bool
}

func densities() []density {
	const s = 0.15
	return []density{
		{"8gaussians", "eight Gaussians",
			func(r *rand.Rand) []float64 {
				a := 2 * math.Pi * float64(r.IntN(8)) / 8
				return []float64{2*math.Cos(a) + s*r.NormFloat64(), 2*math.Sin(a) + s*r.NormFloat64()}
			},
			func(x []float64) bool {
				for k := range 8 {
					a := 2 * math.Pi * float64(k) / 8
					if math.Hypot(x[0]-2*math.Cos(a), x[1]-2*math.Sin(a)) < 3*s {
						return true
					}
				}
				return false
			}},
		{"ring", "a ring",
			func(r *rand.Rand) []float64 {
				a := 2 * math.Pi * r.Float64()
				rad := 2 + s*r.NormFloat64()
				return []float64{rad * math.Cos(a), rad * math.Sin(a)}
			},
			func(x []float64) bool { return math.Abs(math.Hypot(x[0], x[1])-2) < 3*s }},
	}
}

// runDensities trains an MLP energy on each density and plots its energy
// surface and Langevin samples from it.
func runDensities(out string, steps int) error {
	fmt.Println("== 2-D densities: MLP energy with Langevin negatives and a replay buffer (Du & Mordatch 2019) ==")
	for _, d := range densities() {
		r := rand.New(rand.NewPCG(1, 2))
		data := make([][]float64, 5000)
		for i := range data {
			data[i] = d.draw(r)
		}
		m, err := energy.NewMLP(energy.MLPConfig{Dim: 2, Hidden: []int{64, 64}, Seed: 3})
		if err != nil {
			return err
		}
		tc := energy.MLPTrainConfig{Steps: steps, LR: 3e-3, BatchSize: 128, BufferSize: 2000, Regularizer: 0.1, Seed: 4,
			Box:      [2]float64{-3, 3},
			Langevin: energy.LangevinConfig{Steps: 20, StepSize: 0.01},
			Progress: energy.ProgressBar(os.Stdout, "   "+d.name)}
		h, err := m.Train(context.Background(), data, tc)
		if err != nil {
			return err
		}
		// Samples: Metropolis-adjusted Langevin on the learned energy from
		// uniform noise on [−3, 3]², against the noise itself as baseline.
		start := make([][]float64, 2000)
		for i := range start {
			start[i] = []float64{-3 + 6*r.Float64(), -3 + 6*r.Float64()}
		}
		res, err := m.Langevin(start, energy.LangevinConfig{Steps: 1000, StepSize: 0.005, Metropolis: true, Seed: 5})
		if err != nil {
			return err
		}
		frac := func(xs [][]float64) float64 {
			n := 0
			for _, x := range xs {
				if d.near(x) {
					n++
				}
			}
			return float64(n) / float64(len(xs))
		}
		fmt.Printf("   %s: loss %.3f after %d steps (%v); Langevin samples within 3σ of the data's support: %.3f (data %.3f, uniform noise %.3f), acceptance %.2f\n",
			d.name, h.Loss[len(h.Loss)-1], h.Steps, h.Elapsed.Round(1e8), frac(res.X), frac(data), frac(start), res.Accepted)

		// The energy surface on a grid.
		const n = 121
		grid := make([][]float64, 0, n*n)
		for i := range n {
			for j := range n {
				grid = append(grid, []float64{-3 + 6*float64(j)/(n-1), -3 + 6*float64(i)/(n-1)})
			}
		}
		eg, err := m.Energy(grid)
		if err != nil {
			return err
		}
		lo := math.Inf(1)
		for _, v := range eg {
			lo = math.Min(lo, v)
		}
		z := mat.NewDense(n, n, nil)
		for k, v := range eg {
			z.Set(k/n, k%n, math.Min(v-lo, 10)) // clipped at 10 above the minimum
		}
		path := filepath.Join(out, "energy-"+d.name+"-surface.png")
		if err := plotting.Heatmap(path, plotting.Figure{Title: "Learned E(x) − min E, clipped at 10: " + d.title,
			XLabel: "x1 (data units)", YLabel: "x2 (data units)", Width: 16, Height: 14}, z, -3, 3, -3, 3); err != nil {
			return err
		}
		fmt.Println("   wrote", path)
		xs := func(rows [][]float64, k, max int) []float64 {
			v := make([]float64, 0, max)
			for _, x := range rows[:max] {
				v = append(v, x[k])
			}
			return v
		}
		path = filepath.Join(out, "energy-"+d.name+"-samples.png")
		if err := plotting.Lines(path, plotting.Figure{Title: "Data and Langevin samples of the learned energy: " + d.title,
			XLabel: "x1 (data units)", YLabel: "x2 (data units)", Width: 16, Height: 16, LegendBottom: true},
			plotting.Series{Name: "data", X: xs(data, 0, 1000), Y: xs(data, 1, 1000), Points: true},
			plotting.Series{Name: "Langevin (MALA, 1000 steps from noise)", X: xs(res.X, 0, 1000), Y: xs(res.X, 1, 1000), Points: true},
		); err != nil {
			return err
		}
		fmt.Println("   wrote", path)
	}
	return nil
}
