package plotting

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestLinesAndHeatmapWritePNGs(t *testing.T) {
	dir := t.TempDir()
	lines := filepath.Join(dir, "sub", "lines.png")
	err := Lines(lines, Figure{Title: "t", XLabel: "x", YLabel: "y", LogY: true},
		Series{Name: "a", X: []float64{1, 2, 3}, Y: []float64{1, 10, 100}},
		Series{Name: "b", X: []float64{1, 2, 3}, Y: []float64{2, 3, 4}, Dashed: true},
		Series{Name: "c", X: []float64{1, 2}, Y: []float64{5, 6}, Points: true})
	if err != nil {
		t.Fatal(err)
	}
	heat := filepath.Join(dir, "heat.png")
	if err := Heatmap(heat, Figure{Title: "h"}, mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6}), 0, 1, 0, 1); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{lines, heat} {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(f); err != nil {
			t.Fatalf("%s is not a PNG: %v", p, err)
		}
		f.Close()
	}
	if err := Lines(lines, Figure{}, Series{X: []float64{1}, Y: nil}); err == nil {
		t.Fatal("mismatched series lengths gave no error")
	}
}

// TestBadInput: every bad figure or data set is an error starting with
// "plotting: ", never a panic or (for overflowing ranges, where gonum/plot's
// tick placement loops forever) a hang.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.png")
	nan, inf := math.NaN(), math.Inf(1)
	ok := Series{X: []float64{1, 2}, Y: []float64{1, 2}}
	grid := func(v ...float64) *mat.Dense { return mat.NewDense(2, 2, v) }
	for _, c := range []struct {
		name string
		err  error
	}{
		{"negative size", Lines(path, Figure{Width: -3}, ok)},
		{"NaN size", Lines(path, Figure{Height: nan}, ok)},
		{"huge size", Lines(path, Figure{Width: 1e9}, ok)},
		{"log axis, no positive y", Lines(path, Figure{LogY: true}, Series{X: []float64{1, 2}, Y: []float64{-1, 0}})},
		{"overflowing x range", Lines(path, Figure{}, Series{X: []float64{-1e308, 1e308}, Y: []float64{1, 2}})},
		{"overflowing y range", Lines(path, Figure{}, Series{X: []float64{1, 2}, Y: []float64{-1e308, 1e308}})},
		{"NaN x", Lines(path, Figure{}, Series{X: []float64{nan, 2}, Y: []float64{1, 2}})},
		{"unknown format", Lines(filepath.Join(dir, "bad.xyz"), Figure{}, ok)},
		{"heat map NaN inside", Heatmap(path, Figure{}, grid(1, nan, 2, 3), 0, 1, 0, 1)},
		{"heat map Inf", Heatmap(path, Figure{}, grid(1, inf, 2, 3), 0, 1, 0, 1)},
		{"heat map NaN range", Heatmap(path, Figure{}, grid(1, 2, 3, 4), nan, 1, 0, 1)},
		{"heat map overflowing range", Heatmap(path, Figure{}, grid(1, 2, 3, 4), 0, 1, -1e308, 1e308)},
		{"heat map LogY", Heatmap(path, Figure{LogY: true}, grid(1, 2, 3, 4), 0, 1, 1, 2)},
		{"heat map size", Heatmap(path, Figure{Width: -1}, grid(1, 2, 3, 4), 0, 1, 0, 1)},
	} {
		if c.err == nil || !strings.HasPrefix(c.err.Error(), "plotting: ") {
			t.Errorf("%s: error %v, want one starting with \"plotting: \"", c.name, c.err)
		}
	}
}

// TestOddButValid: inputs gonum/plot handles badly on its own but that make a
// sensible figure: a constant series on a log axis (its default ±1 padding
// reaches 0), a reversed or degenerate heat-map range, no series at all.
func TestOddButValid(t *testing.T) {
	dir := t.TempDir()
	for name, err := range map[string]error{
		"constant on log axis": Lines(filepath.Join(dir, "a.png"), Figure{LogY: true}, Series{X: []float64{1, 2}, Y: []float64{1, 1}}),
		"no series":            Lines(filepath.Join(dir, "b.png"), Figure{LogY: true}),
		"one point":            Lines(filepath.Join(dir, "c.png"), Figure{}, Series{X: []float64{1}, Y: []float64{1}}),
		"reversed heat map":    Heatmap(filepath.Join(dir, "d.png"), Figure{}, mat.NewDense(2, 2, []float64{1, 2, 3, 4}), 1, 0, 0, 1),
		"point heat map":       Heatmap(filepath.Join(dir, "e.png"), Figure{}, mat.NewDense(2, 2, []float64{1, 2, 3, 4}), 1, 1, 0, 0),
	} {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if Colour(-1) != Colour(len(colours)-1) || Colour(len(colours)) != Colour(0) {
		t.Error("Colour does not wrap around the palette")
	}
}
