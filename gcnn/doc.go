// Package gcnn will hold group-equivariant convolutional networks (Cohen and
// Welling 2016): p4 and p4m lifting and group convolutions and group pooling,
// equivariant to rotations (and reflections) of the input.
//
// Inductive bias: geometric, hard, general.
//
// Status: not built yet. This package holds no API so far.
package gcnn
