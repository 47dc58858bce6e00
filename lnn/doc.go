// Package lnn will hold Lagrangian neural networks (Cranmer et al. 2020) and
// the Deep Lagrangian Network variant (Lutter et al. 2019): a network learns
// L(q, q̇) and the Euler–Lagrange equations give the accelerations,
// q̈ = (∇q̇∇q̇ᵀL)⁻¹[∇qL − (∇q∇q̇ᵀL)q̇].
//
// Inductive bias: energy-based, hard, general.
//
// Status: not built yet (issue 6). This package holds no API so far.
package lnn
