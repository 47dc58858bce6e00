// Package rollout integrates a learned or true vector field forward in
// time for the public packages' Rollout functions (hnn, lnn, and the
// packages that follow their shape): one Method type naming the
// integrators of internal/ode (RK4, Leapfrog, Yoshida4, adaptive
// Dormand–Prince) plus the implicit midpoint rule, a Trajectory of states
// at equally spaced times, and one set of rules for failures.
//
// It carries no inductive bias of its own; it is part of the shared core.
// The symplectic methods are where the energy biases become visible: a
// symplectic integrator keeps the energy error of a Hamiltonian system
// bounded over long times where RK4 lets it drift.
//
// # States
//
// Run integrates a batch: X0 holds one state or several, row after row,
// each of Dim values, and every state of the Trajectory has the same
// layout. All states advance together, so a model is evaluated on one
// batch a stage.
//
// # Separable fields
//
// Leapfrog and Yoshida4 read a state as two halves (q, p) and need
// dq/dt to depend on p only and dp/dt on q only; on any other field they
// give wrong numbers, not an error. Run therefore refuses them unless
// Problem.Separable says the field is separable. The implicit midpoint rule
// is symplectic for any Hamiltonian field (a learned H is in general not
// separable) and needs no such promise.
//
// # Failures
//
// A failure during the run returns the partial Trajectory (every state
// computed before it, at least X0; never a NaN or Inf state) with an
// error: ErrNotFinite when a state stops being finite, the error of
// Problem.Check (for example one matching ErrDiverged) when a state leaves
// the caller's bound, and Func's own error (wrapped with %w, with the time
// added) when the field fails. Invalid problems are errors matching
// fail.ErrInput before anything runs. Messages start with Problem.Prefix
// once.
package rollout
