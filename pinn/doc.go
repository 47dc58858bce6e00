// Package pinn will hold physics-informed neural networks (Raissi,
// Perdikaris and Karniadakis 2019): a network u(x, t; θ) fits data while the
// residual of a known PDE is penalised, for forward and inverse problems.
//
// Inductive bias: differential equations, soft, application-specific.
//
// Status: not built yet (issue 7). This package holds no API so far.
package pinn
