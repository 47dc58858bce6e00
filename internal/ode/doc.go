// Package ode integrates ordinary differential equations dy/dt = f(t, y) on
// plain []float64 state: the integrators every physbias package shares for
// data generation, rollouts and inference.
//
// It carries no inductive bias of its own; it is the numerical core under
// the energy biases (hnn, lnn, the continuous Hopfield network) and the
// differential-equation biases (node). The symplectic methods are where a
// bias becomes visible: leapfrog and Yoshida's composition preserve phase
// space volume and keep the energy of a Hamiltonian system bounded for
// exponentially long times, where RK4 lets it drift (Hairer, Lubich and
// Wanner, Geometric Numerical Integration, 2006).
//
// # Methods
//
// Fixed-step one-step methods implement [Method]: [Euler] (order 1),
// [RK4] (classical Runge–Kutta, order 4), [Leapfrog] (Störmer–Verlet,
// kick-drift-kick, order 2, symplectic) and [Yoshida4] (Yoshida 1990's
// triple-jump composition of leapfrog, order 4, symplectic). [Solve] runs
// any of them from t0 to t1 with a fixed step. [Adaptive] is the
// Dormand–Prince 5(4) pair (Dormand and Prince 1980) with FSAL, Hairer's
// step-size controller and Hairer's automatic first step (Hairer, Nørsett
// and Wanner, Solving ODEs I, §II.4); its tolerances are required, never
// defaulted. [Adaptive.SolveAt] reads the solution at chosen times from the
// method's continuous extension (dense output) at no extra steps.
//
// [RK] runs any explicit Runge–Kutta [Tableau] — [EulerTableau],
// [MidpointTableau], [RK4Tableau], [BogackiShampineTableau] (3(2)) and
// [DormandPrinceTableau] (5(4), the same arithmetic as [Adaptive]) — with
// fixed steps or, for the embedded pairs, adaptive steps (SciPy's and
// Hairer's controller), on a right-hand side that may fail ([FuncE]),
// returning the state at every requested time (dense output between steps)
// and the accepted and rejected steps. Its [Hooks] see every accepted step's
// stages, which is what node's backpropagation through the solver records.
//
// # Accuracy
//
// The adaptive controller bounds an estimate of each step's local error;
// the global error is typically a few times the tolerance on dissipative or
// neutral problems (tested: ≤ 10 in the weighted RMS norm). On orbits the
// phase error grows along the orbit, and at loose tolerances (1e-3, 1e-4:
// under ten steps an orbit) the estimate undershoots the true error; use
// RTol, ATol ≤ 1e-6 for orbital data.
//
// # Rules
//
// A [Func] writes dy/dt at (t, y) into dydt and must not keep either slice:
// the integrators reuse their buffers. Observers passed to the solvers get
// the solver's own state slice; they must copy it to keep it and must not
// modify it.
//
// Leapfrog and Yoshida4 read y as the two halves (q, p) of a separable
// Hamiltonian system: dq/dt (the first half of dydt) must depend only on p,
// and dp/dt (the second half) only on q. They evaluate f at points where one
// half is stale and use only the half that is valid there, so a
// non-separable f gives wrong answers, not an error. A length that is odd
// is an error.
//
// A Method owns scratch buffers: it is not safe for concurrent use; give
// each goroutine its own (the constructors are cheap).
//
// Integrating backwards in time (t1 < t0) is allowed: [Solve] steps with
// −dt (dt itself must be positive) and [Adaptive.Solve] with negative steps.
// t1 == t0 returns a copy of y0 without evaluating f.
//
// # Errors
//
// Every failure is an error whose message starts with "ode: " and says
// what happened; [errors.Is] tells the condition apart: [ErrInput] (bad
// arguments: empty y0, dt ≤ 0, odd length for a symplectic method, missing
// tolerances), [ErrNotFinite] (NaN or Inf in y0 or produced during the
// run, with the time), [ErrStepLimit] and [ErrStepSize] (adaptive step size
// below MinStep or too small to advance t).
package ode
