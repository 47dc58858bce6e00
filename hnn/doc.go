// Package hnn will hold Hamiltonian neural networks (Greydanus, Dzamba and
// Yosinski 2019): a network learns H(q, p) and Hamilton's equations give the
// dynamics, so the learned flow conserves the learned energy.
//
// Inductive bias: energy-based, hard, application-specific.
//
// Status: not built yet (issue 6). This package holds no API so far.
package hnn
