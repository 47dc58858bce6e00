package flows

import (
	"context"
	"errors"

	G "gorgonia.org/gorgonia"

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
	hist, err := train.AdamSettings(tc).Run(ctx, train.Problem{Graph: g, Loss: loss, Params: ps, N: n, Feed: feed}, "flows")
	switch {
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
