// Package node will hold neural ordinary differential equations:
// continuous-depth models y(t) = y(0) + ∫ f(y, τ; θ) dτ with fixed and
// adaptive solvers, adjoint gradients in O(1) memory, and the regularizers
// that keep the learned dynamics easy to solve (Kelly et al. 2020; Finlay et
// al. 2020).
//
// Inductive bias: differential equations, hard, general.
//
// Status: not built yet. This package holds no API so far.
package node
