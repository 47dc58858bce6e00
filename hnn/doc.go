// Package hnn implements Hamiltonian neural networks (Greydanus, Dzamba and
// Yosinski, "Hamiltonian Neural Networks", NeurIPS 2019,
// arXiv:1906.01563): a network learns a scalar H(q, p) and Hamilton's
// equations give the dynamics,
//
//	dq/dt = ∂H/∂p,   dp/dt = −∂H/∂q,
//
// so the learned flow conserves the learned energy exactly (up to the
// integrator). A baseline network of the same size that predicts dx/dt
// directly is trained beside it, as in the paper.
//
// Inductive bias: energy-based, hard (the architecture makes the field
// Hamiltonian, whatever the weights), implicit in the dynamics (they come
// from the learned H), application-specific (it needs canonical
// coordinates and a closed, conservative system).
//
// # Systems and data
//
// A System is a struct of functions (Energy H, its gradient Grad, an
// initial-state sampler Initial) for Dof coordinates; a state is
// x = (q₁…qₙ, p₁…pₙ), Dim() = 2n values, and batches are row-major, Dim
// values a row. The paper's three
// tasks ship as MassSpring, Pendulum and TwoBody; a user brings their own
// by filling in a System. Simulate makes a Dataset of noisy states and
// exact time derivatives, split by trajectory into training and test parts;
// System.Paper holds the paper's data-set sizes for the systems shipped.
//
// # Models, training, saving
//
// New(dim, Config) builds a Model (the HNN, or with Config.Baseline the
// baseline MLP); Model.Train(ctx, data, TrainConfig) fits the derivatives
// with Adam. TrainConfig's zero fields are the defaults in their comments
// (weight decay none); PaperTrainConfig returns the paper's settings.
// Cancelling ctx or TrainConfig.TimeLimit stops training between steps and
// keeps the weights of the last completed step. Save and Load (SaveFile,
// LoadFile) write and read a whole model, bit for bit.
//
// # Rollouts and metrics
//
// Rollout integrates any Field (a Model, a System, or a user's own) with
// RK4 (the paper's choice), DormandPrince (adaptive), or a symplectic
// method: ImplicitMidpoint for any H, Leapfrog and Yoshida4 for a System
// declared Separable. It returns a Trajectory. Evaluate reports the paper's
// Table 1 numbers: the test loss on derivatives, and along rollouts from
// the test trajectories' initial states the state MSE and the energy MSE
// (the true H along the predicted trajectory against the true H along the
// true one). A rollout whose energy error passes EvalConfig.DivergeEnergy
// (default 1000·(1 + |H₀|)) or whose state overflows counts as diverged:
// Metrics.Diverged says how many, and the MSEs are over the others.
//
// # Errors
//
// Every error starts with "hnn: " and matches one of the sentinels of
// errors.go with errors.Is:
//   - ErrInput: a bad argument or configuration (odd or zero dimensions,
//     wrong lengths, a negative field, the zero Method, Leapfrog on a field
//     not declared separable, a nil context).
//   - ErrNotFinite: NaN or Inf in data, in a training loss or gradient
//     (training stops there, naming the step) or in a rollout (the partial
//     trajectory comes back with the error).
//   - ErrDiverged: the implicit midpoint iteration did not converge.
//   - ErrCallback: a System function panicked or returned NaN or Inf; the
//     message names it.
//   - ErrCorrupt: Load got a truncated, corrupted or foreign file.
//   - ErrZeroValue: a method of a Model not made by New or Load.
//
// Training stopped by ctx returns an error matching context.Canceled (or
// context.DeadlineExceeded).
package hnn
