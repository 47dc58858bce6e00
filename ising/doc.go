// Package ising samples Ising models, p(s) ∝ exp(−E(s)/T), on periodic
// d-dimensional lattices and on arbitrary weighted graphs, and measures
// them with error bars a statistical physicist can trust.
//
// Inductive bias: energy-based, hard (every sampler draws exactly from
// p ∝ exp(−E/T); nothing is learned or penalised), explicit (the user
// writes the energy: couplings and fields), general (any lattice or
// weighted graph). The model is the one the rest of physbias grows from
// ("neighbour ⇒ connection"): a Graph here is the same model a Boltzmann
// machine samples (the move lives in internal/spin and is shared with
// package hopfield).
//
// # Models
//
// NewLattice(d, L, J, h) is the nearest-neighbour model on the periodic
// L^d lattice; NewGraph(n, edges, h) has arbitrary couplings J_ij and
// fields h_i. Both satisfy Model.
//
// # Samplers
//
// NewChain(model, Config{T, Algorithm, Seed, Hot}) makes a Markov chain.
// The algorithms: random-site Metropolis (the default), Metropolis in
// checkerboard order, heat-bath (Glauber), Wolff's single-cluster update
// (Wolff 1989, Phys. Rev. Lett. 62, 361), Swendsen–Wang (Phys. Rev. Lett.
// 58, 86, 1987), and MultiSpin: checkerboard Metropolis on 2D lattices with
// 64 spins per machine word, exact 64-bit acceptance and goroutines over
// stripes. Cluster updates work for couplings of any sign and with fields.
// Every sampler is exact in distribution (tests compare each with exact
// enumeration and with Onsager's solution).
//
// # Measurements
//
// Chain.Run records E and M after every sweep; Series.Observables gives
// the energy, |m|, susceptibility, specific heat and Binder cumulant per
// spin, each with a jackknife error bar over blocks of at least 10 τ_int
// and the integrated autocorrelation time (IntegratedTime, Sokal's
// automatic window).
//
// Onsager's exact 2D results (Onsager 1944, Phys. Rev. 65, 117; Yang
// 1952, Phys. Rev. 85, 808) are here for users and tests:
// CriticalTemperature, OnsagerEnergy, OnsagerMagnetization,
// OnsagerSpecificHeat; KaufmanSquare gives the exact partition function,
// energy and specific heat of the finite L×L torus (Kaufman 1949), which
// hold at T_c too.
//
// # Rules
//
// Units: k_B = 1; T, J and h in the same units. Site (x_0, …, x_{d−1}) of a
// lattice is Σ_a x_a L^a. Same seed, same samples — for MultiSpin
// whatever GOMAXPROCS is. Bad input returns an error starting "ising: ";
// nothing panics on user input.
//
// # Errors
//
// Every error matches one of these with errors.Is:
//
//   - ErrInput: a bad argument (d < 1, L < 2, a NaN or overflowing J or h,
//     T not finite and positive, a self-loop or out-of-range edge, a state
//     of the wrong length or with a value other than ±1, an unknown
//     algorithm or one the model does not support, too few records);
//   - ErrNotFinite: NaN or Inf in a series given to IntegratedTime;
//   - ErrZeroValue: a method of a nil or zero Lattice, Graph, Chain or
//     Series.
//
// They are the shared sentinels of physbias (the same values as
// hopfield.ErrInput and so on).
package ising
