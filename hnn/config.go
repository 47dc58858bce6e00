package hnn

import (
	"fmt"
	"math"
)

// Config sets the network and its training. The zero value means the
// paper's settings for the mass-spring and pendulum: an MLP with two
// hidden layers of 200 tanh units, Adam with learning rate 1e-3 and weight
// decay 1e-4, 2,000 full-batch steps.
type Config struct {
	// Hidden is the width of each hidden layer; nil means {200, 200}.
	Hidden []int
	// Steps is the number of Adam steps; 0 means 2000.
	Steps int
	// LR is Adam's learning rate; 0 means 1e-3.
	LR float64
	// WeightDecay is the L2 penalty Adam adds to the gradient (PyTorch's
	// weight_decay); 0 means 1e-4, a negative value means none.
	WeightDecay float64
	// BatchSize is the number of pairs a step sees; 0 means all of them
	// (full batch, the paper's setting for mass-spring and pendulum).
	BatchSize int
	// Baseline makes the model the paper's baseline: the same MLP with
	// Dim outputs that predicts dx/dt directly, with no Hamiltonian
	// structure.
	Baseline bool
	// Seed sets the initial weights and the minibatch order.
	Seed uint64
	// Progress, if not nil, is called about 20 times during training with
	// the step count and the latest loss.
	Progress func(step, steps int, loss float64)
}

// withDefaults checks c and fills in its zero fields.
func (c Config) withDefaults() (Config, error) {
	if c.Hidden == nil {
		c.Hidden = []int{200, 200}
	}
	c.Hidden = append([]int(nil), c.Hidden...)
	if len(c.Hidden) == 0 {
		return c, fmt.Errorf("hnn: Config.Hidden is empty; give at least one hidden layer (nil means {200, 200})")
	}
	for i, h := range c.Hidden {
		if h < 1 {
			return c, fmt.Errorf("hnn: hidden layer %d has width %d; must be at least 1", i, h)
		}
	}
	if c.Steps < 0 {
		return c, fmt.Errorf("hnn: Config.Steps is %d; must be positive (0 means 2000)", c.Steps)
	}
	if c.Steps == 0 {
		c.Steps = 2000
	}
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if !(c.LR > 0) || math.IsInf(c.LR, 0) {
		return c, fmt.Errorf("hnn: Config.LR is %v; must be positive and finite", c.LR)
	}
	if math.IsNaN(c.WeightDecay) || math.IsInf(c.WeightDecay, 0) {
		return c, fmt.Errorf("hnn: Config.WeightDecay is %v; must be finite", c.WeightDecay)
	}
	if c.WeightDecay == 0 {
		c.WeightDecay = 1e-4
	}
	if c.WeightDecay < 0 {
		c.WeightDecay = 0
	}
	if c.BatchSize < 0 {
		return c, fmt.Errorf("hnn: Config.BatchSize is %d; must be positive (0 means full batch)", c.BatchSize)
	}
	return c, nil
}
