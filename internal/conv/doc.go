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
// filters must match). Conv2DWith adds a ReLU inside the op (Options.ReLU:
// one pass less over the output each way than a separate ReLU), a max-pool
// inside the op (Options.MaxPool: each sample pooled while in cache, its
// gradient unpooled the same way) and NoInputGrad for a convolution of the
// data (gorgonia runs every node of a graph, so an input gradient nobody
// reads would cost a full product).
//
// A float32 convolution of stride 1 runs directly (direct.go): the input
// is read in place through a table of offsets (each row of im2col's column
// matrix is a run of the zero-padded image), into a "wide" output of Wp
// columns per row of which the last Wp − WO are dropped; no im2col, no
// col2im. Other convolutions (stride above 1, maps of fewer than 16 wide
// columns, float64) unfold one sample at a time into columns (im2col) and
// multiply the filter matrix by them.
//
// The derivative is one op (backOp) that computes ∂x, ∂w and ∂b in one
// pass over the samples, each sample's upstream gradient read (and masked
// by the ReLU) once: ∂x is the correlation of the padded gradient with the
// flipped filters, ∂w the windows of x times the transposed gradient, ∂b
// a sum per channel. gorgonia ops have one output, so backOp returns ∂x
// (∂w with NoInputGrad) and fetchOp nodes return the others. Samples are
// split into a fixed number of chunks run on up to GOMAXPROCS goroutines,
// so sums never depend on the machine.
//
// Gather(x, idx, shape) is out[i] = x[idx[i]] over the flat data (a filter
// rotated and its group channels permuted is such a gather of the base
// filter); its derivative is Scatter, the scatter-add, and Scatter's is
// Gather. AxisPool reduces runs of values along one axis (max or mean; the
// pooling over a group and the global pooling), MaxPool2D is the spatial
// max-pool without padding (2×2 in float32 branch-free), ReLU is max(x, 0)
// without branches, and Cast converts between float32 and float64 (its
// derivative casts back), so a float32 network can keep float64
// parameters, loss and optimizer.
//
// The convolution, its input derivative, ReLU and max-pool keep their
// output tensors from one run of the graph to the next (gorgonia's tape
// machine forgets every value at Reset, which cost 70 MB of allocation a
// P4CNN step): a value read from such a node is overwritten by the next
// run, and one graph must not run on two machines at once.
//
// # Products
//
// float32 products run on assembly micro-kernels of this package's own
// (sgemm_amd64.s) through sgemmOff, whose rows of A and B are given by
// offset tables: on a CPU with AVX-512F/VL an 8×32 kernel (8×16 and 8×8
// for the last column strip), else with AVX2 and FMA a 6×16 kernel (4×16,
// 6×8); a last, shorter row tile reads its last row again and goes through
// a scratch tile, so every product runs on a kernel. Setting
// PHYSBIAS_NOAVX512=1 (read at start-up) keeps the AVX2 kernels on an
// AVX-512 CPU, so both paths can be measured on one machine. gonum's
// native Sgemm was the bottleneck of a P4CNN step before (0.56 CPU-s
// against 0.19). Without the instructions, and always for float64,
// products go to gorgonia's BLAS (gonum's native one, or OpenBLAS under
// the build tag openblas; with openblas, float32 im2col products also go
// to OpenBLAS's sgemm, while the direct path keeps the kernels).
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
