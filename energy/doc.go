// Package energy will hold energy-based models: learn E(x) (or E(y, x)) low
// on data and high elsewhere; contrastive losses, contrastive divergence
// (CD-k, persistent CD), restricted Boltzmann machines and Langevin sampling
// (LeCun et al. 2006; Hinton 2002).
//
// Inductive bias: energy-based, soft, general.
//
// Status: not built yet. This package holds no API so far.
package energy
