package plotting

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Series is one named curve: Y[i] drawn against X[i].
type Series struct {
	Name string
	X, Y []float64
	// Dashed draws the line dashed (for reference curves such as an exact
	// solution).
	Dashed bool
	// Points draws markers only, no line.
	Points bool
}

// Figure describes the axes of a plot.
type Figure struct {
	Title, XLabel, YLabel string
	// LogY draws the y axis of Lines on a log scale; values ≤ 0 are left
	// out. Heatmap does not support it.
	LogY bool
	// Width and Height in centimetres, at most MaxSize each; zero means
	// 16 × 10.
	Width, Height float64
	// LegendLeft and LegendBottom move the legend from its default place,
	// the top right corner, so that it does not hide a curve.
	LegendLeft, LegendBottom bool
}

var colours = []color.Color{
	color.RGBA{R: 31, G: 119, B: 180, A: 255},
	color.RGBA{R: 214, G: 39, B: 40, A: 255},
	color.RGBA{R: 44, G: 160, B: 44, A: 255},
	color.RGBA{R: 255, G: 127, B: 14, A: 255},
	color.RGBA{R: 148, G: 103, B: 189, A: 255},
	color.RGBA{R: 140, G: 86, B: 75, A: 255},
	color.RGBA{R: 0, G: 0, B: 0, A: 255},
}

// MaxSize is the largest Width or Height of a Figure, in centimetres (at
// the PNG's 96 dpi, 3,780 pixels).
const MaxSize = 100

// Colour returns the i-th colour of the palette the figures share; the
// palette repeats, for negative i too.
func Colour(i int) color.Color {
	n := len(colours)
	return colours[(i%n+n)%n]
}

// Lines writes a PNG at path with every series drawn in its own colour and
// a legend. It makes the file's directory when missing.
func Lines(path string, fig Figure, series ...Series) error {
	p, err := newPlot(fig)
	if err != nil {
		return err
	}
	drawn := 0
	var xr, yr span
	for i, s := range series {
		if len(s.X) != len(s.Y) {
			return fmt.Errorf("plotting: series %q has %d x values and %d y values", s.Name, len(s.X), len(s.Y))
		}
		xy := make(plotter.XYs, 0, len(s.X))
		for j := range s.X {
			if math.IsNaN(s.Y[j]) || math.IsInf(s.Y[j], 0) || (fig.LogY && s.Y[j] <= 0) {
				continue
			}
			xy = append(xy, plotter.XY{X: s.X[j], Y: s.Y[j]})
		}
		if len(xy) == 0 {
			continue
		}
		drawn++
		for _, v := range xy {
			xr.add(v.X)
			yr.add(v.Y)
		}
		if s.Points {
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				return fmt.Errorf("plotting: %v", err)
			}
			sc.GlyphStyle.Color = Colour(i)
			sc.GlyphStyle.Radius = vg.Points(1.5)
			p.Add(sc)
			p.Legend.Add(s.Name, sc)
			continue
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return fmt.Errorf("plotting: %v", err)
		}
		l.Color = Colour(i)
		l.Width = vg.Points(1.5)
		if s.Dashed {
			l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		p.Add(l)
		p.Legend.Add(s.Name, l)
	}
	if fig.LogY && len(series) > 0 && drawn == 0 {
		return errors.New("plotting: LogY needs positive values, and no series has one")
	}
	if xr.overflows() || yr.overflows() {
		return fmt.Errorf("plotting: data range x [%g, %g], y [%g, %g] is too wide to draw (its width overflows)", xr.lo, xr.hi, yr.lo, yr.hi)
	}
	if fig.LogY && drawn == 0 { // no series: empty axes, a decade tall
		p.Y.Min, p.Y.Max = 1, 10
	}
	if fig.LogY && drawn > 0 && yr.lo == yr.hi {
		// gonum/plot widens an empty range by ±1, which reaches 0 on a
		// log axis and panics: widen it by a decade instead.
		p.Y.Min, p.Y.Max = yr.lo/10, yr.hi*10
	}
	return save(p, fig, path)
}

// span is the range of the values added to it.
type span struct {
	lo, hi float64
	set    bool
}

func (s *span) add(v float64) {
	if !s.set {
		s.lo, s.hi, s.set = v, v, true
		return
	}
	s.lo, s.hi = math.Min(s.lo, v), math.Max(s.hi, v)
}

// overflows reports whether hi − lo is not a finite number, which sends
// gonum/plot's tick placement into an endless loop.
func (s *span) overflows() bool { return s.set && math.IsInf(s.hi-s.lo, 0) }

