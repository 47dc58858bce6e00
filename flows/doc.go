// Package flows will hold Hamiltonian normalizing flows (Toth et al. 2019,
// Neural Hamiltonian Flow): Hamiltonian dynamics integrated with leapfrog is
// volume preserving, so the log-density of the flow is exact.
//
// Inductive bias: energy-based, hard, general.
//
// Status: not built yet. This package holds no API so far.
package flows
