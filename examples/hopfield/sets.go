package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/physbias/physbias/hopfield"
	"github.com/physbias/physbias/internal/plotting"
)

// hottest makes n sets of 8 sensors, each reading (temperature,
// pressure); the label is +1 when the hottest sensor's pressure is
// positive. Which sensor matters depends on the others' readings, so no
// function of one element at a time, averaged over the set, can find it;
// attention that scores temperature can.
func hottest(n int, seed uint64) hopfield.Data {
	r := rand.New(rand.NewPCG(seed, 1))
	var d hopfield.Data
	for range n {
		x := make([]float64, 16)
		best := 0
		for e := range 8 {
			x[2*e], x[2*e+1] = r.NormFloat64(), r.NormFloat64()
			if x[2*e] > x[2*best] {
				best = e
			}
		}
		y := -1.0
		if x[2*best+1] > 0 {
			y = 1
		}
		d.X = append(d.X, x)
		d.Y = append(d.Y, []float64{y})
	}
	return d
}

// sets trains a set classifier on the hottest-sensor task with
// hopfield.Model, once around HopfieldPooling and once around
// HopfieldLayer averaged over the set (a per-element memory with mean
// pooling, the baseline), and plots both training losses.
func sets(out string) error {
	data, test := hottest(1000, 1), hottest(2000, 2)
	fmt.Println("\nSet classification: 8 sensors of (temperature, pressure); label: sign of the hottest sensor's pressure")
	fmt.Printf("%-34s %14s %16s\n", "model", "test accuracy", "last batch loss")
	var series []plotting.Series
	for _, arch := range []hopfield.Arch{hopfield.PoolingArch, hopfield.LayerArch} {
		m, err := hopfield.NewModel(hopfield.Config{Arch: arch, In: 2, SetSize: 8, Loss: hopfield.Logistic,
			Layer: hopfield.LayerConfig{DimK: 4, DimV: 4, Beta: 4}, Seed: 1})
		if err != nil {
			return err
		}
		h, err := m.Train(context.Background(), data, hopfield.TrainConfig{Steps: 800, LR: 0.05, BatchSize: 50, Seed: 3,
			Progress: hopfield.ProgressBar(os.Stderr, arch.String())})
		if err != nil {
			return err
		}
		pred, err := m.Predict(test.X)
		if err != nil {
			return err
		}
		ok := 0
		for i, p := range pred {
			if p[0]*test.Y[i][0] > 0 {
				ok++
			}
		}
		name := "HopfieldPooling"
		if arch == hopfield.LayerArch {
			name = "HopfieldLayer, mean over the set"
		}
		fmt.Printf("%-34s %14.3f %16.3f\n", name, float64(ok)/float64(len(pred)), h.Loss[len(h.Loss)-1])
		// The loss of each batch, smoothed over 50 steps.
		xs, ys := make([]float64, 0, len(h.Loss)), make([]float64, 0, len(h.Loss))
		for i := 49; i < len(h.Loss); i++ {
			var s float64
			for _, v := range h.Loss[i-49 : i+1] {
				s += v / 50
			}
			xs, ys = append(xs, float64(i+1)), append(ys, s)
		}
		series = append(series, plotting.Series{Name: name, X: xs, Y: ys})
	}
	path := filepath.Join(out, "hopfield-sets.png")
	if err := plotting.Lines(path, plotting.Figure{
		Title:  "Hottest-sensor sets: training loss (mean of 50 batches)",
		XLabel: "Adam step", YLabel: "logistic loss (nats per set)",
	}, series...); err != nil {
		return err
	}
	fmt.Println("wrote", path)
	return nil
}
