package gcnn

import (
	"context"
	"io"
	"time"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/train"
)

// TrainConfig sets how Model.Train optimises: Adam (PyTorch's update) on
// seeded minibatches of the cross-entropy. Its zero value means the
// defaults in the field comments.
type TrainConfig struct {
	// Steps is the number of Adam steps; 0 means 1000.
	Steps int
	// LR is Adam's learning rate; 0 means 1e-3.
	LR float64
	// BatchSize is the number of images a step sees; 0 means 64 (or all
	// the training images when there are fewer).
	BatchSize int
	// WeightDecay is an L2 penalty added to the gradient; 0 means none.
	WeightDecay float64
	// Seed seeds the order of the minibatches.
	Seed uint64
	// Progress, if not nil, is called about every twentieth of the steps
	// and once at the end (Done set); ProgressBar makes one. A panic in it
	// stops training after the step, with an error matching ErrCallback.
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
// before its update), the number of steps, the wall time and why it
// stopped ("step limit" or "time limit").
type History = train.History

// ProgressBar returns a TrainConfig.Progress function that draws a
// one-line text bar on w: label, bar, step, loss, rate and ETA.
func ProgressBar(w io.Writer, label string) func(Progress) { return train.ProgressBar(w, label) }

// StopTimeLimit is History.Stop when TrainConfig.TimeLimit ended training.
const StopTimeLimit = train.StopTimeLimit

func (tc TrainConfig) check() error {
	return train.AdamSettings(tc).Check(ErrInput, "gcnn")
}

// Train fits the model to data.Train (data.Test is not used) by Adam on
// the mean cross-entropy of minibatches. Cancelling ctx stops it after the
// current step: Train returns the history so far and an error matching
// context.Canceled, and the model keeps the parameters of the last
// completed step. The first NaN or Inf in the loss or a gradient stops
// training with an error matching ErrNotFinite that names the step; a panic
// of tc.Progress stops it after the step with an error matching
// ErrCallback.
func (m *Model) Train(ctx context.Context, data *Dataset, tc TrainConfig) (History, error) {
	if err := m.ok("Train"); err != nil {
		return History{}, err
	}
	if ctx == nil {
		return History{}, errorf(ErrInput, "Train: nil context (use context.Background())")
	}
	if data == nil {
		return History{}, errorf(ErrInput, "Train: nil Dataset")
	}
	if err := tc.check(); err != nil {
		return History{}, err
	}
	c := m.cfg
	im := &data.Train
	if err := im.check("Train: Dataset.Train", c.InChannels, c.Size, c.Size, c.Classes, true); err != nil {
		return History{}, err
	}
	if tc.BatchSize == 0 {
		tc.BatchSize = min(64, im.Len())
	}
	if tc.BatchSize > im.Len() {
		return History{}, errorf(ErrInput, "Train: BatchSize %d is larger than the %d training images", tc.BatchSize, im.Len())
	}
	nt, err := m.buildNet(tc.BatchSize)
	if err != nil {
		return History{}, err
	}
	b := build.New(nt.g, "gcnn")
	k := c.Classes
	oneHot := G.NewMatrix(nt.g, tensor.Float64, G.WithShape(tc.BatchSize, k), G.WithName("onehot"),
		G.WithValue(tensor.New(tensor.WithShape(tc.BatchSize, k), tensor.Of(tensor.Float64))))
	logp := b.Do("log-softmax", func() (*G.Node, error) { return G.LogSoftMax(nt.logits) })
	loss := b.Do("cross-entropy", func() (*G.Node, error) {
		s, err := G.Sum(G.Must(G.HadamardProd(logp, oneHot)))
		if err != nil {
			return nil, err
		}
		return G.Mul(s, G.NewConstant(-1/float64(tc.BatchSize), G.WithName("-1/batch")))
	})
	if err := b.Err(); err != nil {
		return History{}, err
	}
	feed := func(idx []int) error {
		nt.setImages(im, idx, 0)
		d := oneHot.Value().Data().([]float64)
		clear(d)
		for r, i := range idx {
			d[r*k+im.Labels[i]] = 1
		}
		return nil
	}
	return train.AdamSettings(tc).Run(ctx,
		train.Problem{Graph: nt.g, Loss: loss, Params: nt.params, N: im.Len(), Feed: feed}, "gcnn")
}
