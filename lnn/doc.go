// Package lnn implements Lagrangian neural networks (Cranmer, Greydanus,
// Hoyer, Battaglia, Spergel and Ho, "Lagrangian Neural Networks", ICLR 2020
// workshop, arXiv:2003.04630) and the Deep Lagrangian Network variant
// (Lutter, Ritter and Peters, "Deep Lagrangian Networks", ICLR 2019): a
// network learns a Lagrangian and the Euler–Lagrange equations give the
// accelerations,
//
//	q̈ = (∇q̇∇q̇ᵀL)⁻¹ [∇qL − (∇q∇q̇ᵀL) q̇],
//
// so the learned flow conserves the learned energy E = q̇·∇q̇L − L exactly
// (up to the integrator), whatever the weights. A baseline network of the
// same size that predicts q̈ from (q, q̇) directly is trained beside it.
//
// Inductive bias: energy-based, hard (the architecture makes the dynamics
// Lagrangian, whatever the weights), implicit (no Lagrangian or energy is
// written down: the network learns it from data; only the Euler–Lagrange
// structure is built in — DeLaN also assumes the form ½q̇ᵀMq̇ − V),
// general: unlike a Hamiltonian network it needs no canonical momenta,
// only coordinates q and their velocities q̇.
//
// # Models
//
// A Model is one of three Kinds, all on softplus MLPs from internal/ad with
// the same hidden sizes:
//
//   - LNN (Cranmer et al.): one network L(q, q̇), no assumed form. q̈ comes
//     from its input gradient and its Hessian rows ∂²L/∂q̇∂(q, q̇), built as
//     graph nodes by internal/ad and solved per sample by the differentiable
//     batched LU solve of internal/linalg. Config.MassEps (default 1)
//     adds ½ε|q̇|² to L, i.e. εI to the mass matrix ∇q̇∇q̇ᵀL: a random
//     softplus Lagrangian has a mass matrix near zero and of either sign,
//     near-singular at some states, and the shift starts training from
//     M ≈ εI (the network can still cancel or rescale the term).
//   - DeLaN (Lutter et al.): L = ½ q̇ᵀM(q)q̇ − V(q) with M = CCᵀ + εI, C(q)
//     lower triangular from a Cholesky network with n(n+1)/2 outputs (the
//     diagonal through softplus, hence positive) and V(q) from a second
//     network. The Euler–Lagrange equations read
//     M q̈ + Ṁ q̇ − ½ ∂(q̇ᵀMq̇)/∂q + ∇V = 0, with
//     Ṁ q̇ = Ċ(Cᵀq̇) + C(Ċᵀq̇), Ċ the Cholesky network's JVP along q̇, and
//     ½ ∂(q̇ᵀMq̇)/∂q the network's VJP with the cotangent q̇(Cᵀq̇)ᵀ read on
//     the lower triangle (times the softplus slope on the diagonal).
//   - Baseline: one network (q, q̇) ↦ q̈ with no structure.
//
// The paper uses 4-600-600-1 softplus networks; the default here is two
// hidden layers of 64, which trains on the double pendulum in under a
// minute on one core. The networks work in time units of τ
// (Config.TimeScale, by default √(rms q / rms q̈) of the data): they see
// (q, τq̇) and give τ²q̈, so inputs and outputs are of order one; for a
// Lagrangian this is only a change of time unit.
//
// # Data
//
// DoublePendulum is the paper's system with its exact equations of motion,
// energy and Lagrangian. Simulate releases it from rest at random angles
// (seeded), integrates with RK4 and samples (q, q̇, q̈) along the
// trajectories; RandomStates samples states directly. A state is
// x = (q₁…qₙ, q̇₁…q̇ₙ); batches are row-major, 2n values a row.
//
// # Rollouts and metrics
//
// Rollout integrates any Dynamics (a Model or the true system) with RK4
// from internal/ode; Evaluate reports the test loss on q̈, the state MSE
// of rollouts against the truth and the drift of the true energy evaluated
// along the predicted trajectories, relative to the energy above the
// minimum: |E(x̂(t)) − E(x(0))| / (E(x(0)) − E_min). Model.Energy gives the
// learned energy q̇·∇q̇L − L, which a Lagrangian model's own flow conserves.
//
// # Results
//
// go run ./examples/lnn (64-64 networks, 3,000 steps, 100 training
// trajectories, 30 s rollouts from 20 test states): mean relative drift of
// the true energy 0.030 for the LNN, 0.022 for DeLaN (largest 0.17 and
// 0.11); the baseline's median rollout drifts by 0.090 and some of its
// rollouts blow up (mean 1.8e21, largest 2.4e24). Evaluate gives these
// numbers; Metrics.EnergyErrCurve is the drift against time.
//
// # Errors
//
// Wrong state dimensions, NaN data and bad configurations return errors
// that start with "lnn: ". A rollout that meets a singular learned mass
// matrix stops with an error wrapping a *SingularError, and one whose state
// blows up (a baseline can) with a *DivergedError; either way it returns
// only the finite states before the failure, never Inf or NaN. Training
// stops with an error at the first NaN or Inf loss or singular mass matrix
// (internal/linalg's solve fails inside the graph).
package lnn
