// Package gnn holds networks on sets and graphs: the Graph Network block
// (Battaglia et al. 2018, "Relational inductive biases, deep learning, and
// graph networks", arXiv:1806.01261), DeepSets (Zaheer et al. 2017) and
// interaction networks (Battaglia et al. 2016), with the n-body data and
// the analysis of Cranmer et al. 2020 ("Discovering Symbolic Models from
// Deep Learning with Inductive Biases", NeurIPS 2020): a graph network
// trained on particles with sparse messages learns messages that are linear
// transforms of the true pairwise forces, and a symbolic fit on them reads
// off the force law.
//
// Inductive bias: geometric (permutation invariance and equivariance),
// hard (every update network acts on each edge, node or graph alike, and
// the aggregations are symmetric, so relabelling the nodes relabels the
// outputs whatever the weights), general (any graph, any features).
//
// # The block
//
// A Graph has node, edge and global features and directed edges from
// Senders to Receivers. Config describes the block: an edge update
// φᵉ([e, v_receiver, v_sender, u]), a node update φᵛ([v, ρ(messages in), u])
// and a global update φᵘ([ρ(all messages), ρ(all nodes), u]), each a dense
// network, with ρ a sum, a mean or a max (Aggregation). DeepSets and
// InteractionNetwork return the Configs of those two special cases
// (PaperInteractionNetwork: Cranmer et al.'s 3×300 ReLU networks). New
// makes a Model; Apply runs it on a batch of graphs of any sizes (graphs
// without edges and without nodes included: an empty reduction is zero) and
// returns output graphs whose Edges are the messages.
//
// The reductions are the segment-sum, segment-mean and segment-max ops of
// internal/segment, whose gradients are hand-written (a row gather, a
// routed gather); their cost is linear in the number of edges, where
// gorgonia's dense incidence matrices grow as nodes × edges.
//
// # Training
//
// Train fits node targets (accelerations) and/or global targets with Adam,
// minimising the mean squared or absolute error, with an optional L1
// penalty on the messages (TrainConfig.MessageL1); a message size equal to
// the spatial dimension is the paper's bottleneck model. Data sets whose
// graphs share one structure (all n-body states) train in minibatches on a
// graph built once; others train full batch. TrainConfig.Augment changes
// each minibatch graph before a step; TranslatePositions is the paper's
// random shift of all positions, which teaches the network that forces
// depend on differences of positions. Save and Load keep a model bit for
// bit.
//
// # n-body data and force laws
//
// Simulate makes the paper's kind of data from a System: particles
// interacting in pairs, integrated by leapfrog, each recorded state a fully
// connected graph with node features [x, v, q, m] and the exact
// accelerations as targets, a held-out part in Dataset.Test.
// Potential.System gives the paper's systems (springs, 1/r, 1/r² and
// charge potentials in 1-D to 3-D, with Cranmer et al.'s initial states
// and data sizes in System.Paper; RandomInitial changes the mass spread);
// a user's own law is a Force function.
// Potential.Edges tabulates per edge the offset Δx, the distance,
// the masses and charges and the true force; FitMessages fits the most
// significant message components linearly to the forces and reports R²;
// FitLaw searches laws y ≈ b + Σ (a·Δx)·s·r^p over scalings s (1, masses,
// charges, and a force divided by the receiver's charge or mass: a field or
// an acceleration) and one or two powers p, and returns the simplest good
// one: from
// exact spring forces it returns F = 2·Δx/r − 2·Δx, the spring law with
// rest length 1.
//
// # Cranmer et al. 2020's setup, as their code has it
//
// Read from the paper's code, github.com/MilesCranmer/symbolic_deep_learning
// (simulate.py, models.py) and its demo notebook GN_Demo_Colab.ipynb; the
// paper's own table of test losses could not be read where this was
// written, so what its numbers are normalised by is not known here.
//   - Systems: 1/r (step 0.005), 1/r² (0.001), springs (0.01) and charges
//     (0.001), 4 or 8 bodies in 2-D or 3-D, with d = |Δx| + 0.01 (added, not
//     in quadrature as here): U = m_i m_j log d, −m_i m_j/d, (d − 1)²,
//     q_i q_j/d. The 1/r² system is gravity-like (masses, no charges); the
//     charge system has both, and its accelerations are q_i q_j Δx/(m_i d³).
//   - Initial states: every node feature N(0, 1), then masses exp(·) for
//     every system and charges sign(·) for charges: masses exp(N(0, 1))
//     everywhere (RandomInitial(1)). No noise is added to the targets.
//   - Recording: an adaptive ODE solver (jax odeint), 500 outputs a step
//     apart, every fifth kept: 100 states for each of 10,000 systems, 10⁶
//     graphs. The held-out quarter is the last 25% of a time-major
//     concatenation, that is the last 25 recorded states of every system,
//     not whole systems as Dataset.Test holds.
//   - Model: message and node networks of three hidden layers of 300 ReLU
//     units (PaperInteractionNetwork), sum aggregation, 100 message values
//     (the bottleneck: the dimension).
//   - Training: Adam at most 1e-3 with weight decay 1e-8 under a one-cycle
//     schedule (PyTorch's OneCycleLR, final_div_factor 1e5), minibatches of
//     64 graphs, 5,000 steps an epoch, "200 epochs for full version" (10⁶
//     steps; the demo runs 30); every graph's positions shifted by one
//     N(0, 3²) offset a step (TranslatePositions(dim, 3)); the loss is
//     Σ|a − â| over the batch divided by its number of graphs, that is 8
//     times Train's mean per value for 4 bodies in 2-D.
//   - The L1 penalty: 1e-2 · Σ|message| over the 12 edges of one graph of
//     the batch, divided by 4 bodies, per graph: with the loss divided by 8
//     to Train's units, MessageL1 = 1e-2·12/(4·8) = 3.75e-3
//     (PaperTrainConfig; Train averages the penalty over every edge of the
//     batch, not one graph's: the same in expectation).
//   - The reported test loss of the demo is Σ|a − â| per graph, 8 times
//     Evaluate's mean per value for 4 bodies in 2-D. Message analysis: the
//     two message components of largest standard deviation on 1,000 test
//     graphs, fitted by a linear map of the true force over the 90% of edges
//     it fits best.
//
// # Errors
//
// Every error starts with "gnn: " and matches one of ErrInput (edge
// indices out of range, feature sizes that disagree with the Config,
// targets that disagree with the graphs, bad configurations), ErrNotFinite
// (NaN or Inf features or targets, or a loss or gradient during training),
// ErrCorrupt (a file Load cannot read), ErrZeroValue (a Model not made by
// New or Load) or ErrCallback (TrainConfig.Augment panicked or changed
// sizes; a System's Force or Initial panicked or drew a non-positive
// mass), or context.Canceled when Train's context is cancelled.
package gnn
