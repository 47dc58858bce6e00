package gnn

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/train"
)

// Aggregation is how a Graph Network block reduces a set of rows (the
// messages into a node, the nodes or edges of a graph): each is invariant
// to the order of the set.
type Aggregation int

// The aggregators. Empty sets reduce to zero for all three.
const (
	Sum  Aggregation = iota // Σ (the default)
	Mean                    // Σ / count
	Max                     // per-feature maximum
)

var aggNames = [...]string{"sum", "mean", "max"}

// String returns "sum", "mean" or "max".
func (a Aggregation) String() string {
	if a < 0 || int(a) >= len(aggNames) {
		return fmt.Sprintf("Aggregation(%d)", int(a))
	}
	return aggNames[a]
}

// Activation is the nonlinearity of the update networks' hidden layers.
type Activation int

// The activations. The zero value is Softplus.
const (
	Softplus Activation = iota // log(1 + eᶻ), the default: smooth, ReLU-like
	Tanh                       // tanh z
	Sigmoid                    // 1/(1 + e⁻ᶻ)
	Sin                        // sin z
	ReLU                       // max(0, z), the activation of Cranmer et al. 2020's networks
)

var actNames = [...]string{"softplus", "tanh", "sigmoid", "sin", "relu"}
var actAD = [...]ad.Activation{ad.Softplus, ad.Tanh, ad.Sigmoid, ad.Sin, ad.ReLU}

// String returns the activation's lower-case name.
func (a Activation) String() string {
	if a < 0 || int(a) >= len(actNames) {
		return fmt.Sprintf("Activation(%d)", int(a))
	}
	return actNames[a]
}

// Config describes a Graph Network block (Battaglia et al. 2018, Algorithm
// 1) of three update networks, each a dense network with the same hidden
// layers:
//
//	edge:   e'_k = φᵉ([e_k, v_{r_k}, v_{s_k}, u])       (EdgeOut values)
//	node:   v'_i = φᵛ([v_i, ρ(e'_k : r_k = i), u])       (NodeOut values)
//	global: u'   = φᵘ([ρ(e'), ρ(v'), u])                  (GlobalOut values)
//
// where r_k and s_k are edge k's receiver and sender and ρ the Aggregation.
// Parts of size zero are left out of each input. Its zero value is not
// usable: NodeIn and NodeOut are required.
type Config struct {
	// NodeIn, EdgeIn and GlobalIn are the input feature sizes. NodeIn
	// must be positive; EdgeIn and GlobalIn may be 0 (no edge or global
	// input features).
	NodeIn, EdgeIn, GlobalIn int
	// EdgeOut is the size of the edge update's output, the messages;
	// 0 means no edge update (then EdgeIn must be 0 and edges are unused,
	// as in DeepSets).
	EdgeOut int
	// NodeOut is the size of the node update's output; it must be
	// positive.
	NodeOut int
	// GlobalOut is the size of the global update's output; 0 means no
	// global update.
	GlobalOut int
	// Hidden are the hidden layer widths of every update network; nil
	// means {128, 128}. An empty non-nil slice means linear updates.
	Hidden []int
	// Activation of the hidden layers; the zero value is Softplus.
	Activation Activation
	// Aggregation for every reduction; the zero value is Sum.
	Aggregation Aggregation
	// Seed draws the initial weights (Glorot-uniform, zero biases).
	Seed uint64
}

// DeepSets returns the Config of a DeepSets model (Zaheer et al. 2017),
// f(X) = ρ(Σᵢ φ(xᵢ)), as a block with no edges: φ is the node update (in
// features to latent), ρ the global update (latent to out), and the sum the
// node-to-global aggregation. Its global output is invariant to the order of
// the set.
func DeepSets(in, latent, out int, hidden []int) Config {
	return Config{NodeIn: in, NodeOut: latent, GlobalOut: out, Hidden: hidden}
}

// InteractionNetwork returns the Config of an interaction network
// (Battaglia et al. 2016) in the form Cranmer et al. 2020 train on particles:
// messages φᵉ(v_receiver, v_sender) of size msg are summed at the receiver
// and φᵛ(v_i, Σ messages) predicts out values per node (the acceleration).
// With msg equal to the spatial dimension it is the paper's bottleneck
// model.
func InteractionNetwork(nodeIn, msg, out int, hidden []int) Config {
	return Config{NodeIn: nodeIn, EdgeOut: msg, NodeOut: out, Hidden: hidden}
}

