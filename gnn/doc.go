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
