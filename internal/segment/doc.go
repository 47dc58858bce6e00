// Package segment holds the segment reductions of graph networks as
// gorgonia Ops: a scatter-add (segment sum) whose gradient is a row gather,
// the row gather whose gradient is a segment sum, a segment mean, and a
// segment max with its gradient.
//
// It is part of physbias's shared core, under the gnn package: a graph
// network sums (or averages, or maxes) the messages of the edges that end
// at each node, and the global update reduces over all nodes and edges of a
// graph. gorgonia v0.9.18 has no such op, its sparse Mul panics, and a dense
// incidence matrix grows as nodes × edges; these ops cost O(rows × features).
// The bias they serve is geometric, hard and general: a sum, mean or max
// over an unordered set is invariant to the set's order, which is what makes
// graph networks permutation equivariant (Battaglia et al. 2018).
//
// # Shapes and indices
//
// Every op acts on float64 matrices, rows indexed by the op's index slice:
//
//   - Sum(x, seg, n):     out[s] = Σ_{e: seg[e]=s} x[e],        x (E, F), out (n, F)
//   - WeightedSum:        out[s] = Σ_{e: seg[e]=s} w[e]·x[e]
//   - Mean(x, seg, n):    the sum divided by the number of rows in the segment
//   - Gather(x, idx):     out[e] = x[idx[e]],                    x (n, F), out (E, F)
//   - Max(x, seg, n):     out[s,f] = max_{e: seg[e]=s} x[e,f]
//   - GatherConcat(parts): out[r] = [x₀[idx₀[r]], x₁[idx₁[r]], ...], a graph
//     network's update input [e_k, v_receiver, v_sender, u] in one op
//
// Segments with no rows give zero (for the sum, the mean and the max).
// Indices need not be sorted or contiguous. Every constructor checks that
// the index slice has one entry per row and that every index lies in
// [0, n), and returns an error starting with "segment: " otherwise; the
// slices are copied, so the caller may reuse them.
//
// # Derivatives
//
// WeightedSum and the weighted Gather are adjoint to each other: the
// gradient of a (weighted) sum is the (weighted) gather of the upstream
// gradient with the same indices, and the gradient of a gather is the sum.
// So sums, means and gathers can be differentiated any number of times.
// The gradient of Max routes each output's upstream gradient to the row
// that attained the maximum, the first such row on ties (PyTorch's
// scatter_reduce "amax" splits ties evenly instead; only ties differ); that
// backward op is itself not differentiable, and neither is GatherConcat's
// (a segment sum of each part's block of columns).
//
// # Hashing
//
// gorgonia deduplicates nodes by the hash of their Op and children. Every
// op here writes all of its parameters into the hash in full: the number
// of segments, every index and every weight's bits, so two sums over
// different index sets are never merged (DESIGN.md's sliceOp pitfall).
//
// # Determinism
//
// Each op runs on one goroutine in a fixed order, so results are bit for
// bit the same on every run.
package segment
