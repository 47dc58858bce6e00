package train

import (
	"context"
	"math"
	"time"

	"github.com/physbias/physbias/internal/fail"
)

// AdamSettings are the fields of a public package's Adam TrainConfig
// (gcnn, hopfield): a package converts its TrainConfig, which has the same
// fields in the same order, with AdamSettings(tc), checks it with Check and
// trains with Run. The zero values mean Run's defaults (1000 steps,
// learning rate 1e-3); what BatchSize 0 means is the package's to say.
type AdamSettings struct {
	Steps       int
	LR          float64
	BatchSize   int
	WeightDecay float64
	Seed        uint64
	Progress    func(Progress)
	TimeLimit   time.Duration
}

// Check rejects negative and non-finite settings with an error matching
// kind whose message starts "prefix: TrainConfig...".
func (s AdamSettings) Check(kind error, prefix string) error {
	if s.Steps < 0 || s.BatchSize < 0 || s.TimeLimit < 0 {
		return fail.Errorf(kind, prefix, "TrainConfig.Steps %d, BatchSize %d, TimeLimit %v: want ≥ 0 (0 means the default)", s.Steps, s.BatchSize, s.TimeLimit)
	}
	for _, v := range []struct {
		name string
		x    float64
	}{{"LR", s.LR}, {"WeightDecay", s.WeightDecay}} {
		if v.x < 0 || math.IsNaN(v.x) || math.IsInf(v.x, 0) {
			return fail.Errorf(kind, prefix, "TrainConfig.%s = %v, want ≥ 0 and finite", v.name, v.x)
		}
	}
	return nil
}

// Run minimises p with Adam (LR, WeightDecay) under ctx, taking Steps,
// BatchSize, Seed, Progress and TimeLimit as Config's; errors start with
// prefix.
func (s AdamSettings) Run(ctx context.Context, p Problem, prefix string) (History, error) {
	return Run(p, Adam{LR: s.LR, WeightDecay: s.WeightDecay},
		Config{Steps: s.Steps, BatchSize: s.BatchSize, Seed: s.Seed, Progress: s.Progress,
			Context: ctx, TimeLimit: s.TimeLimit, Prefix: prefix})
}
