package plotting

import (
	"image/png"
	"os"
	"path/filepath"
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
