package gcnn_test

import (
	"context"
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/gcnn"
)

// A lifting convolution on P4 inside a gorgonia graph: turning the image
// by 90° turns each output map and shifts the rotation channels by one.
func ExampleLift() {
	run := func(img []float64) []float64 {
		g := G.NewGraph()
		x := G.NewTensor(g, tensor.Float64, 4, G.WithShape(1, 1, 5, 5), G.WithName("x"),
			G.WithValue(tensor.New(tensor.WithShape(1, 1, 5, 5), tensor.WithBacking(img))))
		w := G.NewTensor(g, tensor.Float64, 4, G.WithShape(2, 1, 3, 3), G.WithName("w"),
			G.WithValue(tensor.New(tensor.WithShape(2, 1, 3, 3), tensor.WithBacking([]float64{
				1, 0, -1, 2, 0, -2, 1, 0, -1, // an edge detector
				0, 1, 0, 1, -4, 1, 0, 1, 0, // a Laplacian
			}))))
		y, err := gcnn.Lift(x, w, nil, gcnn.P4, gcnn.Conv{Pad: 1})
		if err != nil {
			panic(err)
		}
		var v G.Value
		G.Read(y, &v)
		m := G.NewTapeMachine(g)
		defer m.Close()
		if err := m.RunAll(); err != nil {
			panic(err)
		}
		return v.Data().([]float64)
	}
	img := make([]float64, 25)
	for i := range img {
		img[i] = float64((i * 7) % 11)
	}
	turned, _, _, _ := gcnn.Act(gcnn.P4, 1, img, 1, 1, 5, 5, false)
	y := run(img)
	want, _, _, _ := gcnn.Act(gcnn.P4, 1, y, 1, 8, 5, 5, true) // 2 features × 4 rotations
	got := run(turned)
	var d float64
	for i := range got {
		d = math.Max(d, math.Abs(got[i]-want[i]))
	}
	fmt.Printf("output maps: %d; largest difference from the turned output: %.0g\n", len(y)/25, d)
	// Output: output maps: 8; largest difference from the turned output: 0
}

// A P4CNN classifier on one's own images: its predictions do not change
// when the images turn by 90°, trained or not.
func ExampleModel() {
	m, err := gcnn.New(gcnn.Config{Group: gcnn.P4, Size: 16, Classes: 3, Width: 4,
		Layers: []gcnn.Layer{{Kernel: 3, MaxPool: 2}, {Kernel: 3, Pad: 1}, {Kernel: 7}}})
	if err != nil {
		panic(err)
	}
	data := &gcnn.Dataset{Train: shapes(1, 200, 16)} // a user's own images and labels
	if _, err := m.Train(context.Background(), data, gcnn.TrainConfig{Steps: 20, BatchSize: 20}); err != nil {
		panic(err)
	}
	im := shapes(2, 50, 16)
	p0, _ := m.Predict(&im)
	turned, _, _, _ := gcnn.Act(gcnn.P4, 1, im.X, 50, 1, 16, 16, false)
	p1, _ := m.Predict(&gcnn.Images{X: turned, C: 1, H: 16, W: 16})
	same := 0
	for i := range p0 {
		if p0[i] == p1[i] {
			same++
		}
	}
	fmt.Printf("%d parameters; %d of %d predictions unchanged by a quarter turn\n", m.NumParams(), same, len(p0))
	// Output: 2975 parameters; 50 of 50 predictions unchanged by a quarter turn
}
