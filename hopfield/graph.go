package hopfield

import (
	"context"
	"io"

	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
)

// Objective is a gorgonia model of one's own to train with TrainGraph:
// typically the layers of this package inside a larger network, built up
// to a scalar loss.
type Objective struct {
	// Graph holds Loss and Params.
	Graph *G.ExprGraph
	// Loss is the scalar float64 node to minimise. Do not call G.Grad on
	// it: TrainGraph does (once; gorgonia's nested Grad is wrong).
	Loss *G.Node
	// Params are the trainable float64 input nodes with values and unique
	// names (the layers' Params, and one's own).
	Params []*G.Node
	// N is the number of samples Feed can index; 0 means the graph's
	// inputs are fixed (full batch, Feed nil).
	N int
	// Feed sets the graph's inputs to the samples idx (len(idx) is the
	// batch size) before a step; it must not keep idx.
	Feed func(idx []int) error
}

// TrainGraph trains o's parameters in place with Adam, as Model.Train
// does (TrainConfig's fields mean the same; BatchSize > 0 needs N and
// Feed). Cancelling ctx stops it after the current step with an error
// matching context.Canceled; the first NaN or Inf stops it with an error
// matching ErrNotFinite; in both cases the parameters keep the values of
// the last completed step.
func TrainGraph(ctx context.Context, o Objective, tc TrainConfig) (History, error) {
	if ctx == nil {
		return History{}, errorf(ErrInput, "TrainGraph: nil context (use context.Background())")
	}
	if o.Graph == nil || o.Loss == nil || len(o.Params) == 0 {
		return History{}, errorf(ErrInput, "TrainGraph: Objective needs a Graph, a Loss and Params")
	}
	if err := checkTrainConfig(tc); err != nil {
		return History{}, err
	}
	h, err := train.Run(train.Problem{Graph: o.Graph, Loss: o.Loss, Params: o.Params, N: o.N, Feed: o.Feed},
		train.Adam{LR: tc.LR, WeightDecay: tc.WeightDecay},
		train.Config{Steps: tc.Steps, BatchSize: tc.BatchSize, Seed: tc.Seed, Progress: tc.Progress,
			Context: ctx, TimeLimit: tc.TimeLimit, Prefix: "hopfield"})
	return h, wrap(err, "TrainGraph")
}

// SaveParams writes the values of params (named, float64) to w by name,
// bit for bit, with a checksum: the trained weights of a gorgonia model of
// one's own.
func SaveParams(w io.Writer, params []*G.Node) error {
	return wrap(train.Save(w, params), "SaveParams")
}

// LoadParams reads values written by SaveParams into the nodes of params
// with the same names and shapes (say, the same model built in a fresh
// graph). It checks the whole input before it changes anything; a
// truncated, corrupted or foreign input, or one for other parameters, is
// an error matching ErrCorrupt.
func LoadParams(r io.Reader, params []*G.Node) error {
	if err := train.Load(r, params); err != nil {
		return wrapKind(ErrCorrupt, err, "LoadParams")
	}
	return nil
}
