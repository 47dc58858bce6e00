package flows

import (
	"io"
	"math"
	"time"

	"github.com/physbias/physbias/internal/train"
)

// NHFConfig describes a Neural Hamiltonian Flow. Its zero value means the
// defaults written in each field's comment.
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
	// once at the end.
	Progress func(Progress)
	// TimeLimit stops training after this wall time (checked before each
	// step), without an error and with History.Stop "time limit"; 0 means
	// none.
	TimeLimit time.Duration
}

// History is the record of a training run.
type History struct {
	// Loss is the loss of every step's minibatch before its update: the
	// mean negative log-likelihood (RealNVP) or the mean negative evidence
	// lower bound (NHF), in nats per point.
	Loss []float64
	// Steps is the number of steps done.
	Steps int
	// Elapsed is the wall time of training.
	Elapsed time.Duration
	// Stop says why training stopped: "step limit", "time limit",
	// "canceled", "not finite" or "error".
	Stop string
}

func defaultHidden(h []int, what string) ([]int, error) {
	if h == nil {
		return []int{64, 64}, nil
	}
	if len(h) == 0 {
		return nil, errorf(ErrInput, "%s is empty; give at least one hidden layer (nil means {64, 64})", what)
	}
	for i, w := range h {
		if w < 1 {
			return nil, errorf(ErrInput, "%s[%d] is %d; widths must be at least 1", what, i, w)
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
	switch {
	case c.Stages < 0:
		return c, errorf(ErrInput, "NHFConfig.Stages is %d; must be positive (0 means 1)", c.Stages)
	case c.Stages == 0:
		c.Stages = 1
	case c.Stages > 1000:
		return c, errorf(ErrInput, "NHFConfig.Stages is %d; at most 1000 are supported", c.Stages)
	}
	switch {
	case c.Leapfrog < 0:
		return c, errorf(ErrInput, "NHFConfig.Leapfrog is %d; must be positive (0 means 10)", c.Leapfrog)
	case c.Leapfrog == 0:
		c.Leapfrog = 10
	case c.Leapfrog > 10000:
		return c, errorf(ErrInput, "NHFConfig.Leapfrog is %d; at most 10000 steps are supported", c.Leapfrog)
	}
	if c.StepSize == 0 {
		c.StepSize = 0.1
	}
	if !(c.StepSize > 0) || math.IsInf(c.StepSize, 0) {
		return c, errorf(ErrInput, "NHFConfig.StepSize is %v; must be positive and finite (0 means 0.1)", c.StepSize)
	}
	switch {
	case c.EvalSamples < 0:
		return c, errorf(ErrInput, "NHFConfig.EvalSamples is %d; must be positive (0 means 64)", c.EvalSamples)
	case c.EvalSamples == 0:
		c.EvalSamples = 64
	}
	return c, nil
}

func (c RealNVPConfig) withDefaults() (RealNVPConfig, error) {
	var err error
	if c.Hidden, err = defaultHidden(c.Hidden, "RealNVPConfig.Hidden"); err != nil {
		return c, err
	}
	switch {
	case c.Layers < 0:
		return c, errorf(ErrInput, "RealNVPConfig.Layers is %d; must be positive (0 means 8)", c.Layers)
	case c.Layers == 0:
		c.Layers = 8
	case c.Layers > 1000:
		return c, errorf(ErrInput, "RealNVPConfig.Layers is %d; at most 1000 are supported", c.Layers)
	}
	return c, nil
}

func (c TrainConfig) withDefaults(n int) (TrainConfig, error) {
	switch {
	case c.Steps < 0:
		return c, errorf(ErrInput, "TrainConfig.Steps is %d; must be positive (0 means 1000)", c.Steps)
	case c.Steps == 0:
		c.Steps = 1000
	}
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if !(c.LR > 0) || math.IsInf(c.LR, 0) {
		return c, errorf(ErrInput, "TrainConfig.LR is %v; must be positive and finite (0 means 1e-3)", c.LR)
	}
	if !(c.WeightDecay >= 0) || math.IsInf(c.WeightDecay, 0) {
		return c, errorf(ErrInput, "TrainConfig.WeightDecay is %v; must be ≥ 0 and finite", c.WeightDecay)
	}
	switch {
	case c.BatchSize < 0:
		return c, errorf(ErrInput, "TrainConfig.BatchSize is %d; must be positive (0 means 256)", c.BatchSize)
	case c.BatchSize == 0:
		c.BatchSize = min(256, n)
	case c.BatchSize > n:
		return c, errorf(ErrInput, "TrainConfig.BatchSize %d exceeds the %d training points", c.BatchSize, n)
	}
	if c.TimeLimit < 0 {
		return c, errorf(ErrInput, "TrainConfig.TimeLimit is %v; must be ≥ 0 (0 means none)", c.TimeLimit)
	}
	return c, nil
}
