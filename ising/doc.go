// Package ising samples lattice spin systems and Ising models on weighted
// graphs at temperature T, p(s) ∝ exp(−E(s)/T).
//
// Inductive bias: energy-based, explicit, general. The model is the one the
// rest of physbias grows from: "neighbour ⇒ connection".
//
// Status: not built yet (issue 4). This package holds no API so far.
package ising
