package gcnn

import (
	"context"
	"strings"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/conv"
	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/train"
)

// Cast converts x to float32 or float64 inside a graph (a node already of
// that dtype is returned as it is); its gradient is cast back. A model of
// one's own keeps float64 parameters (which TrainGraph needs) and casts them
// to float32 before Lift and GroupConv, and casts the network's output back
// to float64 for the loss, as Model does.
func Cast(x *G.Node, to tensor.Dtype) (*G.Node, error) {
	y, err := conv.Cast(x, to)
	if err != nil {
		return nil, errorf(ErrInput, "Cast: %w", err)
	}
	return y, nil
}

// Objective is a gorgonia model of one's own to train with TrainGraph.
type Objective struct {
	// Graph holds Loss and Params.
	Graph *G.ExprGraph
	// Loss is the scalar float64 node to minimise. Do not call G.Grad on
	// it: TrainGraph does.
	Loss *G.Node
	// Params are the trainable float64 input nodes, with values and names.
	Params []*G.Node
	// N is the number of samples Feed can index; 0 means the inputs are
	// fixed (then Feed must be nil and TrainConfig.BatchSize 0).
	N int
	// Feed sets the input nodes' values for the samples idx (BatchSize of
	// them) before each step; it must not keep idx. It is required when N
	// is positive. An error it returns, or a panic, stops training with an
	// error matching ErrCallback.
	Feed func(idx []int) error
}

// maxSamples bounds Objective.N (internal/train keeps a permutation of the
// samples).
const maxSamples = 1 << 31

// TrainGraph trains o's parameters in place with Adam, as Model.Train does
// (TrainConfig's fields mean the same: BatchSize 0 means min(64, N) when N
// > 0). Cancelling ctx stops it after the current step with an error matching
// context.Canceled; the first NaN or Inf stops it with an error matching
// ErrNotFinite that names the step; an error or panic of o.Feed or of
// tc.Progress stops it with an error matching ErrCallback; in every case
// the parameters keep the values of the last completed step. An Objective
// that cannot be trained (a non-scalar loss, a parameter that is computed,
// not in Graph or listed twice) is an error matching ErrInput.
func TrainGraph(ctx context.Context, o Objective, tc TrainConfig) (History, error) {
	if ctx == nil {
		return History{}, errorf(ErrInput, "TrainGraph: nil context (use context.Background())")
	}
	if o.Graph == nil || o.Loss == nil || len(o.Params) == 0 {
		return History{}, errorf(ErrInput, "TrainGraph: Objective needs a Graph, a Loss and Params")
	}
	if err := tc.check(); err != nil {
		return History{}, err
	}
	switch {
	case o.N < 0 || o.N > maxSamples:
		return History{}, errorf(ErrInput, "TrainGraph: Objective.N is %d, want 0 ≤ N ≤ %d", o.N, maxSamples)
	case o.N == 0 && o.Feed != nil:
		return History{}, errorf(ErrInput, "TrainGraph: Objective.Feed is set but N is 0; set N to the number of samples Feed indexes")
	case o.N == 0 && tc.BatchSize != 0:
		return History{}, errorf(ErrInput, "TrainGraph: TrainConfig.BatchSize %d with Objective.N 0 (fixed inputs, every step sees them all); set N and Feed for minibatches", tc.BatchSize)
	case o.N > 0 && o.Feed == nil:
		return History{}, errorf(ErrInput, "TrainGraph: Objective.N is %d but Feed is nil; minibatches need Feed", o.N)
	case tc.BatchSize > o.N && o.N > 0:
		return History{}, errorf(ErrInput, "TrainGraph: TrainConfig.BatchSize %d is larger than Objective.N %d", tc.BatchSize, o.N)
	}
	if o.N > 0 && tc.BatchSize == 0 {
		tc.BatchSize = min(64, o.N)
	}
	var cbErr error
	feed := o.Feed
	if feed != nil {
		user, step := feed, 0
		feed = func(idx []int) error {
			step++ // Feed runs once before each step
			if err := callFeed(user, idx); err != nil {
				cbErr = errorf(ErrCallback, "TrainGraph: step %d: %w", step, fail.Trim(err, "gcnn"))
				return err
			}
			return nil
		}
	}
	h, err := train.Run(train.Problem{Graph: o.Graph, Loss: o.Loss, Params: o.Params, N: o.N, Feed: feed},
		train.Adam{LR: tc.LR, WeightDecay: tc.WeightDecay},
		train.Config{Steps: tc.Steps, BatchSize: tc.BatchSize, Seed: tc.Seed, Progress: tc.Progress,
			Context: ctx, TimeLimit: tc.TimeLimit, Prefix: "gcnn"})
	switch {
	case cbErr != nil:
		// The callback's own error, without train's "gcnn: step N: Feed:"
		// or the cancellation it caused.
		return h, cbErr
	case err != nil && !strings.HasPrefix(err.Error(), "gcnn: "):
		// internal/train's checks of the Objective ("train: loss ... must
		// be a scalar", "train: parameter 1 is nil").
		return h, errorf(ErrInput, "TrainGraph: %w", fail.Trim(err, "train"))
	}
	return h, err
}

// callFeed runs a user's Feed, turning an error or a panic into an error
// matching ErrCallback.
func callFeed(feed func([]int) error, idx []int) (err error) {
	defer fail.Recover(&err, "gcnn", "Objective.Feed")
	if err := feed(idx); err != nil {
		return errorf(ErrCallback, "Objective.Feed: %w", fail.Trim(err, "gcnn"))
	}
	return nil
}
