package plotting

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
)

// The k×k split of a heat map covers the same rectangle as the grid and
// shows each cell's value in all its k² pixels.
func TestFineGridKeepsCellsAndExtent(t *testing.T) {
	z := mat.NewDense(3, 4, []float64{0, 1, 2, 3, 1, 0, 3, 2, 2, 3, 0, 1})
	g := grid{z: z, x0: -1, dx: 0.5, y0: 2, dy: 3}
	for _, k := range []int{1, 2, 5} {
		f := fine{g, k}
		c, r := f.Dims()
		if c != 4*k || r != 3*k {
			t.Fatalf("k=%d: dims %d×%d", k, c, r)
		}
		x0, x1, y0, y1 := plotter.NewHeatMap(g, palette.Heat(8, 1)).DataRange()
		fx0, fx1, fy0, fy1 := plotter.NewHeatMap(f, palette.Heat(8, 1)).DataRange()
		for i, d := range []float64{fx0 - x0, fx1 - x1, fy0 - y0, fy1 - y1} {
			// Sums of a few halves and k-ths: measured 0 to 4e-16.
			if math.Abs(d) > 1e-14 {
				t.Errorf("k=%d: extent %d differs by %g", k, i, d)
			}
		}
		for i := range c {
			for j := range r {
				if f.Z(i, j) != z.At(j/k, i/k) {
					t.Fatalf("k=%d: Z(%d, %d) = %v, want cell (%d, %d)", k, i, j, f.Z(i, j), j/k, i/k)
				}
			}
		}
	}
}

func TestPixelsPerCell(t *testing.T) {
	for _, c := range []struct{ c, r, want int }{
		{4, 3, 67}, {64, 64, 4}, {150, 100, 2}, {2000, 2000, 1}, {1200, 5, 12},
	} {
		k := pixelsPerCell(c.c, c.r)
		if k != c.want || (k > 1 && c.c*k*c.r*k > 1_000_000) {
			t.Errorf("pixelsPerCell(%d, %d) = %d, want %d", c.c, c.r, k, c.want)
		}
	}
}
