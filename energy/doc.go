// Package energy holds energy-based models: learn an energy E(x) (or
// E(y, x)) that is low on data and high elsewhere (LeCun, Chopra, Hadsell,
// Ranzato & Huang 2006, "A tutorial on energy-based learning").
//
// Inductive bias: energy-based, soft, general. The model is a density
// p(x) ∝ exp(−E(x)) or a compatibility E(y, x); nothing is hard-wired into
// the architecture, the training pushes energy down on data and up on
// samples from the model (contrastive divergence) or on the most offending
// wrong answers (contrastive losses).
//
// # Restricted Boltzmann machines
//
// RBM is a restricted Boltzmann machine with binary hidden units and binary
// or unit-variance Gaussian visible units, trained by CD-k (Hinton 2002) or
// persistent CD (Tieleman 2008) with Train. Its Gibbs steps use the same
// heat-bath conditional as internal/spin (ising, hopfield), applied to a
// whole layer at once with two matrix products. LogPartition gives log Z
// exactly for small models (2^24 states of the smaller layer at most); AIS
// estimates it by annealed importance sampling (Salakhutdinov & Murray 2008)
// with its ±3σ error bar, for larger ones; LogLikelihood turns log Z into
// the average log-probability of data.
//
// # Errors
//
// Functions return errors (never panic on user input) whose messages start
// with "energy: " and that match, with errors.Is, the shared sentinels
// ErrInput (bad sizes, shapes, configs, k < 1, non-binary data for binary
// units), ErrNotFinite (NaN or Inf data, losses or parameters; training
// stops at the first), ErrCorrupt (a file Load cannot read), ErrZeroValue (a
// method on a model not made by New or Load) and ErrCallback (a user's
// energy function that panicked or returned the wrong shape); a cancelled
// context gives an error matching context.Canceled.
package energy
