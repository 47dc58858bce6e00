package plotting_test

import (
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"

	"github.com/physbias/physbias/internal/plotting"
	"gonum.org/v1/gonum/mat"
)

// A sine wave and its exact derivative, dashed, on a 12 × 8 cm figure: the
// PNG is 454 × 302 pixels (gonum/plot draws at 96 dpi).
func ExampleLines() {
	dir, err := os.MkdirTemp("", "plotting")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	x := make([]float64, 101)
	y, dy := make([]float64, len(x)), make([]float64, len(x))
	for i := range x {
		x[i] = 2 * math.Pi * float64(i) / 100
		y[i], dy[i] = math.Sin(x[i]), math.Cos(x[i])
	}
	path := filepath.Join(dir, "sine.png")
	err = plotting.Lines(path, plotting.Figure{Title: "sin and its derivative", XLabel: "x", Width: 12, Height: 8},
		plotting.Series{Name: "sin x", X: x, Y: y},
		plotting.Series{Name: "cos x", X: x, Y: dy, Dashed: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds().Dx(), "×", img.Bounds().Dy())

	// Bad data is an error, not a panic.
	fmt.Println(plotting.Lines(path, plotting.Figure{}, plotting.Series{X: x, Y: y[:3]}))
	// Output:
	// 454 × 302
	// plotting: series "" has 101 x values and 3 y values
}

// A 3×4 grid of z = x·y drawn as a heat map over x ∈ [0, 3], y ∈ [0, 2];
// the title gets the colour range.
func ExampleHeatmap() {
	dir, err := os.MkdirTemp("", "plotting")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	z := mat.NewDense(3, 4, nil)
	for r := 0; r < 3; r++ {
		for c := 0; c < 4; c++ {
			z.Set(r, c, float64(c)*float64(r)) // x = c, y = r
		}
	}
	path := filepath.Join(dir, "xy.png")
	if err := plotting.Heatmap(path, plotting.Figure{Title: "x·y", XLabel: "x", YLabel: "y", Width: 8, Height: 6}, z, 0, 3, 0, 2); err != nil {
		fmt.Println(err)
		return
	}
	_, err = os.Stat(path)
	fmt.Println("written:", err == nil)

	z.Set(1, 1, math.NaN())
	fmt.Println(plotting.Heatmap(path, plotting.Figure{}, z, 0, 3, 0, 2))
	// Output:
	// written: true
	// plotting: heat map value (1, 1) is NaN
}
