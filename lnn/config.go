package lnn

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/physbias/physbias/internal/train"
)

// Kind chooses the model.
type Kind int

const (
	// LNN learns L(q, q̇) with one network and no assumed form (Cranmer et
	// al. 2020).
	LNN Kind = iota
	// DeLaN learns L = ½q̇ᵀM(q)q̇ − V(q) with M from a Cholesky-factor
	// network and V from a potential network (Lutter et al. 2019).
	DeLaN
	// Baseline learns q̈(q, q̇) directly with one network.
	Baseline
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case LNN:
		return "LNN"
	case DeLaN:
		return "DeLaN"
	case Baseline:
		return "baseline"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Config describes a model. The zero value means an LNN with two hidden
// layers of 64 softplus units, MassEps 1 (1e-3 for DeLaN), the time scale
// taken from the data of the first Train, seed 0.
type Config struct {
	// Kind is the model; the zero value is LNN.
	Kind Kind
	// Hidden is the width of each hidden layer of every network of the
	// model; nil means {64, 64}. Widths are at most 2^20, and two
	// consecutive layers at most 2^28 weights.
	Hidden []int
	// MassEps is ε, added to the learned mass matrix as εI, in the
	// networks' time units (see TimeScale). For the LNN it is the term
	// ½ε|q̇|² added to L: a random softplus network has a mass matrix
	// ∇q̇∇q̇ᵀL near zero and of either sign, and the shift starts training
	// from M ≈ εI; the network can still learn any L, since it can cancel
	// or rescale the term. For DeLaN, M = CCᵀ + εI is positive definite by
	// construction and ε only floors it. 0 means 1 for the LNN (measured
	// on the double pendulum, 64-64, lr 3e-3: test loss on q̈ 0.55 with
	// ε = 1 and 1.2 with ε = 1e-3 after 3,000 steps; 0.92 with ε = 1 and
	// 5.1 with ε = 0.1 after 1,500) and 1e-3 for DeLaN. The baseline has
	// no mass matrix: setting MassEps or NoMassEps for it is an error.
	MassEps float64
	// NoMassEps turns the εI term off (MassEps must then be 0).
	NoMassEps bool
	// TimeScale is τ: the networks see (q, τq̇) and give τ²q̈, i.e. they
	// work in time units of τ, where the data are of order one. 0 means
	// √(rms(q)/rms(q̈)) of the data set of the first Train (τ = 1 before
	// it); it is then kept (and saved), so later Train calls see the same
	// networks. For the LNN and DeLaN it is only a change of time unit: the
	// learned L(q, q̇) = f(q, τq̇) is still a Lagrangian of the data. τ⁴
	// must be a normal float64 (about 1e-75 < τ < 1e75), whether set here
	// or taken from the data.
	TimeScale float64
	// Seed sets the initial weights (network k of a model from Seed+k).
	Seed uint64
}

// TrainConfig describes a training run. A zero field means the default in
// its comment; penalties and clipping are none at zero. PaperTrainConfig
// returns the settings of the README's results.
type TrainConfig struct {
	// Steps is the number of Adam steps; 0 means 3000.
	Steps int
	// LR is Adam's learning rate; 0 means 3e-3.
	LR float64
	// FinalLR is the learning rate of the last quarter of the steps: the
	// steps run in four equal phases with the rate falling geometrically
	// from LR to FinalLR (Adam's moments restart at each phase). 0 means
	// LR/10; set it to LR for a constant rate. Without the decay the LNN's
	// loss keeps jumping by factors of 2–3 from batch to batch at the end.
	FinalLR float64
	// WeightDecay is the L2 penalty Adam adds to the gradient; 0 means
	// none.
	WeightDecay float64
	// ClipNorm caps the joint norm of the gradients; 0 means no clipping.
	// Near-singular mass matrices early in training give rare huge
	// gradients; a cap (PaperTrainConfig uses 10) keeps one bad batch from
	// wrecking the weights.
	ClipNorm float64
	// BatchSize is the number of samples a step sees; 0 means all of them
	// (full batch).
	BatchSize int
	// Seed sets the minibatch order (phase p of a run uses Seed+p).
	Seed uint64
	// Progress, if not nil, is called about 20 times during training and
	// once at the end, with the loss in physical units; ProgressBar makes
	// one that draws a bar.
	Progress func(Progress)
	// TimeLimit, if positive, stops training once it has passed, without
	// an error (History.Stop is "time limit"); 0 means none.
	TimeLimit time.Duration
}

// PaperTrainConfig returns the training settings of the README's double
// pendulum results: 3,000 Adam steps of batches of 256, the learning rate
// falling from 3e-3 to 3e-4 in four phases, gradients clipped to norm 10,
// no weight decay.
func PaperTrainConfig() TrainConfig {
	return TrainConfig{Steps: 3000, LR: 3e-3, FinalLR: 3e-4, ClipNorm: 10, BatchSize: 256}
}

// Progress is what training reports to TrainConfig.Progress: the step,
// the planned steps, the latest loss, the elapsed time, and Done on the
// last call.
type Progress = train.Progress

// History is the record of a training run: the loss of every step (mean
// squared error of q̈ over the batch, before the step's update, in physical
// units), the number of steps, the elapsed time and why it stopped ("step
// limit", "time limit").
type History = train.History

// ProgressBar returns a TrainConfig.Progress function that draws a
// one-line progress bar with the loss and an ETA on w (nil discards it).
func ProgressBar(w io.Writer, label string) func(Progress) {
	return train.ProgressBar(w, label)
}

// maxWidth bounds a hidden layer's width, and maxLayerWeights the weights
// between two hidden layers (2 GiB).
const (
	maxWidth        = 1 << 20
	maxLayerWeights = 1 << 28
)

// checkTimeScale returns an error unless τ⁴ and 1/τ⁴ are finite and
// nonzero (the loss is rescaled by τ⁴).
func checkTimeScale(tau float64) error {
	t4 := tau * tau * tau * tau
	if !(tau > 0) || t4 == 0 || math.IsInf(t4, 0) || math.IsInf(1/t4, 0) {
		return fmt.Errorf("TimeScale τ = %v; τ⁴ must be a finite, normal float64 (about 1e-75 < τ < 1e75)", tau)
	}
	return nil
}

func (c Config) withDefaults() (Config, error) {
	if c.Kind < LNN || c.Kind > Baseline {
		return c, errorf(ErrInput, "unknown Config.Kind %d", int(c.Kind))
	}
	if c.Hidden == nil {
		c.Hidden = []int{64, 64}
	}
	c.Hidden = append([]int(nil), c.Hidden...)
	if len(c.Hidden) == 0 {
		return c, errorf(ErrInput, "Config.Hidden is empty; give at least one hidden layer (nil means {64, 64})")
	}
	for i, h := range c.Hidden {
		if h < 1 || h > maxWidth {
			return c, errorf(ErrInput, "Config.Hidden[%d] is %d; a width must be between 1 and %d", i, h, maxWidth)
		}
		if i > 0 && h > maxLayerWeights/c.Hidden[i-1] {
			return c, errorf(ErrInput, "hidden layers %d and %d (%d×%d) need more than 2^28 weights", i-1, i, c.Hidden[i-1], h)
		}
	}
	if !(c.TimeScale >= 0) {
		return c, errorf(ErrInput, "Config.TimeScale is %v; must be ≥ 0 (0 means from the data)", c.TimeScale)
	}
	if c.TimeScale > 0 {
		if err := checkTimeScale(c.TimeScale); err != nil {
			return c, errorf(ErrInput, "Config.%v", err)
		}
	}
	if !(c.MassEps >= 0) || math.IsInf(c.MassEps, 0) {
		return c, errorf(ErrInput, "Config.MassEps is %v; must be ≥ 0 and finite (0 means the default; NoMassEps turns it off)", c.MassEps)
	}
	switch {
	case c.Kind == Baseline && (c.MassEps != 0 || c.NoMassEps):
		return c, errorf(ErrInput, "Config.MassEps and NoMassEps do not apply to the baseline, which has no mass matrix")
	case c.NoMassEps && c.MassEps != 0:
		return c, errorf(ErrInput, "Config.NoMassEps is set but MassEps is %v", c.MassEps)
	case c.MassEps == 0 && !c.NoMassEps && c.Kind == LNN:
		c.MassEps = 1
	case c.MassEps == 0 && !c.NoMassEps && c.Kind == DeLaN:
		c.MassEps = 1e-3
	}
	return c, nil
}

// withDefaults checks tc and fills in its zero fields.
func (tc TrainConfig) withDefaults() (TrainConfig, error) {
	f := train.NewFields(ErrInput, "lnn")
	f.Count(&tc.Steps, "TrainConfig.Steps", 3000, "3000")
	f.Rate(&tc.LR, "TrainConfig.LR", 3e-3, "3e-3")
	f.Rate(&tc.FinalLR, "TrainConfig.FinalLR", tc.LR/10, "LR/10")
	f.Penalty(tc.WeightDecay, "TrainConfig.WeightDecay", "none")
	f.Penalty(tc.ClipNorm, "TrainConfig.ClipNorm", "no clipping")
	f.Count(&tc.BatchSize, "TrainConfig.BatchSize", 0, "full batch")
	f.Duration(tc.TimeLimit, "TrainConfig.TimeLimit")
	return tc, f.Err()
}
