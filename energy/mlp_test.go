package energy_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/physbias/physbias/energy"
)

// twoBlobs draws n points from an equal mixture of N((±2, 0), 0.5² I): a
// user's own 2-D data.
func twoBlobs(n int, seed uint64) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([][]float64, n)
	for k := range out {
		cx := 2.0
		if k%2 == 1 {
			cx = -2
		}
		out[k] = []float64{cx + 0.5*r.NormFloat64(), 0.5 * r.NormFloat64()}
	}
	return out
}

// An MLP energy trained with Langevin negatives and a replay buffer on a
// two-mode mixture learns an energy whose minima are the modes.
func TestMLPEnergyTwoBlobs(t *testing.T) {
	data := twoBlobs(2000, 1)
	m, err := energy.NewMLP(energy.MLPConfig{Dim: 2, Hidden: []int{32, 32}, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	tc := energy.MLPTrainConfig{Steps: 2000, LR: 3e-3, BatchSize: 64, BufferSize: 1000, Regularizer: 0.1, Seed: 3,
		Langevin: energy.LangevinConfig{Steps: 20, StepSize: 0.01}}
	t0 := time.Now()
	h, err := m.Train(context.Background(), data, tc)
	t.Logf("trained in %v", time.Since(t0))
	if err != nil {
		t.Fatal(err)
	}
	// The learned energy's minimum on a grid over [−4, 4] × [−2, 2] lies
	// at a mode of the data, (±2, 0), and a barrier separates the modes.
	var grid [][]float64
	for i := 0; i <= 80; i++ {
		for j := 0; j <= 40; j++ {
			grid = append(grid, []float64{-4 + 0.1*float64(i), -2 + 0.1*float64(j)})
		}
	}
	eg, err := m.Energy(grid)
	if err != nil {
		t.Fatal(err)
	}
	best := 0
	for k := range eg {
		if eg[k] < eg[best] {
			best = k
		}
	}
	ends, _ := m.Energy([][]float64{{0, 0}, {2, 0}, {-2, 0}, {4, 2}})
	barrier := ends[0] - math.Max(ends[1], ends[2])
	xm := grid[best]
	// The replay buffer (the model's Langevin samples) splits between the
	// modes like the data.
	var right float64
	samples := m.Buffer()
	for _, x := range samples {
		if x[0] > 0 {
			right++
		}
	}
	right /= float64(len(samples))
	t.Logf("loss %.4f → %.4f; argmin E at (%.1f, %.1f); E(0,0) − E(mode) = %.2f; E(±2,0) = %.2f, %.2f; E(4,2) = %.2f; buffer %.3f in the right mode", h.Loss[0], h.Loss[len(h.Loss)-1], xm[0], xm[1], barrier, ends[1], ends[2], ends[3], right)
	// Measured: argmin (2.0, 0.0), barrier 2.38, E(4,2) 6.6 above the
	// higher mode, 0.450 of the buffer in the right mode.
	if math.Abs(math.Abs(xm[0])-2) > 0.4 || math.Abs(xm[1]) > 0.4 {
		t.Errorf("argmin of the learned energy at (%.1f, %.1f), want (±2, 0) ± 0.4", xm[0], xm[1])
	}
	if barrier < 1 || ends[3] < math.Max(ends[1], ends[2])+1 {
		t.Errorf("E(0,0) and E(4,2) are %.2f and %.2f, want at least 1 above the modes' %.2f, %.2f", ends[0], ends[3], ends[1], ends[2])
	}
	if math.Abs(right-0.5) > 0.1 {
		t.Errorf("%.3f of the replay samples in the right mode, want 0.5 ± 0.1", right)
	}

	// Save, load into a fresh model: bit-identical energies.
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := energy.LoadMLP(&buf)
	if err != nil {
		t.Fatal(err)
	}
	e1, _ := m.Energy(data[:50])
	e2, _ := m2.Energy(data[:50])
	for k := range e1 {
		if math.Float64bits(e1[k]) != math.Float64bits(e2[k]) {
			t.Fatalf("energy %d: %v after load, %v before", k, e2[k], e1[k])
		}
	}
	if _, err := energy.Load(bytes.NewReader(buf.Bytes())); !errors.Is(err, energy.ErrCorrupt) {
		t.Errorf("loading an MLPEnergy as an RBM: %v, want ErrCorrupt", err)
	}
}
