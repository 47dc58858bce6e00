// Package gnn will hold networks on sets and graphs: Graph Network blocks
// (Battaglia et al. 2018), DeepSets, and interaction networks on n-body data
// whose sparse messages reveal force laws (Cranmer et al. 2020).
//
// Inductive bias: geometric (permutation invariance and equivariance), hard,
// general.
//
// Status: not built yet. This package holds no API so far.
package gnn
