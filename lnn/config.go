package lnn

import (
	"fmt"
	"math"
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

// Config sets a model and its training. The zero value means an LNN with
// two hidden layers of 64 softplus units, Adam at learning rate 3e-3
// decaying to 3e-4, with no weight decay and gradients clipped to norm 10, 3,000 steps of 256
// samples, MassEps 1 for the LNN and 1e-3 for DeLaN, the time scale taken
// from the data, seed 0.
type Config struct {
	// Kind is the model; the zero value is LNN.
	Kind Kind
	// Hidden is the width of each hidden layer of every network of the
	// model; nil means {64, 64}. Widths are at most 2^20, and two
	// consecutive layers at most 2^28 weights.
	Hidden []int
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
	// ClipNorm caps the joint norm of the gradients (train.Adam.ClipNorm);
	// 0 means 10, negative means no clipping. Near-singular mass matrices
	// early in training give rare huge gradients; the cap keeps one bad
	// batch from wrecking the weights.
	ClipNorm float64
	// BatchSize is the number of samples a step sees; 0 means 256, or all
	// of them when there are fewer.
	BatchSize int
	// MassEps is ε, added to the learned mass matrix as εI, in the
	// networks' time units (see TimeScale). For the LNN it is the term
	// ½ε|q̇|² added to L: a random softplus network has a mass matrix
	// ∇q̇∇q̇ᵀL near zero and of either sign, and the shift starts training
	// from M ≈ εI; the network can still learn any L, since it can cancel
	// or rescale the term. For DeLaN, M = CCᵀ + εI is positive definite by
	// construction and ε only floors it. 0 means 1 for the LNN (measured
	// on the double pendulum, 64-64, lr 3e-3: test loss on q̈ 0.55 with
	// ε = 1 and 1.2 with ε = 1e-3 after 3,000 steps; 0.92 with ε = 1 and
	// 5.1 with ε = 0.1 after 1,500) and 1e-3 for DeLaN; negative means
	// none.
	// The baseline ignores it.
	MassEps float64
	// TimeScale is τ: the networks see (q, τq̇) and give τ²q̈, i.e. they
	// work in time units of τ, where the data are of order one. 0 means
	// √(rms(q)/rms(q̈)) of the data set of the first Train (τ = 1 before
	// it); it is then kept, so later Train calls see the same networks.
	// For the LNN and DeLaN it is only a change of time unit: the learned
	// L(q, q̇) = f(q, τq̇) is still a Lagrangian of the data. τ⁴ must be a
	// normal float64 (about 1e-75 < τ < 1e75), whether set here or taken
	// from the data.
	TimeScale float64
	// Seed sets the initial weights (network k of a model from Seed+k) and
	// the minibatch order.
	Seed uint64
	// Progress, if not nil, is called about 20 times during training with
	// the step count and the latest loss.
	Progress func(step, steps int, loss float64)
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
		return c, fmt.Errorf("lnn: unknown Config.Kind %d", int(c.Kind))
	}
	if c.Hidden == nil {
		c.Hidden = []int{64, 64}
	}
	c.Hidden = append([]int(nil), c.Hidden...)
	if len(c.Hidden) == 0 {
		return c, fmt.Errorf("lnn: Config.Hidden is empty; give at least one hidden layer (nil means {64, 64})")
	}
	for i, h := range c.Hidden {
		if h < 1 || h > maxWidth {
			return c, fmt.Errorf("lnn: hidden layer %d has width %d; must be between 1 and %d", i, h, maxWidth)
		}
		if i > 0 && h > maxLayerWeights/c.Hidden[i-1] {
			return c, fmt.Errorf("lnn: hidden layers %d and %d (%d×%d) need more than 2^28 weights", i-1, i, c.Hidden[i-1], h)
		}
	}
	if c.Steps < 0 {
		return c, fmt.Errorf("lnn: Config.Steps is %d; must be positive (0 means 3000)", c.Steps)
	}
	if c.Steps == 0 {
		c.Steps = 3000
	}
	if c.LR == 0 {
		c.LR = 3e-3
	}
	if !(c.LR > 0) || math.IsInf(c.LR, 0) {
		return c, fmt.Errorf("lnn: Config.LR is %v; must be positive and finite", c.LR)
	}
	if c.FinalLR == 0 {
		c.FinalLR = c.LR / 10
	}
	if !(c.FinalLR > 0) || math.IsInf(c.FinalLR, 0) {
		return c, fmt.Errorf("lnn: Config.FinalLR is %v; must be positive and finite (0 means LR/10)", c.FinalLR)
	}
	if !(c.WeightDecay >= 0) || math.IsInf(c.WeightDecay, 0) {
		return c, fmt.Errorf("lnn: Config.WeightDecay is %v; must be ≥ 0 and finite", c.WeightDecay)
	}
	if math.IsNaN(c.ClipNorm) || math.IsInf(c.ClipNorm, 0) {
		return c, fmt.Errorf("lnn: Config.ClipNorm is %v; must be finite", c.ClipNorm)
	}
	if c.ClipNorm == 0 {
		c.ClipNorm = 10
	}
	if c.ClipNorm < 0 {
		c.ClipNorm = 0
	}
	if !(c.TimeScale >= 0) {
		return c, fmt.Errorf("lnn: Config.TimeScale is %v; must be ≥ 0 (0 means from the data)", c.TimeScale)
	}
	if c.TimeScale > 0 {
		if err := checkTimeScale(c.TimeScale); err != nil {
			return c, fmt.Errorf("lnn: Config.%v", err)
		}
	}
	if c.BatchSize < 0 {
		return c, fmt.Errorf("lnn: Config.BatchSize is %d; must be positive (0 means 256)", c.BatchSize)
	}
	if math.IsNaN(c.MassEps) || math.IsInf(c.MassEps, 0) {
		return c, fmt.Errorf("lnn: Config.MassEps is %v; must be finite", c.MassEps)
	}
	if c.MassEps == 0 {
		c.MassEps = 1
		if c.Kind == DeLaN {
			c.MassEps = 1e-3
		}
	}
	if c.MassEps < 0 {
		c.MassEps = 0
	}
	return c, nil
}
