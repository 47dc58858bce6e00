package train

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/physbias/physbias/internal/fail"
)

// TestFieldsDefaults: zero fields take their defaults, set ones are kept.
func TestFieldsDefaults(t *testing.T) {
	steps, batch, lr, lr2 := 0, 0, 0.0, 0.5
	f := NewFields(fail.ErrInput, "pkg")
	f.Count(&steps, "Steps", 2000, "2000")
	f.CountMax(&batch, "Batch", 0, 10, "all")
	f.Rate(&lr, "LR", 1e-3, "1e-3")
	f.Rate(&lr2, "LR2", 1e-3, "1e-3")
	f.Penalty(0, "WD", "none")
	f.Duration(0, "TimeLimit")
	if err := f.Err(); err != nil {
		t.Fatal(err)
	}
	if steps != 2000 || batch != 0 || lr != 1e-3 || lr2 != 0.5 {
		t.Fatalf("got steps %d, batch %d, lr %v, lr2 %v", steps, batch, lr, lr2)
	}
}

// TestFieldsErrors: each bad value gives its message, matching the kind,
// and only the first error is kept.
func TestFieldsErrors(t *testing.T) {
	for _, c := range []struct {
		set  func(f *Fields)
		want string
	}{
		{func(f *Fields) { v := -1; f.Count(&v, "TrainConfig.Steps", 5, "5") }, "pkg: TrainConfig.Steps is -1; must be ≥ 0 (0 means 5)"},
		{func(f *Fields) { v := 11; f.CountMax(&v, "Config.Stages", 1, 10, "1") }, "pkg: Config.Stages is 11; at most 10 are supported"},
		{func(f *Fields) { v := -2.0; f.Rate(&v, "TrainConfig.LR", 1e-3, "1e-3") }, "pkg: TrainConfig.LR is -2; must be positive and finite (0 means 1e-3)"},
		{func(f *Fields) { v := math.Inf(1); f.Rate(&v, "TrainConfig.LR", 1e-3, "1e-3") }, "pkg: TrainConfig.LR is +Inf; must be positive and finite (0 means 1e-3)"},
		{func(f *Fields) { f.Penalty(math.NaN(), "TrainConfig.WeightDecay", "none") }, "pkg: TrainConfig.WeightDecay is NaN; must be ≥ 0 and finite (0 means none)"},
		{func(f *Fields) { f.Duration(-time.Second, "TrainConfig.TimeLimit") }, "pkg: TrainConfig.TimeLimit is -1s; must be ≥ 0 (0 means none)"},
		{func(f *Fields) { f.Penalty(-1, "A", "none"); f.Penalty(-2, "B", "none") }, "pkg: A is -1; must be ≥ 0 and finite (0 means none)"},
	} {
		f := NewFields(fail.ErrInput, "pkg")
		c.set(f)
		err := f.Err()
		if err == nil || err.Error() != c.want || !errors.Is(err, fail.ErrInput) {
			t.Errorf("got %v, want %q matching ErrInput", err, c.want)
		}
	}
}
