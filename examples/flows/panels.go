package main

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// internal/plotting draws one plot a file; a density's figure puts the data
// and every model side by side, so this file tiles gonum/plot panels itself.

// panel is one tile: either points (a scatter of samples) or a density on
// a grid (a heat map of p, not log p, so the shape reads as the data's).
type panel struct {
	title  string
	points []float64 // row-major (x, y) pairs
	logp   [][]float64
}

// span is the square [−span, span]² every panel shows.
const span = 4.5

// gridXYZ adapts a square grid of densities to plotter.GridXYZ.
type gridXYZ struct {
	z [][]float64 // z[row][col], rows along y
}

func (g gridXYZ) Dims() (c, r int) { return len(g.z[0]), len(g.z) }
func (g gridXYZ) Z(c, r int) float64 {
	return g.z[r][c]
}
func (g gridXYZ) X(c int) float64 { return -span + 2*span*float64(c)/float64(len(g.z[0])-1) }
func (g gridXYZ) Y(r int) float64 { return -span + 2*span*float64(r)/float64(len(g.z)-1) }

// writePanels draws the panels in rows of cols tiles into a PNG at path.
func writePanels(path, title string, cols int, panels []panel) error {
	rows := (len(panels) + cols - 1) / cols
	const tile = 6 * vg.Centimeter
	img := vgimg.New(vg.Length(cols)*tile, vg.Length(rows)*tile+vg.Centimeter)
	dc := draw.New(img)
	// The title across the top.
	top := draw.Crop(dc, 0, 0, 0, 0)
	top.Min.Y = top.Max.Y - vg.Centimeter
	sty := draw.TextStyle{Color: color.Black, Font: plot.DefaultFont, XAlign: draw.XCenter, YAlign: draw.YCenter}
	sty.Font.Size = 12
	sty.Handler = plot.DefaultTextHandler
	top.FillText(sty, vg.Point{X: (top.Min.X + top.Max.X) / 2, Y: (top.Min.Y + top.Max.Y) / 2}, title)
	body := dc
	body.Max.Y -= vg.Centimeter
	plots := make([][]*plot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*plot.Plot, cols)
	}
	for i, pn := range panels {
		p := plot.New()
		p.Title.Text = pn.title
		p.X.Label.Text = "x₁"
		p.Y.Label.Text = "x₂"
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -span, span, -span, span
		if pn.logp != nil {
			z := make([][]float64, len(pn.logp))
			for r, row := range pn.logp {
				z[r] = make([]float64, len(row))
				for c, v := range row {
					z[r][c] = math.Exp(v)
				}
			}
			h := plotter.NewHeatMap(gridXYZ{z}, palette.Heat(64, 1))
			// Colours span [0, the 99.5th percentile], so a few sharp
			// peaks do not wash out the rest; higher values take the top
			// colour.
			h.Min, h.Max = 0, quantile(z, 0.995)
			pal := palette.Heat(64, 1).Colors()
			h.Overflow = pal[len(pal)-1]
			h.Rasterized = true
			p.Add(h)
		} else {
			xy := make(plotter.XYs, 0, len(pn.points)/2)
			for k := 0; k+1 < len(pn.points); k += 2 {
				x, y := pn.points[k], pn.points[k+1]
				if math.Abs(x) <= span && math.Abs(y) <= span {
					xy = append(xy, plotter.XY{X: x, Y: y})
				}
			}
			s, err := plotter.NewScatter(xy)
			if err != nil {
				return err
			}
			s.GlyphStyle.Radius = vg.Points(0.6)
			s.GlyphStyle.Color = color.RGBA{R: 30, G: 60, B: 160, A: 255}
			p.Add(s)
		}
		plots[i/cols][i%cols] = p
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter, PadY: vg.Millimeter}
	canv := plot.Align(plots, tiles, body)
	for r := range plots {
		for c := range plots[r] {
			if plots[r][c] != nil {
				plots[r][c].Draw(canv[r][c])
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

// quantile returns the q-quantile of the values of z (a positive value).
func quantile(z [][]float64, q float64) float64 {
	var all []float64
	for _, row := range z {
		all = append(all, row...)
	}
	sort.Float64s(all)
	v := all[min(len(all)-1, int(q*float64(len(all))))]
	if !(v > 0) {
		return 1
	}
	return v
}
