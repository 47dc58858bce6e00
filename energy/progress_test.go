package energy_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/physbias/physbias/energy"
)

// TestProgressPanics: a Progress function that panics stops CD training,
// AIS and RAISE with an error matching ErrCallback that names the panic,
// not a crash; CD training keeps the steps completed up to the call.
func TestProgressPanics(t *testing.T) {
	m := randomRBM(t, 10, 6, energy.Binary, 1, 41)
	rows := prototypes(10, 3, 30, 0.1, 2)
	betas, _ := energy.Schedule(600)
	boom := func(p energy.Progress) {
		if p.Step >= 2 {
			panic("user bug")
		}
	}
	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, energy.ErrCallback) || !strings.Contains(err.Error(), "user bug") ||
			!strings.HasPrefix(err.Error(), "energy: ") {
			t.Errorf("%s: %v, want ErrCallback", what, err)
		}
	}
	h, err := m.Train(context.Background(), rows, energy.TrainConfig{Steps: 100, BatchSize: 5, Progress: boom})
	check("Train", err)
	if h.Steps < 2 || h.Steps >= 100 || len(h.Loss) != h.Steps {
		t.Errorf("Train: %d steps after the panic", h.Steps)
	}
	_, err = m.AIS(context.Background(), energy.AISConfig{Runs: 4, Betas: betas, Seed: 1, Progress: boom})
	check("AIS", err)
	_, err = m.RAISE(context.Background(), rows, energy.RAISEConfig{Runs: 2, Betas: betas, Seed: 1, Progress: boom})
	check("RAISE", err)
	// A panic in the last (Done) call only.
	last := func(p energy.Progress) {
		if p.Done {
			panic("user bug")
		}
	}
	_, err = m.Train(context.Background(), rows, energy.TrainConfig{Steps: 5, BatchSize: 5, Progress: last})
	check("Train, Done call", err)
	_, err = m.AIS(context.Background(), energy.AISConfig{Runs: 4, Betas: betas, Seed: 1, Progress: last})
	check("AIS, Done call", err)
}
