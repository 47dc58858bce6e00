// Package conv holds the core's own ops for convolutional networks on
// gorgonia, the hot path of physbias's group-equivariant networks (gcnn):
// a 2-D convolution, the index gather that shares one filter across a
// symmetry group, pooling, ReLU and a float32/float64 cast.
//
// It carries no inductive bias of its own; it is part of the shared core.
//
// # The ops
//
// Conv2D is a cross-correlation of an (B, C, H, W) batch with (O, C, KH, KW)
// filters and an optional bias of O values, with one stride and one zero
// padding for both axes, in float32 or float64 (the dtype of the input; the
// filters must match). Its forward pass unfolds one sample at a time into
// columns (im2col) and multiplies the filter matrix by them; the output of
// one sample is the product itself, so no transposes are needed. Its
// derivative is three hand-written ops: the input gradient (the filters'
// transpose times the upstream gradient, folded back with col2im), the
// filter gradient (the upstream gradient times the columns' transpose,
// summed over the batch) and the bias gradient (a sum per channel).
// Samples are split into a fixed number of chunks run on up to GOMAXPROCS
// goroutines, so sums never depend on the machine.
//
// Gather(x, idx, shape) is out[i] = x[idx[i]] over the flat data (a filter
// rotated and its group channels permuted is such a gather of the base
// filter); its derivative is Scatter, the scatter-add, and Scatter's is
// Gather. AxisPool reduces runs of values along one axis (max or mean; the
// pooling over a group and the global pooling), MaxPool2D is the spatial
// max-pool without padding, ReLU is max(x, 0) without branches, and Cast
// converts between float32 and float64 (its derivative casts back), so a
// float32 network can keep float64 parameters, loss and optimizer.
//
// # Products
//
// float32 products run on an AVX2/FMA 4×16 assembly kernel of this
// package's own when the CPU has those instructions (edge strips are
// zero-padded so every tile runs on it): gonum's native Sgemm was the
// bottleneck of a P4CNN step (0.56 CPU-s against 0.19). Without the
// instructions, and always for float64, products go to gorgonia's BLAS
// (gonum's native one, or OpenBLAS under the build tag openblas; with
// openblas, float32 also goes to OpenBLAS's sgemm).
//
// # Rules
//
// Every op hashes all its parameters in full (strides, paddings, shapes,
// every index), so gorgonia's graph never merges two different ops. Shapes
// are checked when the node is made and errors start with "conv: " and
// name the op; values are written into gorgonia's preallocated outputs when
// they fit. The backward ops are not differentiated again (no second
// derivatives through a convolution).
//
// # A gorgonia pitfall found here
//
// gorgonia v0.9.18's Sum and Mean along a middle axis of a 4-D tensor give
// wrong values (axis 2 of a (2, 3, 4, 5) tensor is right for the first
// block of axis 1 and wrong after it); AxisPool replaces them.
package conv