// PaperInteractionNetwork returns the Config of Cranmer et al. 2020's
// interaction network (their code's models.py): message and node networks
// of three hidden layers of 300 ReLU units, sum aggregation, nodeIn node
// features, messages of msg values (100 for their standard and L1 models,
// the spatial dimension for the bottleneck) and out outputs a node (the
// acceleration).
func PaperInteractionNetwork(nodeIn, msg, out int) Config {
	c := InteractionNetwork(nodeIn, msg, out, []int{300, 300, 300})
	c.Activation = ReLU
	return c
}

// withDefaults checks c and fills in its defaults.
func (c Config) withDefaults() (Config, error) {
	switch {
	case c.NodeIn < 1:
		return c, errorf(ErrInput, "Config.NodeIn is %d; must be positive", c.NodeIn)
	case c.NodeOut < 1:
		return c, errorf(ErrInput, "Config.NodeOut is %d; must be positive", c.NodeOut)
	case c.EdgeIn < 0 || c.GlobalIn < 0 || c.EdgeOut < 0 || c.GlobalOut < 0:
		return c, errorf(ErrInput, "Config sizes must not be negative (EdgeIn %d, GlobalIn %d, EdgeOut %d, GlobalOut %d)", c.EdgeIn, c.GlobalIn, c.EdgeOut, c.GlobalOut)
	case c.EdgeIn > 0 && c.EdgeOut == 0:
		return c, errorf(ErrInput, "Config.EdgeIn is %d but EdgeOut is 0: edge features would be unused", c.EdgeIn)
	case c.Activation < 0 || int(c.Activation) >= len(actNames):
		return c, errorf(ErrInput, "unknown Config.Activation %d", int(c.Activation))
	case c.Aggregation < 0 || int(c.Aggregation) >= len(aggNames):
		return c, errorf(ErrInput, "unknown Config.Aggregation %d", int(c.Aggregation))
	}
	const maxSize = 1 << 16
	for _, s := range []int{c.NodeIn, c.EdgeIn, c.GlobalIn, c.EdgeOut, c.NodeOut, c.GlobalOut} {
		if s > maxSize {
			return c, errorf(ErrInput, "a feature size of %d exceeds %d", s, maxSize)
		}
	}
	if c.Hidden == nil {
		c.Hidden = []int{128, 128}
	} else {
		c.Hidden = append([]int{}, c.Hidden...)
	}
	for i, h := range c.Hidden {
		if h < 1 || h > maxSize {
			return c, errorf(ErrInput, "Config.Hidden[%d] is %d; must be in [1, %d]", i, h, maxSize)
		}
	}
	return c, nil
}

// Loss is the training loss on the targets.
type Loss int

// The losses.
const (
	MSE Loss = iota // mean squared error (the default)
	MAE             // mean absolute error, the L1 loss of Cranmer et al. 2020
)

// Progress is what Train reports during training (train.Progress).
type Progress = train.Progress

// ProgressBar returns a TrainConfig.Progress function drawing a one-line
// bar on w, labelled label.
func ProgressBar(w io.Writer, label string) func(Progress) {
	return train.ProgressBar(w, label)
}

// TrainConfig describes a training run. Its zero value means the defaults
// in the fields' comments.
type TrainConfig struct {
	// Steps is the number of Adam steps; 0 means 1000.
	Steps int
	// LR is Adam's learning rate; 0 means 1e-3.
	LR float64
	// BatchSize is the number of graphs a step sees; 0 means all. Graphs
	// of different structures (node counts, senders, receivers) need
	// BatchSize 0.
	BatchSize int
	// WeightDecay is the L2 penalty added to the gradient; 0 means none.
	WeightDecay float64
	// Loss on the targets; the zero value is MSE.
	Loss Loss
	// MessageL1 is the weight of the L1 penalty on the messages,
	// MessageL1 · mean over edges of Σₖ |e'_k|: the sparsity that makes
	// messages readable. Cranmer et al. 2020's code weighs 1e-2 against a
	// loss summed per graph, 1e-2·(n − 1)/(n·dim) in these units for n
	// bodies in dim dimensions (3.75e-3 for 4 bodies in 2-D, see the
	// package doc); 0 means none.
	MessageL1 float64
	// Seed shuffles the minibatches.
	Seed uint64
	// Progress, if not nil, is called about twenty times and at the end.
	Progress func(Progress)
	// TimeLimit stops training after this wall time, without an error
	// (History.Stop is then "time limit"); 0 means none.
	TimeLimit time.Duration
	// Augment, if not nil, changes each graph of a minibatch before the
	// step sees it (its targets unchanged): a data augmentation such as
	// TranslatePositions. It gets a copy of the graph's node features and
	// a generator seeded from Seed; it must keep their sizes. It needs
	// graphs of one structure. nil means none.
	Augment func(nodes [][]float64, r *rand.Rand)
}

