// Package node holds neural ordinary differential equations: continuous-depth
// models y(t) = y(0) + ∫ f(y, τ; θ) dτ whose right-hand side f is a network
// (Chen et al., "Neural Ordinary Differential Equations", NeurIPS 2018), the
// solvers that integrate them, their gradients, the regularizers that keep
// learned dynamics easy to solve, and continuous normalizing flows. It is the
// Go counterpart of torchdiffeq and diffrax.
//
// Inductive bias: differential equations; hard (the model is an ODE: its
// predictions are a flow, continuous in time and invertible); implicit (the
// dynamics are learned, not given); general (any state, any network).
//
// # Solvers
//
// Solve integrates a user's Func with Euler, Midpoint, RK4, BogackiShampine
// (3(2)), DormandPrince (5(4)), or, for separable Hamiltonian systems,
// Leapfrog and Yoshida4 (refused unless Options.Separable promises that f is
// one). Each Solver states its Order, which the tests
// measure as a log-log slope. Options choose fixed steps (Dt) or, for the
// two embedded pairs, adaptive steps with RTol and ATol, which have no
// default: leaving them unset is an error that says so. Adaptive solves
// read interior output times from the pair's dense output; a Solution
// reports NFE and accepted and rejected steps. The step-size controller is
// SciPy's and Hairer's: bench/node_scipy.sh finds the same NFE and the same
// errors as SciPy's solve_ivp(method="RK45") on four problems at two
// tolerances.
//
// # Models and gradients
//
// A Model's f is the built-in MLP (New) or any gorgonia graph of (y, t) a
// user builds (NewNetwork with a Network). States are batches: B·Dim()
// values, one row per sample. Gradient returns the gradient of a linear
// functional of the solution (a vector–Jacobian product of the solution
// map) with respect to y(0), θ and the last time, by one of two methods:
//
//   - Backprop: reverse-mode differentiation of the solver's own steps,
//     written out as the discrete adjoint of the Runge–Kutta stages. Exact
//     for the computed solution; memory grows with the steps.
//   - Adjoint: the adjoint system solved backwards (Chen et al. 2018), with
//     the forward state restarted at each output time. Memory does not grow
//     with the steps.
//
// The built-in MLP runs on a fused plain-Go path (Solve, Field, Gradient,
// Train with or without regularizers, and the CNF's Train and LogDensity):
// batched products on the core's GEMM, the activations of every stage
// evaluation kept on a tape that the model reuses between calls, and each
// stage's vector–Jacobian product one reverse pass over them, without
// evaluating f again. A user's Network runs on a compiled gorgonia graph,
// one reverse pass of gorgonia's Grad per stage; so can the built-in MLP,
// and that path stays the reference. The two give the same solutions and
// gradients to rounding (tests: within 2e-14 relative with fixed steps,
// with and without regularizers and traces; measured 4.8e-15).
// BenchmarkGradMemory measures memory against the steps: on the
// fused path the adjoint allocates the same at 10 and at 640 steps and
// keeps the same states, while backprop's allocations and kept states grow
// in proportion.
//
// The two agree with each other and with finite differences within 1e-5
// relative (tests).
//
// # Training and regularizers
//
// Model.Train fits windows of observed trajectories (torchdiffeq's
// batch_time) with Adam. TrainConfig adds the regularizers of Finlay et
// al. 2020 ("How to train your neural ODE"): the kinetic energy ∫‖f‖² dt
// and the Jacobian's Frobenius norm ∫‖∂f/∂y‖²_F dt by Hutchinson's estimator,
// and of Kelly et al. 2020 ("Learning differential equations that are easy
// to solve"): ∫‖dᴷy/dtᴷ‖² dt, the K-th total time derivative along the flow
// (K = 2 by default: the JVP of f along (f, 1)). These integrands contain
// derivatives of f, so their gradients are second or higher derivatives.
// For the built-in MLP the fused path runs forward tangents of f beside it
// ((ε, 0) for Hutchinson's probe, (f, 1) for Kelly's K = 2, the unit
// vectors for a CNF's exact trace), stacked as rows of one product a
// layer, and their reverse pass (forward-over-reverse: σ″ joins the
// hidden layers' cotangents); BenchmarkStepRegularized times it against
// the gorgonia kernel, where internal/ad's fused ops, which have
// hand-written backward ops, give the same tangents to one first-order
// Grad. Kelly's K ≥ 3 runs on the fused path by Taylor mode along the
// flow: the coefficients y_k of y(t+s) = Σ y_k s^k from y_{k+1} = f_k/(k+1),
// K − 1 more passes through the network (σ's derivatives to order K), and
// their reverse pass; internal/ad's ops cannot be differentiated twice, so
// the gorgonia kernel of the built-in MLP refuses K ≥ 3. For a user's
// Network the derivatives come from internal/grad, the core's general
// reverse pass, to any order (tests: the fused Taylor mode and a Network
// with the MLP's weights agree to 2.8e-15 relative for K = 3, 4, 5).
// gorgonia's nested Grad, which is wrong, is never used.
//
// # Continuous normalizing flows
//
// CNF is a continuous normalizing flow (Chen et al. 2018; Grathwohl et al.
// 2019, FFJORD): log p(x) = log N(z(0)) − ∫ tr(∂f/∂z) dt, with the exact trace
// (one forward tangent per dimension, for low-dimensional data) or
// Hutchinson's estimator in training. Its density integrates to 1 on a grid
// (tested within 1e-2; measured 2e-5).
//
// # Errors
//
// Messages start with "node: ". Match with errors.Is: ErrInput (bad
// arguments, shapes, configuration, missing tolerances, times out of order),
// ErrNotFinite (NaN or Inf in data, states, losses or gradients),
// ErrStepLimit and ErrStepSize (adaptive solves), ErrCallback (a Func or
// Network that panics, fails or returns the wrong shape; the user's own
// error stays matchable), ErrCorrupt (an unreadable saved model) and
// ErrZeroValue (a Model or CNF not made by New or Load). Train stops with
// an error matching context.Canceled when its context is cancelled.
//
// A Model and a CNF keep compiled graphs and reused buffers: they are not
// safe for concurrent use.
package node
