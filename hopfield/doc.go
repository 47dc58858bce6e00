// Package hopfield holds Hopfield networks: classical binary (Hopfield 1982),
// continuous (Hopfield 1984), the Boltzmann machine at temperature T, and the
// modern dense Hopfield layers of Ramsauer et al. (2020).
//
// Inductive bias: energy-based, hard, general — neurons updated like the
// cells of an Ising model.
//
// Status: not built yet (issue 5). This package holds no API so far.
package hopfield
