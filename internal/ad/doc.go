// Package ad is physbias's autodiff core: exact derivatives of a dense
// network with respect to its inputs, built as ordinary gorgonia nodes, so
// that a loss made from them trains with gorgonia's one first-order Grad.
//
// # Why not nested Grad
//
// gorgonia v0.9.18 cannot differentiate a gradient: Backpropagate skips every
// node whose derivative an earlier Grad already set and reuses it, so a second
// Grad silently returns wrong numbers (tanh″ comes back as tanh′; for x·x·x at
// 2 it gives 4, not 12). TestNestedGradDefect keeps that on record. This
// package never nests Grad. It writes the input derivatives out itself:
//
//   - VJPs and input gradients: an explicit reverse pass as graph ops,
//     g ← (g·Wᵀ) ⊙ σ′(z).
//   - JVPs, Jacobians, Laplacians and Derivatives: forward tangents (jets)
//     carried through each layer, ż′ = ȧW with ȧ = σ′(z)ż and, for second
//     order, ä = σ″(z)ż² + σ′(z)z̈.
//   - Hessians and Hessian blocks: forward-over-reverse, the tangent of the
//     explicit reverse pass, ġ_z = ġ_a ⊙ σ′(z) + g_a ⊙ σ″(z) ⊙ ż.
//
// Training a loss that contains these nodes needs σ‴ (the derivative of σ″),
// so every Activation supplies σ, σ′, σ″ and σ‴.
//
// # Rules
//
// Inputs are float64 matrices of shape (B, In()); every method checks shapes
// and returns an error starting with "ad: " that names the problem; nothing
// panics on user input. The network is dense: hidden layers apply the
// activation, the last layer is linear. Dense is a plain-Go copy of the
// trained weights for rollouts and plots (no graph, no gorgonia machine).
// Every derivative is tested against central finite differences, values and
// parameter gradients through them.
//
// Known gorgonia pitfalls this package works around: slice bounds are hashed
// modulo 256 (so blocks are never cut with Slice/Concat of ≥ 256 rows);
// the tape machine reuses memory (read values with G.Read); gradients
// accumulate across RunAll calls until a solver step zeroes them.
package ad
