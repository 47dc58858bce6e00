package flows

import (
	"context"
	"errors"
	"strings"
	"time"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/train"
)

// Reasons for stopping early, passed out of train.Run through Feed.
var (
	errTimeLimit = errors.New("time limit")
)

// fit runs Adam on loss over n points, calling feed before every step with
// that step's minibatch. It stops after the step in progress when ctx is
// cancelled (returning an error matching context.Canceled) or the time
// limit passes (no error). On any stop the parameters hold the values of
// the last completed step.
func fit(ctx context.Context, g *G.ExprGraph, loss *G.Node, ps []*G.Node, n int,
	feed func(idx []int) error, tc TrainConfig) (History, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	start := time.Now()
	stop := func(idx []int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if tc.TimeLimit > 0 && time.Since(start) >= tc.TimeLimit {
			return errTimeLimit
		}
		return feed(idx)
	}
	h, err := train.Run(train.Problem{Graph: g, Loss: loss, Params: ps, N: n, Feed: stop},
		train.Adam{LR: tc.LR, WeightDecay: tc.WeightDecay},
		train.Config{Steps: tc.Steps, BatchSize: tc.BatchSize, Seed: tc.Seed, Progress: tc.Progress})
	hist := History{Loss: h.Loss, Steps: h.Steps, Elapsed: h.Elapsed, Stop: "step limit"}
	switch {
	case err == nil:
		return hist, nil
	case errors.Is(err, errTimeLimit):
		hist.Stop = "time limit"
		return hist, nil
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		hist.Stop = "cancelled"
		return hist, errorf(ctx.Err(), "training stopped after %d steps: %w", hist.Steps, ctx.Err())
	case strings.Contains(err.Error(), "NaN") || strings.Contains(err.Error(), "Inf"):
		// internal/train reports a NaN or Inf loss or gradient as plain text.
		hist.Stop = "not finite"
		return hist, errorf(ErrNotFinite, "training: %w", err)
	default:
		hist.Stop = "error"
		return hist, errorf(ErrInput, "training: %w", err)
	}
}

// checkData checks that x holds whole, finite rows of dim values and
// returns their number.
func checkData(what string, x []float64, dim int) (int, error) {
	if len(x) == 0 || len(x)%dim != 0 {
		return 0, errorf(ErrInput, "%s has %d values, not whole rows of dimension %d", what, len(x), dim)
	}
	if err := finite(what, x); err != nil {
		return 0, err
	}
	return len(x) / dim, nil
}
