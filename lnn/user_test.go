package lnn_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/physbias/physbias/lnn"
)

// henonHeiles is a system lnn does not ship, written as a user would: a
// unit-mass particle in the Hénon–Heiles potential,
// L = ½|q̇|² − (q₁² + q₂²)/2 − q₁²q₂ + q₂³/3.
func henonHeiles() lnn.System {
	v := func(q1, q2 float64) float64 { return (q1*q1+q2*q2)/2 + q1*q1*q2 - q2*q2*q2/3 }
	return lnn.System{
		Name: "Hénon–Heiles",
		Dof:  2,
		Acceleration: func(x, qdd []float64) {
			q1, q2 := x[0], x[1]
			qdd[0] = -q1 - 2*q1*q2
			qdd[1] = -q2 - q1*q1 + q2*q2
		},
		Energy: func(x []float64) float64 {
			return (x[2]*x[2]+x[3]*x[3])/2 + v(x[0], x[1])
		},
		MinEnergy: 0,
		Initial: func(r *rand.Rand, x []float64) {
			for i := range x {
				x[i] = 0.3 * (2*r.Float64() - 1)
			}
		},
		Separable: true,
	}
}

// TestUserSystemSaveLoad does what a user does through the public API
// only: their own system, simulate, train an LNN, save, load into a fresh
// model (buffer and file), and get bit-identical accelerations, energies
// and rollouts; then evaluate against their system.
func TestUserSystemSaveLoad(t *testing.T) {
	sys := henonHeiles()
	data, err := lnn.Simulate(sys, lnn.DataConfig{Trajectories: 8, TestTrajectories: 2, T: 4, Samples: 20, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	m, err := lnn.New(sys.Dof, lnn.Config{Hidden: []int{16, 16}, Seed: 6})
	if err != nil {
		t.Fatal(err)
	}
	h, err := m.Train(context.Background(), data, lnn.TrainConfig{Steps: 300, LR: 1e-2})
	if err != nil {
		t.Fatal(err)
	}
	// Measured: the loss falls from 0.029 to 1.3e-3.
	if h.Steps != 300 || !(h.Loss[299] < h.Loss[0]/10) {
		t.Fatalf("training did not learn: loss %v → %v over %d steps", h.Loss[0], h.Loss[len(h.Loss)-1], h.Steps)
	}

	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "hh.lnn")
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	a, err := lnn.Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	b, err := lnn.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := outputs(t, m, data.Test)
	for _, l := range []*lnn.Model{a, b} {
		if l.Dim() != 4 || l.Kind() != lnn.LNN || l.TimeScale() != m.TimeScale() {
			t.Fatalf("loaded: dim %d, kind %v, τ %v (saved τ %v)", l.Dim(), l.Kind(), l.TimeScale(), m.TimeScale())
		}
		got := outputs(t, l, data.Test)
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("output %d: loaded %v, saved %v", i, got[i], want[i])
			}
		}
	}

	met, err := lnn.Evaluate(m, sys, data.Test, lnn.EvalConfig{T: 5, DT: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	// Measured: relative energy drift 0.14 mean, 0.30 max over 5 s.
	if met.Rollouts != 2 || met.Diverged != 0 || !(met.MaxEnergyErr < 0.5) {
		t.Fatalf("%+v", met)
	}

	// The user's true system is declared separable: leapfrog is allowed
	// and conserves its energy.
	x0 := data.Test.Initial[:4]
	tr, err := lnn.Rollout(sys, x0, 50, 1000, lnn.Leapfrog())
	if err != nil {
		t.Fatal(err)
	}
	e0 := sys.Energy(x0)
	for _, x := range tr.X {
		// Measured: |ΔE| ≤ 4.7e-5 at h = 0.05 (E = 0.084); bounded, no drift.
		if d := math.Abs(sys.Energy(x) - e0); d > 3e-4 {
			t.Fatalf("leapfrog energy error %g", d)
		}
	}

	// Corrupt and foreign files are ErrCorrupt.
	d := buf.Bytes()
	for _, bad := range [][]byte{d[:len(d)-1], append([]byte("y"), d[1:]...)} {
		if _, err := lnn.Load(bytes.NewReader(bad)); !errors.Is(err, lnn.ErrCorrupt) {
			t.Errorf("corrupt file: %v", err)
		}
	}
}

// outputs returns the model's q̈, energies and a short rollout at the
// states of d.
func outputs(t *testing.T, m *lnn.Model, d *lnn.Dataset) []float64 {
	t.Helper()
	qdd := make([]float64, d.Len()*d.Dof)
	if err := m.Accel(d.X, qdd); err != nil {
		t.Fatal(err)
	}
	e := make([]float64, d.Len())
	if err := m.Energy(d.X, e); err != nil {
		t.Fatal(err)
	}
	out := append(qdd, e...)
	tr, err := lnn.Rollout(m, d.Initial, 1, 20, lnn.RK4())
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range tr.X {
		out = append(out, x...)
	}
	return out
}

// TestUserCallbacks: a user's System whose functions panic or return NaN
// gives errors matching ErrCallback that name the function; none panics.
func TestUserCallbacks(t *testing.T) {
	cfg := lnn.DataConfig{Trajectories: 1, T: 1, Samples: 5}
	for _, c := range []struct {
		what string
		mod  func(s *lnn.System)
	}{
		{"System.Acceleration", func(s *lnn.System) { s.Acceleration = func(x, qdd []float64) { qdd[7] = 1 } }},
		{"System.Acceleration", func(s *lnn.System) { s.Acceleration = func(x, qdd []float64) { qdd[0], qdd[1] = math.Inf(1), 0 } }},
		{"System.Initial", func(s *lnn.System) { s.Initial = func(r *rand.Rand, x []float64) { x[9] = 1 } }},
	} {
		s := henonHeiles()
		c.mod(&s)
		_, err := lnn.Simulate(s, cfg)
		if !errors.Is(err, lnn.ErrCallback) || !strings.Contains(err.Error(), c.what) || strings.Count(err.Error(), "lnn:") != 1 {
			t.Errorf("%s: %v", c.what, err)
		}
		if c.what == "System.Acceleration" {
			tr, err := lnn.Rollout(s, []float64{0.1, 0, 0, 0}, 1, 10, lnn.RK4())
			if !errors.Is(err, lnn.ErrCallback) || len(tr.X) != 1 {
				t.Errorf("Rollout with a failing %s: %v", c.what, err)
			}
		}
	}
	s := henonHeiles()
	s.Energy = func(x []float64) float64 { panic("no energy here") }
	data, err := lnn.Simulate(s, lnn.DataConfig{Trajectories: 1, TestTrajectories: 1, T: 1, Samples: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lnn.Evaluate(s, s, data.Test, lnn.EvalConfig{T: 1}); !errors.Is(err, lnn.ErrCallback) || !strings.Contains(err.Error(), "System.Energy") {
		t.Errorf("Evaluate with a panicking Energy: %v", err)
	}
}

// TestTrainStops: cancelling the context stops training with an error
// matching context.Canceled; a time limit stops it without one; a
// panicking Progress stops it with ErrCallback.
func TestTrainStops(t *testing.T) {
	sys := henonHeiles()
	data, err := lnn.Simulate(sys, lnn.DataConfig{Trajectories: 2, T: 1, Samples: 10})
	if err != nil {
		t.Fatal(err)
	}
	m, err := lnn.New(2, lnn.Config{Hidden: []int{8}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tc := lnn.TrainConfig{Steps: 400, Progress: func(p lnn.Progress) {
		if p.Step >= 100 {
			cancel()
		}
	}}
	h, err := m.Train(ctx, data, tc)
	if !errors.Is(err, context.Canceled) || h.Steps < 100 || h.Steps >= 400 || len(h.Loss) != h.Steps {
		t.Fatalf("cancel: %d steps, %v", h.Steps, err)
	}
	h, err = m.Train(context.Background(), data, lnn.TrainConfig{Steps: 1 << 20, TimeLimit: 50 * time.Millisecond})
	if err != nil || h.Stop != "time limit" || h.Steps >= 1<<20 {
		t.Fatalf("time limit: %d steps, stop %q, %v", h.Steps, h.Stop, err)
	}
	// A Progress callback that panics stops training after the step it
	// reported, with an error matching ErrCallback that names that step
	// counted over all of training's learning-rate phases, not a crash.
	at := 0
	h, err = m.Train(context.Background(), data, lnn.TrainConfig{Steps: 400, Progress: func(p lnn.Progress) {
		if p.Step > 100 { // in the second of the four phases
			at = p.Step
			panic("user bug")
		}
	}})
	if !errors.Is(err, lnn.ErrCallback) || !strings.Contains(err.Error(), "user bug") || h.Steps != at ||
		!strings.HasPrefix(err.Error(), fmt.Sprintf("lnn: step %d: ", at)) {
		t.Fatalf("panic at step %d: %d steps, %v", at, h.Steps, err)
	}
}
