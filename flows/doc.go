// Package flows holds Hamiltonian normalizing flows: the Neural Hamiltonian
// Flow of Toth, Rezende, Jaegle, Racanière, Botev and Higgins ("Hamiltonian
// Generative Networks", ICLR 2020, arXiv:1909.13789), a RealNVP
// coupling flow as its baseline (Dinh, Sohl-Dickstein and Bengio, ICLR
// 2017), and four 2-D test densities with exact log-densities.
//
// Inductive bias: energy-based, hard (whatever the weights, the flow is the
// leapfrog integration of a Hamiltonian, so it preserves phase-space volume
// and its log-determinant is exactly zero), implicit (the Hamiltonian
// H(q, p) = K(p) + V(q) is learned, not written down), general (any data
// dimension; nothing about the data is assumed).
//
// # The flow
//
// A state is (q, p) with q the data point and p an auxiliary momentum of the
// same dimension. The base density is N(0, I) on (q₀, p₀). Leapfrog steps
// of the learned Hamiltonian,
//
//	p ← p − (h/2)∇V(q),  q ← q + h∇K(p),  p ← p − (h/2)∇V(q),
//
// are shears, so each has Jacobian determinant 1, and running them with −h
// inverts them. NHFConfig.Stages composes several such flows, each with its
// own K and V: one time-independent Hamiltonian only moves points along its
// own energy shells, and on the two moons 5 stages of 2 steps reached a test
// log-likelihood of −2.76 where one stage of 10 steps with twice the width
// reached −3.12 (both after 500 steps). Either way the flow's joint density
// is exact:
// log p(q, p) = log N(leapfrog⁻¹(q, p)). The momentum is integrated out with
// a Gaussian encoder f(p|q) = N(μ(q), diag e^{2s(q)}), as in the paper:
//
//	log p(q) ≥ E_{p∼f(p|q)} [log p(q, p) − log f(p|q)]   (the ELBO; NHF.Train maximises it),
//
// and NHF.Bound gives the tighter importance-weighted bound with k
// momenta (Burda, Grosse and Salakhutdinov 2016), which NHF.LogProb uses
// to report test log-likelihoods. ∇V and ∇K are exact input gradients of
// tanh MLPs from internal/ad's fused ops, inside the training graph, so
// Adam trains through every leapfrog step with gorgonia's one first-order
// Grad. After training, sampling and evaluation run in plain Go.
//
// Leapfrog and LeapfrogInverse run the same map for a user's own Separable
// Hamiltonian (for example H = |p|²/2 + V(q) of a physical system).
//
// # A user's own K and V
//
// NewNHFNetworks takes K(p) and V(q) as any gorgonia graphs (Network: a
// Build that makes the parameters and returns a function of the input
// node), for example a kinetic energy with learned masses or a network with
// a skip connection. ∇K and ∇V inside the training graph then come from
// internal/grad, the core's general reverse pass (exact to any order), and
// outside it from a small compiled graph of the same gradient; the fused
// tanh MLP of NewNHF stays the default and the fast path, and the two agree
// where both apply (the same tanh network written in gorgonia's ops gives
// the fused path's log-densities to 2e-15). Inside a Network, use Reshape,
// not G.Reshape. A model of user networks saves with Save and loads with
// LoadNHFNetworks and the same K and V.
//
// # The baseline
//
// RealNVP stacks affine coupling layers y = x⊙e^{s} + t on alternate halves
// of the coordinates, with s = tanh(S(kept half)) and t = T(kept half) from
// tanh MLPs; its log-determinant is Σ s, exact. Its data dimension must be
// even.
//
// # Densities
//
// GaussianRing, TwoMoons, ConcentricRings and Checkerboard sample seeded
// 2-D points and give their own exact log-density, so a learned flow's test
// log-likelihood has a ceiling to be compared with.
//
// # Rules
//
// Points are rows of Dim float64 values in one row-major slice. Models
// follow the shape of every physbias package: NewNHF/NewRealNVP with a
// config whose zero value means the defaults in its comments; Train(ctx,
// data, TrainConfig) with minibatch Adam, a time limit and cancellation;
// Save/Load (bit-identical predictions after loading). A nil context is an
// error (ErrInput); History is the History of every physbias package.
// Errors start with "flows: " and match, with errors.Is:
//
//   - ErrInput: a bad argument, configuration, shape or size (an odd
//     dimension for RealNVP, a step size ≤ 0, rows of the wrong width);
//   - ErrNotFinite: NaN or Inf in data, or in a loss or gradient during
//     training (which then stops and names the step);
//   - ErrCorrupt: a model file that is truncated, corrupted or foreign;
//   - ErrZeroValue: a method of a model not made by its New or Load;
//   - ErrCallback: a Separable's gradient function or TrainConfig.Progress
//     panicked, or a user's Network failed, panicked, returned a wrong
//     shape or parameters that are unnamed, not float64, or named twice.
//
// Training a flow is stochastic only through its seeds: the same
// NHFConfig.Seed, RealNVPConfig.Seed and TrainConfig.Seed give
// bit-identical weights.
package flows
