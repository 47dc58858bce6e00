// Package hnn implements Hamiltonian neural networks (Greydanus, Dzamba and
// Yosinski, "Hamiltonian Neural Networks", NeurIPS 2019): a network learns
// a scalar H(q, p) and Hamilton's equations give the dynamics,
//
//	dq/dt = ∂H/∂p,   dp/dt = −∂H/∂q,
//
// so the learned flow conserves the learned energy exactly (up to the
// integrator). A baseline network of the same size that predicts dx/dt
// directly is trained beside it, as in the paper.
//
// Inductive bias: energy-based, hard (the architecture makes the field
// Hamiltonian, whatever the weights), application-specific (it needs
// canonical coordinates and a closed, conservative system).
//
// # Data
//
// The paper's three tasks are simulated here with a seed: MassSpring,
// Pendulum and TwoBody return a System (its true H, Hamilton's equations,
// its initial-state sampler and the paper's data-set sizes) and Simulate
// makes a Dataset of noisy states and exact time derivatives split by
// trajectory into training and test parts. A state is x = (q₁…qₙ, p₁…pₙ);
// batches are row-major, Dim values a row.
//
// # Training and metrics
//
// New builds a Model (the HNN, or with Config.Baseline the baseline MLP);
// Model.Train fits the derivatives with Adam and returns a History.
// Rollout integrates any Field (a Model or a System) with RK4 (the
// paper's choice) or the implicit midpoint rule, which is symplectic for
// any H, separable or not. Evaluate reports the paper's Table 1 numbers:
// the test loss on derivatives, and along rollouts from the test
// trajectories' initial states the state MSE and the energy MSE, the true
// H along the predicted trajectory against the true H along the true one.
//
// # Errors
//
// Wrong state dimensions, odd phase-space dimensions, NaN data and bad
// configurations return errors that start with "hnn: "; training stops
// with an error at the first NaN or Inf loss.
package hnn
