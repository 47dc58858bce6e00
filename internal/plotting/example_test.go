package plotting_test

import (
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"

	"github.com/physbias/physbias/internal/plotting"
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
