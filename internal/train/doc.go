// Package train is the training loop every physbias package shares: Adam
// (in place, the update of PyTorch's Adam) and L-BFGS (gonum/optimize) over the parameters of a
// gorgonia graph, seeded minibatches, progress reporting, a stop with a
// clear error at the first NaN or Inf, and checkpoints that save and load
// parameters bit for bit.
//
// It carries no inductive bias of its own; it is part of the shared core
// (internal/) on which the biases stand.
//
// # Who calls Grad
//
// Run calls G.Grad(Loss, Params...) itself, once per Problem: build the
// graph up to the scalar loss and do not call G.Grad on it. A second Run on
// the same Problem (Adam, then L-BFGS) finds the gradient nodes already
// there and reuses them. Gorgonia's nested Grad is wrong (see DESIGN.md), so
// Run refuses a graph in which G.Grad was called for some other cost.
//
// # Steps, batches and Feed
//
// A step is one forward and backward pass followed by one optimizer update
// (Adam) or one major iteration (L-BFGS, which may evaluate the loss several
// times in its line search). Steps are counted from 1: the error
// "train: step 17: loss is NaN" means that the 17th forward pass gave NaN,
// before its update was applied.
//
// With Config.BatchSize 0 the whole data set is used at every step: Feed (if
// set) is called once, at the start of Run, with idx = 0..N-1. With
// BatchSize B > 0 Feed is called before every step with B indices. Graphs
// have static shapes, so every batch has exactly B indices: the indices are
// consecutive chunks of a stream made of seeded random permutations of
// 0..N-1, one permutation per epoch. Every sample appears exactly once in
// each epoch (each run of N positions of the stream); a batch that straddles
// two epochs may hold the same sample twice. The idx slice is reused: Feed
// must not keep it.
//
// # Graphs
//
// Run compiles a tape machine over the whole graph each time it is called
// and adds one G.Read node for the loss; it is not safe to run two Runs on
// one graph at once. Parameters must be input nodes with values (G.WithValue
// or G.WithInit) and, for checkpoints and readable messages, names
// (G.WithName). Initialise them from internal/rng, not with gorgonia's
// random initialisers (GlorotN, Gaussian, Uniform and friends seed a new
// generator from the clock on every call).
//
// # Numbers
//
// Parameters must be float64 (tensors of any shape, or scalars). The loss
// of each step is read with G.Read, never from Loss.Value(), because the
// tape machine reuses memory. Gradients accumulate across RunAll calls in
// gorgonia; Run zeroes them before every evaluation.
//
// # Stopping early and errors
//
// Config.Context (cancellation, deadlines) and Config.TimeLimit (a budget
// of wall time) stop a run between steps; the parameters keep the values
// of the last completed step (for L-BFGS, of the last completed major
// iteration, even when the stop comes inside a line search). A cancelled
// context makes Run return an error wrapping the context's error; the
// time limit returns no error and History.Stop "time limit". A NaN or Inf
// returns an error matching fail.ErrNotFinite, invalid settings one
// matching fail.ErrInput. Run's messages start with Config.Prefix (a
// package's name), so a package returns them as they are and prefixes do
// not stack ("hnn: step 17: loss is NaN").
//
// # Checkpoints
//
// Save writes the parameters by name: a magic string, then for each one its
// name, its shape and its values as IEEE-754 bits (little endian), then a
// SHA-256 of everything before it. Load checks the checksum and every name
// and shape before it writes anything, and errors (never panics) on any
// truncated or corrupted input.
//
// # Model files
//
// SaveModel writes a whole model: a kind tag naming the package's type and
// its format version ("hnn.Model v1"), the model's Config as JSON, and the
// parameters in the checkpoint format, under one SHA-256. A package loads
// one in three moves: ReadModel checks the file and the kind tag and
// decodes the Config; the package builds a fresh model from that Config;
// ModelFile.LoadParams puts the parameters in, bit for bit. Every problem
// with the file's content matches fail.ErrCorrupt. LoadModel and
// SaveModelFrom (and their File forms) are a package's Load and Save in one
// call each.
//
// # Public configurations
//
// Fields checks and fills in the numeric fields of a package's Config and
// TrainConfig (counts, rates, penalties, time limits) with one wording:
// "hnn: TrainConfig.Steps is -1; must be ≥ 0 (0 means 2000)".
package train
