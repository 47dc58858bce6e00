// Package pinn holds physics-informed neural networks (Raissi, Perdikaris
// and Karniadakis 2019, J. Comput. Phys. 378, 686–707): a network u(x, t; θ)
// fits data and initial and boundary conditions while the residual of a
// known PDE is penalised at collocation points, for forward problems
// (solve the PDE) and inverse ones (learn unknown coefficients from
// observations).
//
// Inductive bias: differential equations; soft (the PDE is a penalty, not
// a constraint of the architecture), explicit (the user writes the PDE),
// application-specific (one network per PDE and domain). Boundary and
// initial conditions can be soft (penalties) or hard: the output transform
// u = g + d(p)·N(p), with d vanishing on the constrained faces, meets them
// exactly for every θ.
//
// # Using it
//
// A Problem is a Domain (a box in space, optionally times a time interval;
// a point is p = (x_1, …, x_d, t)), a ResidualFunc, Conditions (Dirichlet,
// Neumann, Periodic, Initial, and InitialRate for the initial velocity of
// an equation of second order in time), optional Data and optional
// Unknowns. The
// residual is written with the Fields it is given: u, u_t, u_x, u_xx,
// second and mixed derivatives, the Laplacian, coordinates, source terms
// and unknown coefficients, each a *Node ((B, 1) columns; coefficients are
// scalars), combined with the Fields helpers (Add, Sub, Mul, Div, Scale,
// Shift, Neg, Pow, Square, Sqrt, Abs, Exp, Log, Log1p, Sin, Cos, Tanh,
// Sigmoid, Softplus, Const), so no gorgonia import is needed:
//
//	Residual: func(f *pinn.Fields) (*pinn.Node, error) { // Burgers
//		return f.Sub(f.Add(f.Ut(), f.Mul(f.U(), f.Ux(0))), f.Scale(nu, f.Uxx(0))), nil
//	}
//
// New draws the points (Latin hypercube or uniform; collocation, per face,
// initial), builds the network and the loss Σ w_k·mean(r_k²), and
// Train(ctx, TrainConfig) runs the listed phases (nil: DefaultPhases, Adam
// then full-batch L-BFGS, as the paper does). A context stops training
// after the current step, TrainConfig.TimeLimit caps its wall time, and
// TrainConfig.Progress (ProgressBar makes one) reports each phase. Refine
// adds collocation points where the residual is largest (residual-based
// adaptive refinement). Predict, Derivatives (u, its gradient and Hessian
// at new points) and Residual evaluate the trained model; Coef reads a
// learned coefficient; Config returns the configuration with defaults
// filled in. Save and SaveFile write the model (Config, refined points,
// weights and coefficients bit for bit); Load and LoadFile read it back for
// the same Problem (whose functions no file can hold), predicting
// bit-identically.
//
// # Hard PDEs
//
// A vanilla PINN fails on stiff or fast problems such as Allen–Cahn or
// advection at high speed: it settles on a trivial solution or violates
// causality, fitting late times before early ones. The methods of Wang et
// al. (2023, "An expert's guide to training physics-informed neural
// networks", JAX-PI) are options of Config and one function:
//
//   - Config.Causal: causal training (Wang, Sankaran and Perdikaris 2022):
//     the residual weighted by time slabs, w_i = exp(−ε Σ_{k<i} L_k), with
//     the paper's ε schedule and stopping rule (History.Stop StopCausal);
//     CausalWeights is the rule, CausalState where it stands.
//   - Config.Balance: loss weights from the norms of the terms' gradients
//     (learning-rate annealing, Wang, Teng and Perdikaris 2021);
//     BalanceWeights is the rule, Weights the weights in use.
//   - Config.Fourier: the periodic embedding, a hard constraint that makes
//     u exactly periodic in the listed dimensions (their Periodic
//     conditions leave the loss), and random Fourier features.
//   - Config.Architecture = ModifiedMLP: two encoders gating every hidden
//     layer (Wang, Teng and Perdikaris 2021).
//   - March: time marching, one model per time window, each starting from
//     the previous window's solution and weights.
//
// The dense MLP, alone or on the periodic embedding, runs on the fused path
// of internal/ad (on the embedding, by the chain rule through its exact
// derivatives, about 2.4 times a plain step); random features and the
// modified MLP are built from gorgonia's ops and differentiated by the
// core's general reverse pass, internal/grad (about 12 times a plain step
// here: reverse-over-reverse instead of forward jets).
//
// AllenCahn is the benchmark's reference: a Fourier spectral method with
// ETDRK4 in time (Cox and Matthews 2002; Kassam and Trefethen 2005),
// tested to converge at fourth order; AllenCahnProblem is the benchmark.
//
// # Rules
//
// The derivatives are exact: forward jets through the network built as
// gorgonia nodes (internal/ad), never nested Grad. Inputs are scaled to
// [−1, 1] inside the model and derivatives are returned in the domain's
// coordinates. Under hard constraints the lift g must be smooth: its
// derivatives are taken by 4th-order finite differences at fixed points,
// once. Neumann, periodic and initial-rate conditions stay penalties in
// both modes.
//
// The residual is called once on a probe graph (never run) with one
// placeholder per collocation point, to learn which derivatives it needs
// and to check that it returns one value per point, and then once per
// graph built. Every input is validated, nothing panics on user input, and
// the same Config.Seed gives the same points, weights and result.
//
// # Errors
//
// Every error starts with "pinn: " once and matches one of these with
// errors.Is (causes are wrapped with %w):
//
//   - ErrInput: an invalid Problem, Config, TrainConfig, phase, point set
//     or argument (an empty domain, no collocation points, a point of the
//     wrong length, a Problem given to Load that is not the saved one, a
//     negative ε, a time slab with no collocation point, a periodic
//     embedding on a dimension without a Periodic condition, causal
//     training on a steady problem, zero March windows);
//   - ErrNotFinite: NaN or Inf in data, points, a condition value, a
//     source term or the lift; training stops at the first NaN or Inf in
//     the loss or its gradient, naming the phase and step;
//   - ErrCallback: the residual (or a condition's Value, a Source, the
//     Lift, March's train function) panicked or returned an error, or the
//     residual returned a node of the wrong shape (the message gives the
//     shape the user's points imply);
//   - ErrCorrupt: a saved model that is truncated, corrupted or not a pinn
//     model;
//   - ErrZeroValue: a method of a nil or zero Model.
//
// A cancelled context gives an error matching context.Canceled.
//
// The package also holds the reference solutions its tests and examples
// are judged against: Burgers by the Cole–Hopf transform with Gauss–Hermite
// quadrature (checked against a finite-difference solve and the published
// steepest slope 152.00516 of Basdevant et al. 1986), the heat equation in
// closed form, and Allen–Cahn by ETDRK4 (AllenCahn).
package pinn
