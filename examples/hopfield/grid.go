package main

import (
	"fmt"
	"image"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// digitGrid writes a PNG of 28×28 ±1 images, one row of the grid per
// entry of rows, with a title.
func digitGrid(path, title string, rows [][][]int8) error {
	const side, gap = 28, 2
	cols := len(rows[0])
	w, h := cols*(side+gap)+gap, len(rows)*(side+gap)+gap
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 128
	}
	for r, row := range rows {
		for c, s := range row {
			if len(s) != side*side {
				return fmt.Errorf("image %d of row %d has %d pixels, want %d", c, r, len(s), side*side)
			}
			for y := 0; y < side; y++ {
				for x := 0; x < side; x++ {
					v := uint8(0)
					if s[y*side+x] > 0 {
						v = 255
					}
					img.SetGray(gap+c*(side+gap)+x, gap+r*(side+gap)+y, color.Gray{Y: v})
				}
			}
		}
	}
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(18) // the image is drawn 4× larger
	p.HideAxes()
	p.Add(plotter.NewImage(img, 0, 0, float64(w), float64(h)))
	scale := 4.0
	return p.Save(vg.Length(float64(w)*scale), vg.Length(float64(h)*scale+45), path)
}