// Heatmap writes a PNG at path showing z (rows along y from yMin to yMax,
// columns along x from xMin to xMax) in gonum/plot's Heat palette, with the
// colour range [min z, max z] given in the title's suffix.
func Heatmap(path string, fig Figure, z *mat.Dense, xMin, xMax, yMin, yMax float64) error {
	if z == nil {
		return errors.New("plotting: nil grid")
	}
	if fig.LogY {
		return errors.New("plotting: Heatmap does not support LogY")
	}
	r, c := z.Dims()
	if r < 2 || c < 2 {
		return fmt.Errorf("plotting: a heat map needs at least 2×2 values, got %d×%d", r, c)
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := z.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("plotting: heat map value (%d, %d) is %v", i, j, v)
			}
		}
	}
	var xr, yr span
	for _, v := range []float64{xMin, xMax} {
		xr.add(v)
	}
	for _, v := range []float64{yMin, yMax} {
		yr.add(v)
	}
	if math.IsNaN(xMin+xMax+yMin+yMax) || xr.overflows() || yr.overflows() {
		return fmt.Errorf("plotting: heat map ranges x [%g, %g], y [%g, %g] must be finite", xMin, xMax, yMin, yMax)
	}
	lo, hi := mat.Min(z), mat.Max(z)
	if fig.Title != "" {
		fig.Title = fmt.Sprintf("%s  [%.3g, %.3g]", fig.Title, lo, hi)
	}
	p, err := newPlot(fig)
	if err != nil {
		return err
	}
	g := grid{z: z, x0: xMin, dx: (xMax - xMin) / float64(c-1), y0: yMin, dy: (yMax - yMin) / float64(r-1)}
	pal := palette.Heat(64, 1)
	if hi == lo {
		hi = lo + 1
	}
	// Drawn as one image rather than a rectangle a cell, which leaves
	// white seams between cells; each cell is k×k pixels of the image so
	// that the image's smoothing when scaled to the page blurs only the
	// cells' edges, never a coarse grid (Ising spins) into a gradient.
	h := plotter.NewHeatMap(fine{g, pixelsPerCell(c, r)}, pal)
	h.Min, h.Max = lo, hi
	h.Rasterized = true
	p.Add(h)
	return save(p, fig, path)
}

type grid struct {
	z              *mat.Dense
	x0, dx, y0, dy float64
}

func (g grid) Dims() (c, r int)   { r, c = g.z.Dims(); return c, r }
func (g grid) Z(c, r int) float64 { return g.z.At(r, c) }
func (g grid) X(c int) float64    { return g.x0 + float64(c)*g.dx }
func (g grid) Y(r int) float64    { return g.y0 + float64(r)*g.dy }

// fine is a grid with each cell split into k×k equal cells of its value.
type fine struct {
	g grid
	k int
}

func (f fine) Dims() (c, r int)   { c, r = f.g.Dims(); return c * f.k, r * f.k }
func (f fine) Z(c, r int) float64 { return f.g.Z(c/f.k, r/f.k) }
func (f fine) X(c int) float64 {
	return f.g.X(c/f.k) + f.g.dx*((float64(c%f.k)+0.5)/float64(f.k)-0.5)
}
func (f fine) Y(r int) float64 {
	return f.g.Y(r/f.k) + f.g.dy*((float64(r%f.k)+0.5)/float64(f.k)-0.5)
}

// pixelsPerCell is how many image pixels a side of a cell of a c×r heat map
// gets: about 200 pixels along the shorter side, so that the smoothing
// spans at most a few page pixels at a cell's edge (drawing time grows
// with the image: 1200 pixels took 5 s a plot), at most a million pixels in
// all, at least 1.
func pixelsPerCell(c, r int) int {
	k := (200 + min(c, r) - 1) / min(c, r)
	for k > 1 && c*k*r*k > 1_000_000 {
		k--
	}
	return max(k, 1)
}

func newPlot(fig Figure) (*plot.Plot, error) {
	for _, v := range []float64{fig.Width, fig.Height} {
		if !(v >= 0 && v <= MaxSize) {
			return nil, fmt.Errorf("plotting: figure size %g × %g cm: each must be in [0, %d] (0 = default)", fig.Width, fig.Height, MaxSize)
		}
	}
	p := plot.New()
	p.Title.Text = fig.Title
	p.X.Label.Text = fig.XLabel
	p.Y.Label.Text = fig.YLabel
	if fig.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	p.Legend.Top = !fig.LegendBottom
	p.Legend.Left = fig.LegendLeft
	p.Add(plotter.NewGrid())
	return p, nil
}

func save(p *plot.Plot, fig Figure, path string) error {
	w, h := fig.Width, fig.Height
	if w == 0 {
		w = 16
	}
	if h == 0 {
		h = 10
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("plotting: %v", err)
	}
	if err := p.Save(vg.Length(w)*vg.Centimeter, vg.Length(h)*vg.Centimeter, path); err != nil {
		return fmt.Errorf("plotting: saving %s: %v", path, err)
	}
	return nil
}
