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
// the core's own op (internal/conv: im2col into Sgemm or Dgemm, with
// hand-written input, filter and bias gradients).
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
// # Errors
//
// Errors start with "gcnn: " and match, with errors.Is, ErrInput (wrong
// channel count, a kernel larger than the input, filters made for another
// group, a size that breaks the symmetry), ErrNotFinite, ErrCorrupt and
// ErrZeroValue.
package gcnn
