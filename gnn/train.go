package gnn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/internal/train"
)

// Dataset is a set of graphs with the targets of the block's outputs.
type Dataset struct {
	// Graphs are the inputs.
	Graphs []Graph
	// NodeTargets, if not nil, holds for every graph one row of NodeOut
	// target values per node (the accelerations of an n-body system).
	NodeTargets [][][]float64
	// GlobalTargets, if not nil, holds GlobalOut target values per graph.
	GlobalTargets [][]float64
	// Test is the held-out set Simulate makes beside the training set
	// (nil when DataConfig.TestFraction is 0): pass it to Evaluate. Train
	// ignores it.
	Test *Dataset
}

// History is the record of a training run: the loss of every step (data
// loss plus the message penalty, on the step's batch, before its update),
// the number of steps, the elapsed time and why it stopped ("step limit",
// "time limit", "canceled").
type History = train.History

// check checks d against the model's sizes.
func (m *Model) checkData(d *Dataset) error {
	if d == nil {
		return errorf(ErrInput, "nil Dataset")
	}
	if err := m.checkGraphs(d.Graphs); err != nil {
		return err
	}
	if d.NodeTargets == nil && d.GlobalTargets == nil {
		return errorf(ErrInput, "Dataset has neither NodeTargets nor GlobalTargets")
	}
	if d.NodeTargets != nil {
		if len(d.NodeTargets) != len(d.Graphs) {
			return errorf(ErrInput, "%d node target sets for %d graphs", len(d.NodeTargets), len(d.Graphs))
		}
		for i, t := range d.NodeTargets {
			if len(t) != len(d.Graphs[i].Nodes) {
				return errorf(ErrInput, "graph %d has %d nodes but %d node targets", i, len(d.Graphs[i].Nodes), len(t))
			}
			if err := checkRows(t, m.cfg.NodeOut, i, "node target"); err != nil {
				return err
			}
		}
	}
	if d.GlobalTargets != nil {
		if m.cfg.GlobalOut == 0 {
			return errorf(ErrInput, "Dataset has GlobalTargets but the model has no global update (GlobalOut 0)")
		}
		if len(d.GlobalTargets) != len(d.Graphs) {
			return errorf(ErrInput, "%d global targets for %d graphs", len(d.GlobalTargets), len(d.Graphs))
		}
		for i, t := range d.GlobalTargets {
			if len(t) != m.cfg.GlobalOut {
				return errorf(ErrInput, "graph %d has %d global targets, want %d", i, len(t), m.cfg.GlobalOut)
			}
			if err := checkFinite(t, i, "global target", 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// Train fits the block's outputs to d's targets with Adam, continuing from
// the current weights. The loss is the mean (squared or absolute, per
// tc.Loss) error over every target value, plus tc.MessageL1 times the mean
// over edges of the messages' L1 norms.
//
// Graphs that all share one structure (the same number of nodes, senders
// and receivers, as in an n-body data set) train in minibatches of
// tc.BatchSize graphs on one graph built once; graphs of different
// structures train full batch (tc.BatchSize 0).
//
// Cancelling ctx stops before the next step: Train returns the history so
// far and an error matching context.Canceled (or DeadlineExceeded), and the
// model keeps the weights of the last completed step. tc.TimeLimit stops
// the same way without an error. The first NaN or Inf loss or gradient
// stops with an error matching ErrNotFinite; the weights are those before
// the failing step.
func (m *Model) Train(ctx context.Context, d *Dataset, tc TrainConfig) (History, error) {
	if err := m.ok(); err != nil {
		return History{}, err
	}
	if ctx == nil {
		return History{}, errorf(ErrInput, "nil context")
	}
	tc, err := tc.withDefaults()
	if err != nil {
		return History{}, err
	}
	if err := m.checkData(d); err != nil {
		return History{}, err
	}
	if tc.MessageL1 > 0 && m.cfg.EdgeOut == 0 {
		return History{}, errorf(ErrInput, "TrainConfig.MessageL1 is %v but the model has no messages (EdgeOut 0)", tc.MessageL1)
	}
	N := len(d.Graphs)
	same := true
	for _, g := range d.Graphs[1:] {
		if !sameStructure(d.Graphs[0], g) {
			same = false
			break
		}
	}
	B := tc.BatchSize
	if B == 0 {
		B = N
	}
	if B > N {
		return History{}, errorf(ErrInput, "TrainConfig.BatchSize %d exceeds the %d graphs", B, N)
	}
	if !same && B != N {
		return History{}, errorf(ErrInput, "graphs of different structures train full batch only; TrainConfig.BatchSize is %d of %d graphs", B, N)
	}
	if !same && tc.Augment != nil {
		return History{}, errorf(ErrInput, "TrainConfig.Augment needs graphs of one structure")
	}
	c := m.cfg
	// The batch: B graphs with graph 0's structure, or all graphs.
	var bt *batch
	var batchGraphs []Graph
	if same {
		batchGraphs = make([]Graph, B)
		for i := range batchGraphs {
			batchGraphs[i] = d.Graphs[0]
		}
	} else {
		batchGraphs = d.Graphs
	}
	bt = newBatch(batchGraphs, c)
	gr, err := m.build(bt)
	if err != nil {
		return History{}, err
	}
	b := gr.b
	var terms []*G.Node
	var params []*G.Node
	useEdge, useNode, useGlobal := false, false, false
	var nodeY, globY []float64
	if d.NodeTargets != nil && gr.out.node != nil {
		nodeY = make([]float64, bt.nodes*c.NodeOut)
		y := b.input("node_targets", nodeY, bt.nodes, c.NodeOut)
		terms = append(terms, b.errorTerm(gr.out.node, y, tc.Loss))
		useNode, useEdge = true, true
	}
	if d.GlobalTargets != nil {
		globY = make([]float64, bt.graphs*c.GlobalOut)
		y := b.input("global_targets", globY, bt.graphs, c.GlobalOut)
		terms = append(terms, b.errorTerm(gr.out.global, y, tc.Loss))
		useGlobal, useNode, useEdge = true, true, true
	}
	if tc.MessageL1 > 0 && gr.out.edge != nil {
		terms = append(terms, b.l1(gr.out.edge, tc.MessageL1*float64(c.EdgeOut)))
		useEdge = true
	}
	if len(terms) == 0 {
		return History{}, errorf(ErrInput, "the targets depend on no output of the block (no nodes in the data?)")
	}
	loss := terms[0]
	for _, t := range terms[1:] {
		loss = b.Add(loss, t)
	}
	if err := b.Err(); err != nil {
		return History{}, err
	}
	if useEdge && gr.out.edge != nil {
		params = append(params, gr.n.edgeParams()...)
	}
	if useNode && gr.out.node != nil {
		params = append(params, gr.n.node.Params()...)
	}
	if useGlobal && gr.out.global != nil {
		params = append(params, gr.n.global.Params()...)
	}
	// Feed copies the batch's features and targets (one structure);
	// train.Run checks the context and the time limit before every step.
	var augRand *rand.Rand
	var augRows [][][]float64 // per batch slot: a copy of the nodes to augment
	if tc.Augment != nil {
		augRand = rng.Stream(tc.Seed, 1)
		augRows = make([][][]float64, B)
		for r := range augRows {
			augRows[r] = make([][]float64, len(d.Graphs[0].Nodes))
			for k := range augRows[r] {
				augRows[r][k] = make([]float64, c.NodeIn)
			}
		}
	}
	var augErr error
	feed := func(idx []int) error {
		if !same {
			return nil // all graphs, fixed inputs
		}
		for r, i := range idx {
			batchGraphs[r] = d.Graphs[i]
			if tc.Augment != nil {
				g := batchGraphs[r]
				for k, row := range g.Nodes {
					copy(augRows[r][k], row)
				}
				g.Nodes = augRows[r]
				if err := augment(tc.Augment, g.Nodes, augRand, c.NodeIn); err != nil {
					augErr = err
					return err
				}
				batchGraphs[r] = g
			}
		}
		bt.fill(batchGraphs, c)
		for r, i := range idx {
			if nodeY != nil {
				for k, row := range d.NodeTargets[i] {
					copy(nodeY[(bt.nodeOff[r]+k)*c.NodeOut:], row)
				}
			}
			if globY != nil {
				copy(globY[r*c.GlobalOut:], d.GlobalTargets[i])
			}
		}
		return nil
	}
	if !same {
		// Full batch: the targets are fixed.
		for i := range d.Graphs {
			if nodeY != nil {
				for k, row := range d.NodeTargets[i] {
					copy(nodeY[(bt.nodeOff[i]+k)*c.NodeOut:], row)
				}
			}
			if globY != nil {
				copy(globY[i*c.GlobalOut:], d.GlobalTargets[i])
			}
		}
	}
	rc := train.Config{Steps: tc.Steps, BatchSize: B, Seed: tc.Seed, Progress: tc.Progress,
		Context: ctx, TimeLimit: tc.TimeLimit, Prefix: "gnn"}
	h, err := train.Run(train.Problem{Graph: gr.g, Loss: loss, Params: params, N: N, Feed: feed},
		train.Adam{LR: tc.LR, WeightDecay: tc.WeightDecay}, rc)
	// The weights of the last completed step, in every case but a failure
	// before any step (then they are the ones we started from).
	if theta, verr := train.Values(gr.n.params()); verr == nil {
		m.theta = theta
	}
	switch {
	case augErr != nil:
		// Feed's error as Augment's check wrote it, without train's
		// "gnn: step N: Feed:" in front of its own "gnn: ".
		return h, augErr
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		h.Stop = "canceled"
	}
	// train.Run's errors start with "gnn: " and match ErrNotFinite (a NaN
	// or Inf loss or gradient, naming the step), ErrInput or the
	// context's error.
	return h, err
}

// augment runs the user's Augment on nodes, recovering a panic, and checks
// that it kept the sizes and left finite values.
func augment(f func([][]float64, *rand.Rand), nodes [][]float64, r *rand.Rand, width int) (err error) {
	defer fail.Recover(&err, "gnn", "TrainConfig.Augment")
	n := len(nodes)
	f(nodes, r)
	if len(nodes) != n {
		return errorf(ErrCallback, "TrainConfig.Augment changed the number of nodes from %d to %d", n, len(nodes))
	}
	for k, row := range nodes {
		if len(row) != width {
			return errorf(ErrCallback, "TrainConfig.Augment left node %d with %d features, want %d", k, len(row), width)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return errorf(ErrNotFinite, "TrainConfig.Augment made node %d feature %d %v", k, j, v)
			}
		}
	}
	return nil
}

// errorTerm returns the mean squared or absolute error of pred against y.
func (b *builder) errorTerm(pred, y *G.Node, l Loss) *G.Node {
	diff := b.Sub(pred, y)
	if l == MAE {
		return b.l1(diff, 1)
	}
	return b.Mean(b.Square(diff))
}

// l1 returns w · mean|x| (mean over every entry), one fused op.
func (b *builder) l1(x *G.Node, w float64) *G.Node {
	return b.Do("mean absolute value", func() (*G.Node, error) { return meanAbs(x, w) })
}
