// Package build builds gorgonia graphs without an if-err ladder: a *B
// wraps the graph ops physbias packages use, each method takes and returns
// *G.Node, and the first error (or panic) of any op is kept and returned
// once by Err. After an error every method returns nil and does nothing,
// so a chain of expressions reads as the maths it computes:
//
//	b := build.New(g, "lnn")
//	h := b.Tanh(b.Add(b.Mul(x, w), bias))
//	if err := b.Err(); err != nil {
//		return err // "lnn: add: ..." matching fail.ErrInput
//	}
//
// It carries no inductive bias of its own; it is part of the shared core.
//
// # Errors
//
// Err's message starts with the prefix given to New ("lnn: ...") once and
// names the op that failed; it matches fail.ErrInput (an op rejected its
// operands: a nil node, a shape or type mismatch) with errors.Is, and wraps
// gorgonia's own error with %w. A gorgonia op that panics while the graph
// is built is recovered and reported the same way. Fail and Failf record
// an error of the caller's own (the first error still wins).
//
// # Pitfalls it guards
//
// Gorgonia's sliceOp hashes its bounds modulo 256 and the graph
// deduplicates nodes by hash, so Slice(a, S(0,256)) and Slice(a,
// S(256,512)) are silently the same node. Slice detects that (it knows
// every slice it made) and fails instead of returning the wrong node.
// Concat's gradient splits with such slices, so Concat fails when two of
// its blocks' bounds along the axis agree modulo 256 (the gradient would be
// wrong); reshape to (k, B, C) and concat (1, B, C) blocks on axis 0
// instead. InverseSqrt is not offered (its gradient is wrong in gorgonia
// v0.9.18): use Div(1, Sqrt) through Pow or HadamardDiv. Constants get
// unique names, so two constants of the same shape are never merged.
package build
