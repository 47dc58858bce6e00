// Package ad is physbias's autodiff core: exact derivatives of a dense
// network with respect to its inputs, built as gorgonia nodes, so that a
// loss made from them trains with gorgonia's one first-order Grad.
//
// # Why not nested Grad
//
// gorgonia v0.9.18 cannot differentiate a gradient: Backpropagate skips every
// node whose derivative an earlier Grad already set and reuses it, so a second
// Grad silently returns wrong numbers (tanh″ comes back as tanh′; for x·x·x at
// 2 it gives 4, not 12). TestNestedGradDefect keeps that on record. This
// package never nests Grad. It writes the input derivatives out itself:
//
//   - VJPs and input gradients: an explicit reverse pass,
//     g ← (g·Wᵀ) ⊙ σ′(z).
//   - JVPs, Jacobians, Laplacians and Derivatives: forward tangents (jets)
//     carried through each layer, ż′ = ȧW with ȧ = σ′(z)ż and, for second
//     order, ä = σ″(z)ż² + σ′(z)z̈.
//   - Hessians and Hessian blocks: forward-over-reverse, the tangent of the
//     explicit reverse pass, ġ_z = ġ_a ⊙ σ′(z) + g_a ⊙ σ″(z) ⊙ ż.
//
// Training a loss that contains these nodes needs one more derivative of σ,
// so every Activation supplies σ, σ′, σ″ and σ‴.
//
// # How the graph is built
//
// Each derivative is a short chain of fused custom Ops on stacked matrices:
// a (S·B, n) matrix holds the values of a layer (block 0) and its S−1
// tangents, so one matrix product per layer serves them all, and one
// activation op computes σ and the whole jet in a single pass. Every op has
// a hand-written backward op (its SymDiff), owns its output buffer (reused
// on every run, so a training step allocates little) and hashes all its
// parameters. Passes are shared: InputGrad, Hessian and HessianBlock on the
// same x node reuse one forward-over-reverse pass when its tangents cover
// the request (directly or by the symmetry of the Hessian).
//
// Matrix products go to the core's product in internal/blas, which picks
// its kernel by size: plain loops for small products, a blocked GEMM whose
// 4×8 kernel is AVX2/FMA Go assembly on amd64 for medium ones (when a CPUID
// check at start-up finds AVX2, FMA and an OS that saves the YMM registers;
// gonum's native Dgemm otherwise, on other architectures, or with the
// build tag purego), and, with the build tag openblas, OpenBLAS for large
// ones. Large products share row strips out between goroutines; each strip
// is summed in the same order whichever goroutine runs it, so results are
// bit-identical under any GOMAXPROCS. Gemm exports that product for
// plain-Go code elsewhere in physbias (c = op(a)·op(b) with row strides, as
// gonum's Dgemm without α and β).
//
// Activations: tanh, softplus and the sigmoid of a whole layer (in the
// fused ops and in Dense) go through internal/vmath's vectorized kernels
// (AVX2/FMA assembly chosen by CPUID, the math package's functions
// otherwise), within 2 ulp of math.Tanh, math.Log1p and math.Exp; the
// derivatives σ′, σ″, σ‴ are polynomials in their values (tanh's are
// written in the same pass as tanh). Bias adds and bias gradients (column
// sums) are vmath's AddRows and SumRows, bit for bit the plain loops.
//
// Gradients nobody reads are not computed: gorgonia's Grad asks every op
// for the gradient of every input, the data x of the first layer included
// (a constant, or a variable not in Grad's list), and its machine runs
// every node. An op built as a gradient checks when it runs whether any
// node reads its output or it is the gradient of one of Grad's nodes, and
// leaves its buffer (zeros) alone when not (unused.go); the check is
// cached until a node is added to or removed from the graph.
//
// # Dense: the plain-Go evaluator
//
// Dense is a plain-Go copy of trained weights (NewDense from explicit
// weights, Snapshot from an MLP) for rollouts, integrators, metrics, sampling
// and plots: no graph, no machine. Its batched methods take B points at
// once, row after row, and run one matrix product a layer for all of them
// on the core's product:
//
//   - ForwardBatch: f at B points (B×Out);
//   - InputGradBatch: ∇ₓf of a scalar network (B×In), an explicit reverse
//     pass;
//   - JacobianBatch: f and ∂f/∂x (B blocks of Out×In) by forward tangents;
//   - HessianBatch: ∇ₓf and ∇ₓ∇ₓᵀf (B blocks of In×In) of a scalar network
//     from one forward-over-reverse pass.
//
// Forward, InputGrad and Hessian run the same passes on one point. Callers
// own the output buffers (a nil buffer is allocated and returned). Results
// agree with the one-point methods to rounding; the last bits may depend on
// B, since the products sum in a different order. hnn, lnn and flows
// evaluate their trained networks this way; linalg.LUSolve is the plain-Go
// solve beside it.
//
// # Rules
//
// Inputs are float64 matrices of shape (B, In()); every method checks shapes
// and returns an error starting with "ad: " that names the problem; nothing
// panics on user input; an MLP or Dense that NewMLP, NewDense or Snapshot
// did not make (a nil pointer or a zero value) returns such an error from every
// method. The network is dense: hidden layers apply the
// activation, the last layer is linear. A value read from a node (with
// G.Read or Value) is valid until the graph runs again. One graph is run by
// one machine at a time. G.Grad rejects parameters a loss does not depend
// on: the output bias drops out of every input derivative, so leave it out
// of the Grad of a loss built only from derivatives (HNN, LNN).
//
// Dense is safe for concurrent use. It evaluates whatever it
// is given: a NaN in x gives NaN outputs, not an error (check data once with
// CheckFinite, which rejects NaN and Inf, rather than every point of a
// rollout).
//
// Every derivative is tested against central finite differences, on values
// and on parameter gradients through it; every fused op on its own; the
// fused graph against a reference graph of gorgonia's own ops.
package ad
