// Package grad is physbias's general autodiff: exact derivatives of any
// gorgonia graph, to any order, as nodes of the same graph. It carries no
// inductive bias of its own; it is part of the shared core (internal/) on
// which the biases stand: a separable H = K(p) + V(q) of two networks
// (flows), a network of (y, t) (node), ∇ₓE of any energy (energy), forces as
// −∇ of a learned potential (gnn) get the same exactness as the dense MLP of
// internal/ad.
//
// # Why not G.Grad twice
//
// gorgonia v0.9.18's Backpropagate caches each node's derivative in the node
// (Node.Deriv) and reuses it: a second G.Grad over a gradient silently
// returns wrong numbers (d²(x³)/dx² at 2 comes back 4, not 12;
// internal/ad's TestNestedGradDefect). This package runs a reverse pass of
// its own that keeps the adjoints in a map of its own and never reads or
// writes Node.Deriv. Its results are ordinary nodes, so they can be
// differentiated again by this package, to any order, and gorgonia's one
// first-order G.Grad (as train.Run calls it) trains a loss built on them.
//
// # The method
//
// From the outputs, a depth-first walk over each node's inputs in order
// (g.From(n.ID()), repeats kept: x·x has x twice) gives a topological order
// of everything the outputs depend on, and marks "active" the nodes that
// depend differentiably (per the op's DiffWRT) on a node differentiated for.
// In reverse order, each active node sums its adjoint terms (fan-in) and
// hands its inputs their adjoints from its op's SymDiff (gorgonia's G.SDOp),
// or from a rule of this package where SymDiff is wrong, is not
// differentiable again, or would build a dead node (below). Only active
// inputs get adjoints. A node differentiated for that no output depends on
// is an error matching ErrNoPath (Grad, VJP, JVP, Jacobian) or, where a
// derivative has become independent of x (the Hessian of a linear function),
// a zero constant (HVP, Hessian, Laplacian and the batched forms).
//
// Grad and VJP are one reverse pass; HVP is the VJP of a gradient; JVP is one
// forward-tangent pass (each op's tangent from its inputs' tangents: the
// elementwise ops through their SymDiff with the tangent as adjoint, their
// Jacobian being diagonal; products, sums, repeats, reshapes, transposes,
// slices, Concat, SoftMax and Max by rules of the core), falling back to the
// double-VJP trick (the VJP, with respect to a placeholder u, of
// uᵀ·∂out/∂x) for graphs with other ops; measured on a 2-64-64-2 tanh
// network, batch 256, a JVP costs what a VJP costs (1.4 CPU-ms against
// 1.0 ms for the forward pass alone; the double-VJP took 2.0 ms). Jacobian,
// Hessian and Laplacian take one VJP or HVP per row or position: for small
// inputs.
//
// # Batches
//
// In the physbias packages x is usually a (B, n) input whose rows are
// independent samples and out is computed row by row. Then one VJP with
// ones gives every sample's gradient (BatchGrad), and one VJP or HVP per
// column j, seeded with ones in column j, gives column j of every sample's
// Jacobian (BatchJacobian, (B, m, n)), row j of every Hessian (BatchHessian,
// (B, n, n)) or a term of every Laplacian (BatchLaplacian, (B, 1)). The cost
// is m or n passes whatever B is. The row-independence is assumed, not
// checked: a graph that mixes rows (a mean over the batch, batch
// normalisation) gives mixed results.
//
// # The op audit
//
// Every op below is tested on its own (TestOpAudit) against 4th-order central
// finite differences of the previous order: first derivatives, the full
// Hessian, and the third derivative along a direction (∂(H·v)/∂x), on a (2, 3)
// input; all agree to ≤ 2e-10 (relative), most to 1e-12. Each check also runs
// the graph twice and requires identical values, which catches a node
// overwritten in place.
//
//	op                                       verified   derivative from
//	Add, Sub, HadamardProd, HadamardDiv,     3rd        the core (only the adjoints
//	  Div, Pow (x^c and x^x), scalar·tensor               needed are built)
//	Mul: matrix·matrix, matrix·vector,       3rd        the core (transposed products;
//	  vector·matrix, vector·vector                        no dead side)
//	OuterProd                                3rd        the core: gorgonia's adjoints
//	                                                      are wrong (x·z̄, y·z̄)
//	BatchedMatMul                            3rd        the core
//	InverseSqrt                              3rd        the core: gorgonia's is wrong
//	                                                      (−z̄/(2y³), not −z̄·y³/2)
//	Square, Sqrt, Inverse, Exp, Log, Log1p,  3rd        SymDiff
//	  Tanh, Sigmoid, Softplus, Sin, Cos,
//	  Neg, Cube, Abs, Rectify (off 0)
//	Sum, Mean (all or one axis), Max,        3rd        SymDiff
//	  Transpose, BroadcastAdd, BroadcastSub,
//	  BroadcastHadamardProd, BroadcastHadamardDiv
//	Reshape                                  3rd        the core: a copy (gorgonia's
//	                                                      Reshape shares memory that an
//	                                                      in-place op then overwrites);
//	                                                      to a scalar it sums
//	Slice (rows, a column, a range)          3rd        the core's put/take ops:
//	                                                      gorgonia's adjoint op is not
//	                                                      differentiable in the values
//	                                                      it writes
//	Concat                                   3rd        the core's take op: gorgonia's
//	                                                      slices hash bounds modulo 256
//	SoftMax, LogSoftMax (any axis)           3rd        the core, from elementwise ops
//	                                                      (gorgonia's adjoint op has no
//	                                                      derivative)
//	ByIndices                                refused    on 1-D inputs and axes ≠ 0,
//	                                                      where gorgonia's is wrong
//
// An op with no SymDiff on the path, or one that claims no derivative with
// respect to an input that depends on the nodes differentiated for (other than
// comparisons, Sign, Ceil, Floor and size inputs, whose derivative is zero), is
// an error matching ErrUnsupported that names the op: never a silently dropped
// path. internal/ad's fused ops are differentiable once (their backward ops
// are not): use ad's own Hessian and Laplacian for its MLPs, or build the
// network from gorgonia's ops for this package.
//
// The networks of issue 10 (a separable H = K(p) + V(q) of two networks, a
// skip connection, the product and the quotient of two networks, a
// logsumexp energy, a network of (y, t) with t an input) are tested to the
// third input derivative, and G.Grad of a loss made of their first and second
// derivatives with respect to their parameters, all against finite
// differences; on internal/ad's MLP the results agree with the fused path to
// ≤ 2e-16.
//
// # Reshape
//
// gorgonia's Reshape shares its input's memory, and the tape machine runs
// elementwise ops in place when their input's value is no longer needed; over
// a Reshape that overwrites the Reshape's source, which derivatives read
// later (measured: gradients off by 30%, and a Hessian of BatchedMatMul off by
// order 1, before this package stopped using G.Reshape itself). The core's
// rules copy instead (its take op), Reshape here is a copying reshape for
// users, and a graph with an elementwise op or Transpose over a G.Reshape of a
// tensor is refused (ErrUnsupported, naming both).
//
// # Rules
//
// Nodes are float64 or float32. All nodes passed must belong to one graph.
// Every error starts with "grad: " and matches fail.ErrInput, and ErrNoPath or
// ErrUnsupported where they apply. Building a derivative adds nodes to the
// graph (gorgonia cannot remove nodes safely: its RemoveNode leaves stale ID
// lookups), so build derivatives once, not per step. The output bias of a
// network drops out of its input derivatives: G.Grad rejects it in a loss
// built only from derivatives.
//
// # Price of generality
//
// On the hnn and lnn rows of bench/compare.sh (BenchmarkStep*General beside
// BenchmarkStep*Fused), the general path gives the same losses (hnn to
// 2e-16; lnn to 6e-12 at the first step, where near-singular mass matrices
// amplify rounding, 7e-14 after). It costs more per Adam step: measured in CPU
// time on a shared AMD EPYC (2 cores, heavily loaded; noisy), hnn 27 ms
// against 6.1 ms fused and lnn 37 ms against 10.8 ms in the pure-Go build
// (gorgonia's products use gonum's native BLAS, the fused path the core's
// AVX2 kernel); with OpenBLAS (one thread) hnn 9.7 against 5.9 ms and lnn 22
// against 9.9 ms. The general graph has more, allocating gorgonia ops (89
// nodes against 59 for hnn, 213 against 77 for lnn), and lnn's two Hessian
// rows take two reverse-over-reverse passes where the fused path shares one
// pass with two tangents:
//
//	go test -run '^$' -bench Step -benchtime 10x ./internal/grad/
//	OPENBLAS_NUM_THREADS=1 go test -tags openblas -run '^$' -bench Step -benchtime 10x ./internal/grad/
package grad
