package gcnn

import (
	"context"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/conv"
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
	// fixed (Feed nil, TrainConfig.BatchSize ignored).
	N int
	// Feed sets the input nodes' values for the samples idx (BatchSize of
	// them) before each step; it must not keep idx.
	Feed func(idx []int) error
}

// TrainGraph trains o's parameters in place with Adam, as Model.Train does
// (TrainConfig's fields mean the same; BatchSize 0 means 64 when N > 0).
// Cancelling ctx stops it after the current step with an error matching
// context.Canceled; the first NaN or Inf stops it with an error matching
// ErrNotFinite; in both cases the parameters keep the values of the last
// completed step.
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
	if o.N == 0 {
		tc.BatchSize = 0
	} else if tc.BatchSize == 0 {
		tc.BatchSize = min(64, o.N)
	}
	return train.Run(train.Problem{Graph: o.Graph, Loss: o.Loss, Params: o.Params, N: o.N, Feed: o.Feed},
		train.Adam{LR: tc.LR, WeightDecay: tc.WeightDecay},
		train.Config{Steps: tc.Steps, BatchSize: tc.BatchSize, Seed: tc.Seed, Progress: tc.Progress,
			Context: ctx, TimeLimit: tc.TimeLimit, Prefix: "gcnn"})
}
