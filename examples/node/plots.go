package main

import (
	"fmt"
	"image/color"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/physbias/physbias/internal/plotting"
	"github.com/physbias/physbias/node"
)

func spiralPlots(out string, ts, clean, noisy []float64, runs []spiralRun) error {
	split := func(v []float64) ([]float64, []float64) {
		x, y := make([]float64, len(v)/2), make([]float64, len(v)/2)
		for i := range x {
			x[i], y[i] = v[2*i], v[2*i+1]
		}
		return x, y
	}
	nx, ny := split(noisy)
	cx, cy := split(clean)
	series := []plotting.Series{
		{Name: "noisy observations", X: nx, Y: ny, Points: true},
		{Name: "true trajectory", X: cx, Y: cy, Dashed: true},
	}
	for _, r := range runs {
		sol, err := r.m.Solve([]float64{2, 0}, ts, node.DormandPrince(), node.Options{RTol: 1e-6, ATol: 1e-6})
		if err != nil {
			return err
		}
		var flat []float64
		for _, y := range sol.Y {
			flat = append(flat, y...)
		}
		x, y := split(flat)
		series = append(series, plotting.Series{Name: "learned: " + r.name, X: x, Y: y})
	}
	if err := trajectoryPlot(filepath.Join(out, "node-spiral-trajectory.png"), series); err != nil {
		return err
	}
	var loss []plotting.Series
	for _, r := range runs {
		x := make([]float64, len(r.hist.Fit))
		for i := range x {
			x[i] = float64(i + 1)
		}
		loss = append(loss, plotting.Series{Name: r.name, X: x, Y: plotting.RunningMean(r.hist.Fit, 50)})
	}
	fig := plotting.Figure{Title: "Spiral: training loss (window MSE, running mean of 50 steps)", XLabel: "training step", YLabel: "mean squared error", LogY: true}
	if err := plotting.Lines(filepath.Join(out, "node-spiral-loss.png"), fig, loss...); err != nil {
		return err
	}
	for i, r := range runs {
		name := []string{"node-spiral-field.png", "node-spiral-field-regularized.png"}[i]
		if err := fieldPlot(filepath.Join(out, name), r, cx, cy); err != nil {
			return err
		}
	}
	fmt.Printf("  plots: node-spiral-trajectory.png, node-spiral-loss.png, node-spiral-field.png, node-spiral-field-regularized.png\n")
	return nil
}

// trajectoryPlot draws the phase portrait with room below the spiral for
// the legend, so that it covers no curve.
func trajectoryPlot(path string, series []plotting.Series) error {
	p := plot.New()
	p.Title.Text = "Spiral: trajectory from (2, 0) over 25 s"
	p.X.Label.Text = "y₁ (dimensionless)"
	p.Y.Label.Text = "y₂ (dimensionless)"
	for i, s := range series {
		xy := make(plotter.XYs, len(s.X))
		for j := range s.X {
			xy[j] = plotter.XY{X: s.X[j], Y: s.Y[j]}
		}
		if s.Points {
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				return err
			}
			sc.Color = plotting.Colour(i)
			sc.Radius = vg.Points(1.5)
			p.Add(sc)
			p.Legend.Add(s.Name, sc)
			continue
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		l.Color = plotting.Colour(i)
		l.Width = vg.Points(1.5)
		if s.Dashed {
			l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		p.Add(l)
		p.Legend.Add(s.Name, l)
	}
	p.Legend.Left = true
	p.Legend.Top = false
	p.Y.Min, p.Y.Max = -3, 2
	p.X.Min, p.X.Max = -2, 2.2
	return p.Save(18*vg.Centimeter, 20*vg.Centimeter, path)
}

// grid is a vector field sampled on a regular grid, for plotter.Field.
type grid struct {
	xs, ys []float64
	v      [][2]float64 // v[r*len(xs)+c]
}

func (g grid) Dims() (int, int) { return len(g.xs), len(g.ys) }
func (g grid) X(c int) float64  { return g.xs[c] }
func (g grid) Y(r int) float64  { return g.ys[r] }
func (g grid) Vector(c, r int) plotter.XY {
	v := g.v[r*len(g.xs)+c]
	return plotter.XY{X: v[0], Y: v[1]}
}

// fieldPlot draws the learned f on a 21×21 grid as arrows (length ∝ speed,
// the longest one grid spacing), with the true trajectory for reference.
func fieldPlot(path string, r spiralRun, cx, cy []float64) error {
	const n, lim = 21, 2.2
	g := grid{xs: make([]float64, n), ys: make([]float64, n)}
	var pts []float64
	for i := 0; i < n; i++ {
		g.xs[i] = -lim + 2*lim*float64(i)/(n-1)
		g.ys[i] = g.xs[i]
	}
	for _, y := range g.ys {
		for _, x := range g.xs {
			pts = append(pts, x, y)
		}
	}
	f, err := r.m.Field(pts, 0)
	if err != nil {
		return err
	}
	for i := 0; i < n*n; i++ {
		g.v = append(g.v, [2]float64{f[2*i], f[2*i+1]})
	}
	p := plot.New()
	p.Title.Text = "Spiral: learned vector field f(y), " + r.name
	p.X.Label.Text = "y₁ (dimensionless)"
	p.Y.Label.Text = "y₂ (dimensionless)"
	fld := plotter.NewField(g)
	fld.LineStyle.Width = vg.Points(0.8)
	fld.DrawGlyph = func(c vg.Canvas, sty draw.LineStyle, v plotter.XY) {
		c.SetLineWidth(sty.Width)
		c.SetColor(sty.Color)
		var pa vg.Path
		pa.Move(vg.Point{X: -0.5, Y: 0})
		pa.Line(vg.Point{X: 0.5, Y: 0})
		pa.Move(vg.Point{X: 0.2, Y: 0.2})
		pa.Line(vg.Point{X: 0.5, Y: 0})
		pa.Line(vg.Point{X: 0.2, Y: -0.2})
		c.Stroke(pa)
	}
	p.Add(fld)
	xy := make(plotter.XYs, len(cx))
	for i := range cx {
		xy[i] = plotter.XY{X: cx[i], Y: cy[i]}
	}
	line, err := plotter.NewLine(xy)
	if err != nil {
		return err
	}
	line.Color = color.RGBA{R: 200, G: 30, B: 30, A: 255}
	line.Width = vg.Points(1)
	line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(line)
	p.Legend.Add("true trajectory", line)
	p.Legend.Left = true
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -lim-0.2, lim+0.2, -lim-0.9, lim+0.2
	return p.Save(18*vg.Centimeter, 20*vg.Centimeter, path)
}
