// Package linalg holds differentiable batched linear algebra for gorgonia
// graphs: a batched small linear solve with its own symbolic derivative, and
// the batched outer product and matrix–vector product that its derivative is
// built from.
//
// It is part of physbias's shared core. Lagrangian neural networks need
// q̈ = M⁻¹ f with M = ∇q̇∇q̇ᵀL a per-sample mass matrix, inside the training
// graph, and gorgonia v0.9.18 has no solve. The bias it serves is hard and
// general: the Euler–Lagrange equations (Cranmer et al. 2020, "Lagrangian
// Neural Networks", arXiv:2003.04630) are solved exactly for q̈, not learned.
//
// # Shapes
//
// A batch of B systems is a float64 node of shape (B, n, n) for the matrices
// (row-major, A[i][r][c]) and (B, n) for the vectors, with 1 ≤ n ≤ MaxN.
// Every function checks ranks, shapes, dtypes and graphs when the graph is
// built and returns an error that starts with "linalg: " otherwise.
//
// # Derivatives
//
// For x = A⁻¹b and an upstream gradient ḡ, the solve's derivative is
// λ = A⁻ᵀḡ (the same Op with its transpose flag set), ∂b = λ and
// ∂A = −λxᵀ (a batched outer product). The outer product and the
// matrix–vector product have symbolic derivatives in terms of each other, so
// every node this package builds can itself be differentiated by gorgonia's
// Grad. Use a single first-order Grad: nested Grad is wrong in gorgonia
// v0.9.18 whatever the Ops (see DESIGN.md).
//
// # Singular systems
//
// Each system is factorised by LU with partial pivoting. A pivot with
// |u_kk| ≤ 1e-12·max|A[i]|, a NaN or an Inf makes the Op fail with a
// *SingularError (or a plain error for non-finite right-hand sides) that
// names the batch element; the error comes back from the VM's RunAll, and no
// Inf or NaN is ever written to the output.
//
// # Hashing
//
// gorgonia deduplicates nodes by the hash of their Op and children, so every
// Op here hashes all of its parameters in full (the transpose flag and the
// exact bits of the scale).
package linalg
