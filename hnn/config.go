package hnn

import (
	"io"
	"time"

	"github.com/physbias/physbias/internal/train"
)

// Config describes a model. The zero value is the paper's network for the
// mass-spring and pendulum: two hidden layers of 200 tanh units.
type Config struct {
	// Hidden is the width of each hidden layer; nil means {200, 200}.
	Hidden []int
	// Baseline makes the model the paper's baseline: the same MLP with
	// Dim outputs that predicts dx/dt directly, with no Hamiltonian
	// structure.
	Baseline bool
	// Seed draws the initial weights (Glorot uniform, zero biases).
	Seed uint64
}

// TrainConfig describes a training run. A zero field means the default in
// its comment; rates and penalties are none at zero. PaperTrainConfig
// returns the paper's settings.
type TrainConfig struct {
	// Steps is the number of Adam steps; 0 means 2000.
	Steps int
	// LR is Adam's learning rate; 0 means 1e-3.
	LR float64
	// WeightDecay is the L2 penalty Adam adds to the gradient (PyTorch's
	// weight_decay); 0 means none. The paper uses 1e-4.
	WeightDecay float64
	// BatchSize is the number of pairs a step sees; 0 means all of them
	// (full batch, the paper's setting for mass-spring and pendulum).
	BatchSize int
	// Seed sets the minibatch order (unused with full batch).
	Seed uint64
	// Progress, if not nil, is called about 20 times during training and
	// once at the end; ProgressBar makes one that draws a bar.
	Progress func(Progress)
	// TimeLimit, if positive, stops training once it has passed, without
	// an error (History.Stop is "time limit"); 0 means none.
	TimeLimit time.Duration
}

// PaperTrainConfig returns the training settings of Greydanus et al.
// (2019) for the mass-spring and pendulum: 2,000 full-batch Adam steps,
// learning rate 1e-3, weight decay 1e-4.
func PaperTrainConfig() TrainConfig {
	return TrainConfig{Steps: 2000, LR: 1e-3, WeightDecay: 1e-4}
}

// Progress is what training reports to TrainConfig.Progress: the step,
// the planned steps, the latest loss, the elapsed time, and Done on the
// last call.
type Progress = train.Progress

// History is the record of a training run: the loss of every step, the
// number of steps, the elapsed time and why it stopped ("step limit",
// "time limit").
type History = train.History

// ProgressBar returns a TrainConfig.Progress function that draws a
// one-line progress bar with the loss and an ETA on w (nil discards it).
func ProgressBar(w io.Writer, label string) func(Progress) {
	return train.ProgressBar(w, label)
}

// withDefaults checks c and fills in its zero fields.
func (c Config) withDefaults() (Config, error) {
	if c.Hidden == nil {
		c.Hidden = []int{200, 200}
	}
	c.Hidden = append([]int(nil), c.Hidden...)
	if len(c.Hidden) == 0 {
		return c, errorf(ErrInput, "Config.Hidden is empty; give at least one hidden layer (nil means {200, 200})")
	}
	for i, h := range c.Hidden {
		if h < 1 || h > 1<<14 {
			return c, errorf(ErrInput, "Config.Hidden[%d] is %d; a width must be in [1, 16384]", i, h)
		}
	}
	return c, nil
}

// withDefaults checks tc and fills in its zero fields.
func (tc TrainConfig) withDefaults() (TrainConfig, error) {
	f := train.NewFields(ErrInput, "hnn")
	f.Count(&tc.Steps, "TrainConfig.Steps", 2000, "2000")
	f.Rate(&tc.LR, "TrainConfig.LR", 1e-3, "1e-3")
	f.Penalty(tc.WeightDecay, "TrainConfig.WeightDecay", "none")
	f.Count(&tc.BatchSize, "TrainConfig.BatchSize", 0, "full batch")
	f.Duration(tc.TimeLimit, "TrainConfig.TimeLimit")
	return tc, f.Err()
}
