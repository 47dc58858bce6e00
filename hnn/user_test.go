package hnn_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/physbias/physbias/hnn"
)

// henonHeiles is a system hnn does not ship, written as a user would:
// the Hénon–Heiles potential, H = (p₁² + p₂²)/2 + (q₁² + q₂²)/2 +
// q₁²q₂ − q₂³/3, two degrees of freedom, chaotic above H ≈ 1/8.
func henonHeiles() hnn.System {
	return hnn.System{
		Name: "Hénon–Heiles",
		Dof:  2,
		Energy: func(x []float64) float64 {
			q1, q2, p1, p2 := x[0], x[1], x[2], x[3]
			return (p1*p1+p2*p2)/2 + (q1*q1+q2*q2)/2 + q1*q1*q2 - q2*q2*q2/3
		},
		Grad: func(x, g []float64) {
			q1, q2, p1, p2 := x[0], x[1], x[2], x[3]
			g[0] = q1 + 2*q1*q2
			g[1] = q2 + q1*q1 - q2*q2
			g[2], g[3] = p1, p2
		},
		Initial: func(r *rand.Rand, x []float64) {
			for i := range x {
				x[i] = 0.3 * (2*r.Float64() - 1)
			}
		},
		Separable: true,
	}
}

// TestUserSystemSaveLoad does what a user does through the public API
// only: their own system, simulate, train, save, load into a fresh model
// (through a file and through a buffer), and get bit-identical
// predictions, rollouts and metrics.
func TestUserSystemSaveLoad(t *testing.T) {
	sys := henonHeiles()
	ds, err := hnn.Simulate(sys, hnn.DataConfig{Trajectories: 8, Points: 20, T: 2, Noise: 0.01, TestFraction: 0.25, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	m, err := hnn.New(sys.Dim(), hnn.Config{Hidden: []int{16, 16}, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	tc := hnn.TrainConfig{Steps: 150, LR: 3e-3}
	h, err := m.Train(context.Background(), ds, tc)
	if err != nil {
		t.Fatal(err)
	}
	// Measured: the loss falls from 0.13 to 1.5e-3.
	if h.Steps != 150 || !(h.Loss[149] < h.Loss[0]/20) {
		t.Fatalf("training did not learn: loss %v → %v over %d steps", h.Loss[0], h.Loss[len(h.Loss)-1], h.Steps)
	}

	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "hh.hnn")
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	fromBuf, err := hnn.Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	fromFile, err := hnn.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := predictions(t, m, ds.TestX)
	for _, l := range []*hnn.Model{fromBuf, fromFile} {
		if l.Dim() != 4 || len(l.Config().Hidden) != 2 || l.Baseline() {
			t.Fatalf("loaded model: dim %d, config %+v", l.Dim(), l.Config())
		}
		got := predictions(t, l, ds.TestX)
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("prediction %d: loaded %v, saved %v", i, got[i], want[i])
			}
		}
	}
	// A loaded model trains on exactly as the saved one does.
	h1, err := m.Train(context.Background(), ds, hnn.TrainConfig{Steps: 5})
	if err != nil {
		t.Fatal(err)
	}
	h2, err := fromBuf.Train(context.Background(), ds, hnn.TrainConfig{Steps: 5})
	if err != nil {
		t.Fatal(err)
	}
	for i := range h1.Loss {
		if h1.Loss[i] != h2.Loss[i] {
			t.Fatalf("continued training differs at step %d", i)
		}
	}

	// Symplectic rollouts of the user's true system are allowed (it is
	// declared separable) and conserve its energy.
	x0 := ds.TestStart[:4]
	tr, err := hnn.Rollout(sys, x0, 50, 500, hnn.Yoshida4())
	if err != nil {
		t.Fatal(err)
	}
	e0 := sys.Energy(x0)
	for _, x := range tr.X {
		// Measured: |ΔH| ≤ 2.8e-7 at h = 0.1 (H = 0.045).
		if d := math.Abs(sys.Energy(x) - e0); d > 1e-6 {
			t.Fatalf("Yoshida4 energy error %g", d)
		}
	}

	// Corrupt and foreign files are ErrCorrupt.
	data := buf.Bytes()
	for _, bad := range [][]byte{data[:len(data)/2], append([]byte("x"), data[1:]...), nil} {
		if _, err := hnn.Load(bytes.NewReader(bad)); !errors.Is(err, hnn.ErrCorrupt) {
			t.Errorf("corrupt file: %v", err)
		}
	}
}

func predictions(t *testing.T, m *hnn.Model, x []float64) []float64 {
	t.Helper()
	out := make([]float64, len(x)+len(x)/m.Dim())
	if err := m.Deriv(x, out[:len(x)]); err != nil {
		t.Fatal(err)
	}
	if err := m.Energy(x, out[len(x):]); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTrainStops: cancelling the context stops training with an error
// matching context.Canceled and the weights of the last completed step; a
// time limit stops without an error; a panicking Progress with ErrCallback.
func TestTrainStops(t *testing.T) {
	sys := hnn.MassSpring()
	cfg := sys.Paper
	cfg.Trajectories = 4
	ds, err := hnn.Simulate(sys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	m, err := hnn.New(2, hnn.Config{Hidden: []int{8}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tc := hnn.TrainConfig{Steps: 100, Progress: func(p hnn.Progress) {
		if p.Step >= 10 {
			cancel()
		}
	}}
	h, err := m.Train(ctx, ds, tc)
	if !errors.Is(err, context.Canceled) || h.Steps < 10 || h.Steps >= 100 {
		t.Fatalf("cancel: %d steps, %v", h.Steps, err)
	}
	// The model is usable and holds the weights of the last step.
	ref, _ := hnn.New(2, hnn.Config{Hidden: []int{8}})
	if _, err := ref.Train(context.Background(), ds, hnn.TrainConfig{Steps: h.Steps}); err != nil {
		t.Fatal(err)
	}
	a, b := predictions(t, m, ds.TestX), predictions(t, ref, ds.TestX)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("weights after cancel differ from %d steps", h.Steps)
		}
	}
	slow := hnn.TrainConfig{Steps: 100000, TimeLimit: 50 * time.Millisecond}
	h, err = m.Train(context.Background(), ds, slow)
	if err != nil || h.Stop != "time limit" || h.Steps >= 100000 {
		t.Fatalf("time limit: %d steps, stop %q, %v", h.Steps, h.Stop, err)
	}
	// A Progress callback that panics stops training after the step it
	// reported, with an error matching ErrCallback, not a crash.
	panicky := hnn.TrainConfig{Steps: 100, Progress: func(p hnn.Progress) {
		if p.Step >= 10 {
			panic("user bug")
		}
	}}
	h, err = m.Train(context.Background(), ds, panicky)
	if !errors.Is(err, hnn.ErrCallback) || !strings.Contains(err.Error(), "user bug") || h.Steps != 10 {
		t.Fatalf("panicking Progress: %d steps, %v", h.Steps, err)
	}
}

// TestZeroModel: every method of a zero Model is an error, not a panic.
func TestZeroModel(t *testing.T) {
	var m hnn.Model
	x := []float64{1, 0}
	if _, err := m.Train(context.Background(), nil, hnn.TrainConfig{}); !errors.Is(err, hnn.ErrZeroValue) {
		t.Error(err)
	}
	if err := m.Deriv(x, make([]float64, 2)); !errors.Is(err, hnn.ErrZeroValue) {
		t.Error(err)
	}
	if err := m.Energy(x, make([]float64, 1)); !errors.Is(err, hnn.ErrZeroValue) {
		t.Error(err)
	}
	if _, err := m.Loss(x, x); !errors.Is(err, hnn.ErrZeroValue) {
		t.Error(err)
	}
	if err := m.Save(&bytes.Buffer{}); !errors.Is(err, hnn.ErrZeroValue) {
		t.Error(err)
	}
	if _, err := hnn.Rollout(&m, x, 1, 2, hnn.RK4()); !errors.Is(err, hnn.ErrZeroValue) {
		t.Error(err)
	}
	if _, err := hnn.Evaluate(&m, hnn.MassSpring(), nil, hnn.EvalConfig{}); !errors.Is(err, hnn.ErrZeroValue) {
		t.Error(err)
	}
	var nilModel *hnn.Model
	if err := nilModel.Deriv(x, x); !errors.Is(err, hnn.ErrZeroValue) || nilModel.Dim() != 0 {
		t.Error(err)
	}
}
