// Package conv holds the core's own 2-D convolution for gorgonia graphs, the
// hot path of physbias's group-equivariant networks (gcnn), and the index
// gather that shares one filter across a symmetry group.
//
// It carries no inductive bias of its own; it is part of the shared core.
//
// # The ops
//
// Conv2D is a cross-correlation of an (B, C, H, W) batch with (O, C, KH, KW)
// filters and an optional bias of O values, with one stride and one zero
// padding for both axes, in float32 or float64 (the dtype of the input; the
// filters must match). Its forward pass unfolds one sample at a time into
// columns (im2col) and multiplies them by the filter matrix with gorgonia's
// BLAS (Sgemm or Dgemm: gonum's native one, or OpenBLAS under the build tag
// openblas); the output of one sample is the product itself, so no
// transposes are needed. Its derivative is two hand-written ops: the input
// gradient (the filters' transpose times the upstream gradient, folded back
// with col2im) and the filter gradient (the upstream gradient times the
// columns' transpose, summed over the batch), and the bias gradient, a sum
// per channel. Samples are split over goroutines in fixed chunks, so results
// do not depend on GOMAXPROCS.
//
// Gather(x, idx, shape) is out[i] = x[idx[i]] over the flat data (a filter
// rotated and its group channels permuted is such a gather of the base
// filter); its derivative is Scatter, the scatter-add, and Scatter's is
// Gather.
//
// # Rules
//
// Every op hashes all its parameters in full (strides, paddings, every
// index), so gorgonia's graph never merges two different ops. Shapes are
// checked when the node is made and errors name the op; values are written
// into gorgonia's preallocated outputs when they fit.
package conv
