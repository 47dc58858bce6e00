// Package gcnn builds group-equivariant convolutional networks (Cohen and
// Welling, "Group Equivariant Convolutional Networks", ICML 2016): lifting
// and group convolutions and pooling over the group for p4 (translations
// and rotations by 90°) and p4m (with mirror reflections), trainable inside
// gorgonia models in float32 or float64.
//
// Inductive bias: geometric; hard (the symmetry holds exactly, by weight
// sharing, whatever the weights); explicit (the group is named); general
// (any image task whose labels do not change under the group).
//
// # The layers
//
// Lift takes images (B, C, H, W) to feature maps on the group (B, O·N, H',
// W'), N = Group.Order(): one base filter per output feature, correlated
// with the image once per group element after that element rotates (and
// reflects) it. GroupConv takes feature maps on the group to feature maps
// on the group: its base filters (O, C, N, K, K) have a group axis, which
// each element permutes as it rotates the planes. GroupPool reduces the N
// maps of each feature (Max or Mean), giving maps that transform like
// images; GlobalPool reduces the plane, giving invariant features. MaxPool
// is the spatial max-pool. With the group Z2 the layers are ordinary
// convolutions: the baselines share the code.
//
// Filters are shared, not copied: the base filters are the parameters and a
// gather (internal/conv) expands them into the full filter bank inside the
// graph, so their gradient sums over the group. The convolution itself is
// the core's own op (internal/conv: in float32 a direct convolution on
// assembly GEMM kernels, AVX-512 or AVX2 by CPUID, with the ReLU and the
// max-pool inside the op and its three gradients in one op; float64 and
// strided convolutions go through im2col and gorgonia's BLAS).
//
// # Exact equivariance, and the sizes that break it
//
// Rotating an input by 90° (or reflecting it, for P4M) transforms every
// layer's output exactly as the group acts on it (Act): to 1e-14 in float64
// and 6e-6 in float32 in the tests, on odd, even and non-square sizes. Two
// things break it silently in ordinary code, and are errors here (matching
// ErrInput):
//   - a strided convolution whose windows do not cover the padded input
//     symmetrically: (size + 2·pad − kernel) must be a multiple of the stride
//     (a stride-2 3×3 convolution on an even size fails this);
//   - a max-pool whose windows do not tile the input from both ends:
//     (size − window) must be a multiple of the window (a 2×2 pool on an
//     odd size fails this).
//
// Conv.NoSymmetryCheck accepts such a convolution on purpose.
//
// # Models, data and training
//
// Model is a classifier with Cohen and Welling's MNIST-rot layout
// (PaperLayers: seven 3×3 convolutions, the last 4×4, a 2×2 max-pool after
// the second, ReLUs, a max over the group and a mean over the plane before
// the softmax). Config.Group P4 with 10 features per layer is their P4CNN
// (24,560 parameters); Z2 with 20 channels is their Z2CNN baseline
// (21,510). Their batch normalisation and dropout are not built. The
// convolutions run in float32 (Config.Float64 for float64) while the
// parameters, loss and Adam stay float64. Train, Logits, Predict,
// TestError and FeatureMaps follow physbias's public shape; Save and Load
// keep a model bit for bit. MNISTRot makes the data set the way Larochelle
// et al. (2007) made theirs: 12,000 training and 50,000 test digits of
// MNIST turned by uniform random angles with bilinear interpolation,
// seeded. A network of one's own is built from the layers in a gorgonia
// graph (Cast keeps its parameters float64) and trained with TrainGraph.
//
// # Results
//
// On MNIST-rot (seed 1; Adam at 1e-3, batches of 64; no batch norm or
// dropout), beside Cohen and Welling's 2.28% (P4CNN) and 5.03% (Z2CNN)
// after full training:
//
//	steps  test images  P4CNN  Z2CNN   wall time (P4CNN, Z2CNN), shared 2-core machine at load 4–10
//	  600  all 50,000   5.86%  16.98%  2 min 39 s, 45 s    go run ./examples/gcnn -steps 600
//	 1000  10,000       4.89%  13.11%  2 min 20 s, 1 min 19 s  go run ./examples/gcnn -steps 1000 -test 10000
//
// (600 steps are 3.2 passes over the 12,000 training images.) A step costs
// about 0.075 CPU-s for P4CNN and 0.03 for Z2CNN on one core, so 20 passes
// (3,750 steps each) take about 7 CPU-minutes.
//
// # Speed
//
// One P4CNN training step (float32, batch 64, 28×28, Adam), one thread, on
// a shared 2-core AMD EPYC with AVX-512 (load 8 from other work, so CPU
// time is the steady figure): 74 CPU-ms in Go (73 with OpenBLAS) against
// 107 for PyTorch 1.13 on the CPU, 0.70× (0.69×); with both sides capped
// at AVX2 (ISA=avx2: physbias's AVX2 kernels, oneDNN at AVX2) 74 and 75
// against 103, 0.72× (0.73×). gorgonia's own Conv2d took 5.5×, this
// package's first im2col version 1.7×. A p4 group convolution costs what an
// ordinary convolution with as many output maps costs (49 and 48 CPU-ms
// for forward and backward on 64×40×24×24 maps; the filter expansion is a
// gather):
//
//	ROWS=p4cnn COUNT=3 bench/compare.sh
//	ISA=avx2 ROWS=p4cnn COUNT=3 bench/compare.sh
//	go test -run '^$' -bench . -cpu 1 ./gcnn
//
// # Errors
//
// Errors start with "gcnn: " and match, with errors.Is, ErrInput (wrong
// channel count, a kernel larger than the input, filters made for another
// group, a size that breaks the symmetry, an Objective TrainGraph cannot
// train), ErrNotFinite, ErrCorrupt, ErrZeroValue and ErrCallback (a
// TrainConfig.Progress that panics, an Objective.Feed that fails or
// panics). A nil context is an error matching ErrInput.
package gcnn
