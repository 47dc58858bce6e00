package linalg

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	_ "github.com/physbias/physbias/internal/blas" // BLAS choice for the graphs built here
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Solve returns the node x with A[i]·x[i] = b[i] for every batch element i:
// a is a float64 node of shape (B, n, n), b of shape (B, n), and x has shape
// (B, n), with 1 ≤ n ≤ MaxN. Each system is solved by LU with partial
// pivoting when the graph runs; a numerically singular system makes the run
// fail with a *SingularError naming the batch element.
//
// x is differentiable with respect to a and b: ∂b = A⁻ᵀḡ and
// ∂A = −(A⁻ᵀḡ)xᵀ for an upstream gradient ḡ.
func Solve(a, b *G.Node) (*G.Node, error) { return solve(a, b, false) }

// SolveT returns the node x with A[i]ᵀ·x[i] = b[i] for every batch element,
// with the shapes, checks and derivatives of Solve.
func SolveT(a, b *G.Node) (*G.Node, error) { return solve(a, b, true) }

func solve(a, b *G.Node, trans bool) (*G.Node, error) {
	return applyBinary(solveOp{trans: trans}, "A", a, 3, "b", b, 2)
}

// solveOp solves a batch of small dense systems, A x = b or (trans) Aᵀ x = b.
type solveOp struct {
	binaryOp
	trans bool
}

func (op solveOp) Type() hm.Type { return binaryType(3, 2, 2) }

func (op solveOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) { return inferShape(op, ds) }

// outShape checks the shapes of A and b and returns x's.
func (op solveOp) outShape(as, bs tensor.Shape) (tensor.Shape, error) {
	fn := op.String()
	if len(as) != 3 || as[1] != as[2] {
		return nil, fmt.Errorf("linalg: %s: A has shape %v, want (B, n, n)", fn, as)
	}
	if n := as[1]; n < 1 || n > MaxN {
		return nil, fmt.Errorf("linalg: %s: system size n = %d, want 1 ≤ n ≤ %d", fn, n, MaxN)
	}
	if as[0] < 1 {
		return nil, fmt.Errorf("linalg: %s: A has shape %v, want a batch of at least 1", fn, as)
	}
	if len(bs) != 2 || bs[0] != as[0] || bs[1] != as[1] {
		return nil, fmt.Errorf("linalg: %s: b has shape %v, want (%d, %d) to match A %v", fn, bs, as[0], as[1], as)
	}
	return tensor.Shape{as[0], as[1]}, nil
}

func (op solveOp) Do(inputs ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, inputs...) }

// UsePreallocDo solves into prealloc when it fits (gorgonia's tape machine
// passes the node's previous value), allocating otherwise.
func (op solveOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (G.Value, error) {
	s, a, b, out, x, err := binaryArgs(op, prealloc, inputs)
	if err != nil {
		return nil, err
	}
	fn := op.String()
	nb, n := s[0], s[1]
	var w luWork
	for i := range nb {
		if err := w.solveChecked(x[i*n:i*n+n], a[i*n*n:(i+1)*n*n], b[i*n:i*n+n], n, op.trans, fn, i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (op solveOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "linalg.solveOp{trans=%t}", op.trans) }

func (op solveOp) Hashcode() uint32 { return hashOf(op) }

func (op solveOp) String() string {
	if op.trans {
		return "SolveT"
	}
	return "Solve"
}

// SymDiff: for x = A⁻¹b, λ = A⁻ᵀḡ, ∂b = λ, ∂A = −λxᵀ; for x = A⁻ᵀb,
// λ = A⁻¹ḡ, ∂b = λ, ∂A = −xλᵀ.
func (op solveOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if err := symDiffArgs(op, inputs); err != nil {
		return nil, err
	}
	lam, err := G.ApplyOp(solveOp{trans: !op.trans}, inputs[0], grad)
	if err != nil {
		return nil, fmt.Errorf("linalg: %s: derivative: %w", op, err)
	}
	u, v := lam, output
	if op.trans {
		u, v = output, lam
	}
	da, err := G.ApplyOp(outerOp{scale: -1}, u, v)
	if err != nil {
		return nil, fmt.Errorf("linalg: %s: derivative: %w", op, err)
	}
	return G.Nodes{da, lam}, nil
}
