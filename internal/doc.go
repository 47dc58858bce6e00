// Package internal is the root of physbias's shared core. Its subpackages
// hold what more than one bias needs: exact input derivatives on gorgonia,
// integrators, training loops, checkpoints, seeded random streams, samplers
// of binary units, BLAS selection and plotting. Packages outside this module
// cannot import them; each physbias package re-exports what its users need.
package internal
