package flows

import (
	"context"
	"errors"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/train"
)

// fit runs Adam on loss over n points, calling feed before every step with
// that step's minibatch. internal/train stops it after the step in progress
// when ctx is cancelled (an error matching context.Canceled) or the time
// limit passes (no error, Stop "time limit"), and at the first NaN or Inf
// (an error matching ErrNotFinite that names the step); the parameters then
// hold the values of the last completed step. A panic of tc.Progress stops
// it the same way, with an error matching ErrCallback. Its messages start
// with "flows: ".
func fit(ctx context.Context, g *G.ExprGraph, loss *G.Node, ps []*G.Node, n int,
	feed func(idx []int) error, tc TrainConfig) (History, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var perr error
	tc.Progress = recoverProgress(tc.Progress, &perr, cancel)
	hist, err := train.AdamSettings(tc).Run(ctx, train.Problem{Graph: g, Loss: loss, Params: ps, N: n, Feed: feed}, "flows")
	switch {
	case perr != nil:
		hist.Stop = "error"
		return hist, perr
	case err == nil:
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		hist.Stop = "canceled"
	case errors.Is(err, ErrNotFinite):
		hist.Stop = "not finite"
	default:
		hist.Stop = "error"
	}
	return hist, err
}

// recoverProgress wraps a user's Progress function: a panic in it is kept in
// *perr (an error matching ErrCallback) and cancels the run, and later calls
// are skipped. A nil f stays nil.
func recoverProgress(f func(Progress), perr *error, cancel context.CancelFunc) func(Progress) {
	if f == nil {
		return nil
	}
	return func(p Progress) {
		if *perr != nil {
			return
		}
		func() {
			defer fail.Recover(perr, "flows", "TrainConfig.Progress")
			f(p)
		}()
		if *perr != nil {
			cancel()
		}
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
