// Package attention holds the fused attention Ops of the modern Hopfield
// layers (Ramsauer et al. 2020) as gorgonia Ops with hand-written
// backward passes.
//
// Pool is HopfieldPooling's whole update in one Op,
//
//	Z = softmax_N(β Q (Y W_K)ᵀ) Y W_V     Y (B, N, d) → Z (B, S, dv),
//
// S learned queries Q (S×k) attending over the N elements of each of B sets
// Y, through the key and value projections W_K (d×k) and W_V (d×dv). It
// evaluates it in the cheaper order the algebra allows: the scores as
// Y·(β W_K Qᵀ) (d×S first) and the output as (Aᵀ Y)·W_V (pool first,
// project after), so a step costs O(B·N·d·S) rather than O(B·N·d·(k+dv)).
// gorgonia's own graph for the same layer had some 30 nodes a step, most of
// them allocating (Repeat for the broadcasts, SoftMax, BatchedMatMul);
// this is one node forward and five backward.
//
// Attend is the general update softmax(β Q Kᵀ) V for every batch item, q
// (B, S, k), k (B, N, k), v (B, N, dv) → (B, S, dv), the softmax over the N
// keys (hopfield's Associate, so its Hopfield layer, and its HopfieldLayer
// as one batch item). Its backward op gives dV = Aᵀ dZ, dQ = β dS K and
// dK = β dSᵀ Q with dS = A ⊙ (dZ Vᵀ − Σ_N A ⊙ dZ Vᵀ).
//
// # Derivatives
//
// Pool's backward Op returns the gradients with respect to Y, Q, W_K and
// W_V in one flat vector that four copy Ops cut into shape:
//
//	dW_V = Pᵀ dZ,  dP = dZ W_Vᵀ,  dA = Y dPᵀ,  dS = A ⊙ (dA − Σ_N A ⊙ dA),
//	dW = Yᵀ dS,  dW_K = β dW Q,  dQ = β dWᵀ W_K,  dY = A dP + dS Wᵀ
//
// with P = Aᵀ Y and W = β W_K Qᵀ. Pool and Attend are differentiable
// once (by gorgonia's Grad and by internal/grad alike): the backward and
// copy Ops have no derivative of their own, and a second derivative
// through them is an error that says so, never a wrong number. A loss on a derivative of a
// Hopfield pooling (a Hessian-vector product, an HNN built on one) needs
// the unfused graph.
//
// # Numerics
//
// The softmax subtracts each column's maximum before internal/vmath's
// exp (within 2 ulp of math.Exp), so scores of any size give finite
// weights; NaN in the input gives NaN outputs. The forward matches
// gorgonia's SoftMax graph to about 1e-15 relative (sums in another order).
package attention
