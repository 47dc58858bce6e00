package train

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/physbias/physbias/internal/fail"
)

func TestAdamSettingsCheck(t *testing.T) {
	if err := (AdamSettings{}).Check(fail.ErrInput, "pkg"); err != nil {
		t.Fatalf("zero settings: %v", err)
	}
	for _, s := range []AdamSettings{{Steps: -1}, {BatchSize: -1}, {TimeLimit: -1}, {LR: -1e-3}, {LR: math.NaN()}, {WeightDecay: math.Inf(1)}} {
		err := s.Check(fail.ErrInput, "pkg")
		if !errors.Is(err, fail.ErrInput) || !strings.HasPrefix(err.Error(), "pkg: TrainConfig.") {
			t.Errorf("%+v: got %v, want a pkg: TrainConfig error matching ErrInput", s, err)
		}
	}
}