// TranslatePositions returns an Augment function that shifts the first
// dim node features (the positions of Simulate's graphs) of every
// node of a graph by one offset drawn from N(0, sigma²) per coordinate:
// Cranmer et al. 2020 train with such shifts (sigma 3), which teach the
// network that forces depend on positions only through differences.
func TranslatePositions(dim int, sigma float64) func(nodes [][]float64, r *rand.Rand) {
	return func(nodes [][]float64, r *rand.Rand) {
		off := make([]float64, dim)
		for d := range off {
			off[d] = sigma * r.NormFloat64()
		}
		for _, row := range nodes {
			for d := range min(dim, len(row)) {
				row[d] += off[d]
			}
		}
	}
}

// PaperTrainConfig returns the training settings of Cranmer et al. 2020's
// L1 model for 4 bodies in 2-D: L1 loss, messages penalised with their
// code's 1e-2 in Train's per-value units (MessageL1 3.75e-3), Adam at 1e-3,
// minibatches of 64 graphs. Steps is left at its default; their one-cycle
// schedule, weight decay 1e-8 and random translations (TranslatePositions)
// are not in it.
func PaperTrainConfig() TrainConfig {
	return TrainConfig{LR: 1e-3, BatchSize: 64, Loss: MAE, MessageL1: 3.75e-3}
}

func (tc TrainConfig) withDefaults() (TrainConfig, error) {
	switch {
	case tc.Steps < 0:
		return tc, errorf(ErrInput, "TrainConfig.Steps is %d; must not be negative", tc.Steps)
	case tc.LR < 0 || tc.LR != tc.LR:
		return tc, errorf(ErrInput, "TrainConfig.LR is %v; must not be negative", tc.LR)
	case tc.BatchSize < 0:
		return tc, errorf(ErrInput, "TrainConfig.BatchSize is %d; must not be negative", tc.BatchSize)
	case tc.WeightDecay < 0 || tc.WeightDecay != tc.WeightDecay:
		return tc, errorf(ErrInput, "TrainConfig.WeightDecay is %v; must not be negative", tc.WeightDecay)
	case tc.MessageL1 < 0 || tc.MessageL1 != tc.MessageL1:
		return tc, errorf(ErrInput, "TrainConfig.MessageL1 is %v; must not be negative", tc.MessageL1)
	case tc.Loss != MSE && tc.Loss != MAE:
		return tc, errorf(ErrInput, "unknown TrainConfig.Loss %d", int(tc.Loss))
	case tc.TimeLimit < 0:
		return tc, errorf(ErrInput, "TrainConfig.TimeLimit is %v; must not be negative", tc.TimeLimit)
	}
	if tc.Steps == 0 {
		tc.Steps = 1000
	}
	if tc.LR == 0 {
		tc.LR = 1e-3
	}
	return tc, nil
}

// numParams returns the number of weights and biases of the update
// networks of c (with its defaults filled in).
func (c Config) numParams() int {
	dense := func(in, out int) int {
		n := 0
		for _, h := range append(append([]int(nil), c.Hidden...), out) {
			n += in*h + h
			in = h
		}
		return n
	}
	n := dense(c.NodeIn+c.EdgeOut+c.GlobalIn, c.NodeOut)
	if c.EdgeOut > 0 {
		n += dense(c.EdgeIn+2*c.NodeIn+c.GlobalIn, c.EdgeOut)
	}
	if c.GlobalOut > 0 {
		n += dense(c.EdgeOut+c.NodeOut+c.GlobalIn, c.GlobalOut)
	}
	return n
}
