package hopfield

import (
	"context"
	"io"
	"time"

	"github.com/physbias/physbias/internal/train"
)

// TrainConfig sets how Model.Train optimises: Adam (PyTorch's update) on
// minibatches. Its zero value means the defaults in the field comments.
type TrainConfig struct {
	// Steps is the number of Adam steps; 0 means 1000.
	Steps int
	// LR is Adam's learning rate; 0 means 1e-3.
	LR float64
	// BatchSize is the number of samples a step sees; 0 means all of them
	// (full batch). Batches are drawn from seeded permutations (Seed).
	BatchSize int
	// WeightDecay is an L2 penalty added to the gradient; 0 means none.
	WeightDecay float64
	// Seed seeds the order of the minibatches.
	Seed uint64
	// Progress, if not nil, is called about every twentieth of the steps
	// and once at the end (Done set); ProgressBar makes one.
	Progress func(Progress)
	// TimeLimit, if positive, stops training after the step running when
	// it has passed: Train returns the history so far without an error,
	// with History.Stop "time limit". 0 means none.
	TimeLimit time.Duration
}

// Progress is a report during training: the step, the planned steps, the
// latest loss and the time since training started.
type Progress = train.Progress

// History records a Train call: the loss of every step (of its batch,
// before its update), the number of steps and evaluations, the wall time
// and why it stopped ("step limit" or "time limit").
type History = train.History

// ProgressBar returns a TrainConfig.Progress function that draws a
// one-line text bar on w: label, bar, step, loss, rate and ETA.
func ProgressBar(w io.Writer, label string) func(Progress) { return train.ProgressBar(w, label) }

// StopTimeLimit is History.Stop when TrainConfig.TimeLimit ended training.
const StopTimeLimit = train.StopTimeLimit

// checkTrainConfig rejects negative and non-finite settings (the zero
// values become train's defaults: 1000 steps, learning rate 1e-3).
func checkTrainConfig(tc TrainConfig) error {
	return train.AdamSettings(tc).Check(ErrInput, "hopfield")
}

// Train fits the Model to d with Adam. Cancelling ctx stops it after the
// current step: Train returns the history so far and an error matching
// context.Canceled, and the model keeps the parameters of the last
// completed step. The first NaN or Inf in the loss or a gradient stops
// training with an error matching ErrNotFinite that names the step; the
// model keeps the parameters of the last good step.
func (m *Model) Train(ctx context.Context, d Data, tc TrainConfig) (History, error) {
	if err := m.check(); err != nil {
		return History{}, err
	}
	if ctx == nil {
		return History{}, errorf(ErrInput, "Train: nil context (use context.Background())")
	}
	if err := m.checkData(d); err != nil {
		return History{}, err
	}
	if err := checkTrainConfig(tc); err != nil {
		return History{}, err
	}
	if tc.BatchSize > len(d.X) {
		return History{}, errorf(ErrInput, "TrainConfig.BatchSize %d is more than the %d samples", tc.BatchSize, len(d.X))
	}
	batch := tc.BatchSize
	if batch == 0 {
		batch = len(d.X)
	}
	n, err := m.graph(batch, true)
	if err != nil {
		return History{}, err
	}
	dx, out := m.cfg.SetSize*m.cfg.In, m.cfg.Out
	feed := func(idx []int) error {
		for k, i := range idx {
			copy(n.xData[k*dx:(k+1)*dx], d.X[i])
			copy(n.yData[k*out:(k+1)*out], d.Y[i])
		}
		return nil
	}
	h, runErr := train.AdamSettings(tc).Run(ctx,
		train.Problem{Graph: n.g, Loss: n.loss, Params: n.params, N: len(d.X), Feed: feed}, "hopfield")
	// The parameters hold the last completed (or last good) step's values
	// whatever the outcome.
	vals, err := train.Values(n.params)
	if err != nil {
		return h, wrap(err, "Train")
	}
	m.values = vals
	if runErr != nil {
		return h, wrap(runErr, "Train")
	}
	return h, nil
}
