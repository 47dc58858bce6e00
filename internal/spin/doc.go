// Package spin samples binary ±1 units on a sparse weighted graph at
// temperature T: the move shared by the Ising models of package ising, the
// Boltzmann machine of package hopfield and the Gibbs steps of an RBM.
//
// # The model
//
// A Graph holds symmetric couplings J_ij (no self-loops) and fields h_i.
// A state s has s_i ∈ {−1, +1} and energy
//
//	E(s) = −Σ_{i<j} J_ij s_i s_j − Σ_i h_i s_i,
//
// and the samplers leave the Boltzmann distribution p(s) ∝ exp(−E(s)/T)
// invariant.
//
// # Rules
//
// NewGraph validates everything it is given and returns an error that starts
// with "spin: ". The sweeps are hot loops and do not validate: callers check
// a state once with Graph.CheckState and a temperature with
// CheckTemperature (T must be finite and > 0) before sampling; CheckState
// also rejects a nil Graph or one not made by NewGraph. A state of the wrong
// length makes a sweep panic; a bad temperature gives meaningless samples.
// Energy, LocalField, Field and Neighbors do not validate either: a unit
// index outside [0, N) or a state shorter than N panics like a slice index.
// Boltzmann validates its graph and temperature.
package spin
