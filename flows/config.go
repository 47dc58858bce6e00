package flows

import (
	"io"
	"time"

	"github.com/physbias/physbias/internal/train"
)

// NHFConfig describes a Neural Hamiltonian Flow. Its zero value means the
// defaults written in each field's comment. Widths are at most 2²⁰, and the
// networks of a model at most 2²⁸ parameters in all (NHFConfig and
// RealNVPConfig).
type NHFConfig struct {
	// Hidden is the width of each hidden tanh layer of the networks K(p)
	// and V(q) of every stage; nil means {64, 64}.
	Hidden []int
	// EncoderHidden is the width of each hidden tanh layer of the two
	// networks of the momentum encoder f(p|q) (its mean and its log
	// standard deviation); nil means Hidden.
	EncoderHidden []int
	// Stages is the number of Hamiltonian flows composed, each with its own
	// K and V (a time-independent Hamiltonian moves points along its own
	// energy shells; several stages are more expressive, and still volume
	// preserving). 0 means 1.
	Stages int
	// Leapfrog is the number of leapfrog steps of each stage; 0 means 10.
	Leapfrog int
	// StepSize is the leapfrog step size; 0 means 0.1. It must be
	// positive.
	StepSize float64
	// EvalSamples is the number of momenta drawn from the encoder per point
	// by LogProb (an importance-weighted bound); 0 means 64.
	EvalSamples int
	// Seed draws the initial weights.
	Seed uint64
}

// RealNVPConfig describes a RealNVP flow of affine coupling layers. Its zero
// value means the defaults written in each field's comment.
type RealNVPConfig struct {
	// Layers is the number of affine coupling layers; they alternate which
	// half of the coordinates they transform. 0 means 8.
	Layers int
	// Hidden is the width of each hidden tanh layer of every layer's scale
	// and shift networks; nil means {64, 64}.
	Hidden []int
	// Seed draws the initial weights.
	Seed uint64
}

// Progress is what training reports to TrainConfig.Progress.
type Progress = train.Progress

// ProgressBar returns a TrainConfig.Progress function that draws a one-line
// progress bar with the given label on w.
func ProgressBar(w io.Writer, label string) func(Progress) { return train.ProgressBar(w, label) }

// TrainConfig describes how a flow is trained: Adam on the negative
// log-likelihood (RealNVP) or the negative evidence lower bound (NHF) of
// minibatches. Its zero value means the defaults written in each field's
// comment.
type TrainConfig struct {
	// Steps is the number of Adam steps; 0 means 1000.
	Steps int
	// LR is Adam's learning rate; 0 means 1e-3.
	LR float64
	// BatchSize is the number of points a step sees; 0 means 256 (or all
	// points when there are fewer).
	BatchSize int
	// WeightDecay is an L2 penalty added to the gradient; 0 means none.
	WeightDecay float64
	// Seed seeds the minibatch order and the NHF's momentum noise; the same
	// seed gives bit-identical training.
	Seed uint64
	// Progress, if not nil, is called about 20 times during training and
	// once at the end. A panic in it stops training after the step, with
	// an error matching ErrCallback.
	Progress func(Progress)
	// TimeLimit stops training after this wall time (checked before each
	// step), without an error and with History.Stop "time limit"; 0 means
	// none.
	TimeLimit time.Duration
}

// History is the record of a training run (internal/train's, as in every
// physbias package): Loss holds the loss of every step's minibatch before
// its update, the mean negative log-likelihood (RealNVP) or the mean
// negative evidence lower bound (NHF) in nats per point; Steps the number of
// steps done; Evals the forward and backward passes; Elapsed the wall time;
// Stop why training stopped: "step limit", "time limit" (StopTimeLimit),
// "canceled" (the context; Train's error matches context.Canceled),
// "not finite" (Train's error matches ErrNotFinite and names the step) or
// "error" (any other error).
type History = train.History

// StopTimeLimit is History.Stop when TrainConfig.TimeLimit ended training.
const StopTimeLimit = train.StopTimeLimit

func defaultHidden(h []int, what string) ([]int, error) {
	if h == nil {
		return []int{64, 64}, nil
	}
	if len(h) == 0 {
		return nil, errorf(ErrInput, "%s is empty; give at least one hidden layer (nil means {64, 64})", what)
	}
	for i, w := range h {
		if w < 1 || w > maxWidth {
			return nil, errorf(ErrInput, "%s[%d] is %d; widths must be between 1 and %d", what, i, w, maxWidth)
		}
	}
	return append([]int(nil), h...), nil
}

func (c NHFConfig) withDefaults() (NHFConfig, error) {
	var err error
	if c.Hidden, err = defaultHidden(c.Hidden, "NHFConfig.Hidden"); err != nil {
		return c, err
	}
	if c.EncoderHidden == nil {
		c.EncoderHidden = c.Hidden
	}
	if c.EncoderHidden, err = defaultHidden(c.EncoderHidden, "NHFConfig.EncoderHidden"); err != nil {
		return c, err
	}
	f := train.NewFields(ErrInput, "flows")
	f.CountMax(&c.Stages, "NHFConfig.Stages", 1, 1000, "1")
	f.CountMax(&c.Leapfrog, "NHFConfig.Leapfrog", 10, 10000, "10")
	f.Rate(&c.StepSize, "NHFConfig.StepSize", 0.1, "0.1")
	f.CountMax(&c.EvalSamples, "NHFConfig.EvalSamples", 64, 1<<20, "64")
	return c, f.Err()
}

func (c RealNVPConfig) withDefaults() (RealNVPConfig, error) {
	var err error
	if c.Hidden, err = defaultHidden(c.Hidden, "RealNVPConfig.Hidden"); err != nil {
		return c, err
	}
	f := train.NewFields(ErrInput, "flows")
	f.CountMax(&c.Layers, "RealNVPConfig.Layers", 8, 1000, "8")
	return c, f.Err()
}

func (c TrainConfig) withDefaults(n int) (TrainConfig, error) {
	f := train.NewFields(ErrInput, "flows")
	f.Count(&c.Steps, "TrainConfig.Steps", 1000, "1000")
	f.Rate(&c.LR, "TrainConfig.LR", 1e-3, "1e-3")
	f.Penalty(c.WeightDecay, "TrainConfig.WeightDecay", "none")
	f.Count(&c.BatchSize, "TrainConfig.BatchSize", min(256, n), "256")
	f.Duration(c.TimeLimit, "TrainConfig.TimeLimit")
	if err := f.Err(); err != nil {
		return c, err
	}
	if c.BatchSize > n {
		return c, errorf(ErrInput, "TrainConfig.BatchSize %d exceeds the %d training points", c.BatchSize, n)
	}
	return c, nil
}
