package linalg

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/opbuf"
)

// binaryOp holds what the package's Ops (Solve, Outer, MatVec) share: two
// float64 inputs, both differentiable, written into a fresh or
// preallocated output that is neither a pointer nor an input, no cgo.
// Each Op embeds it and adds its shapes, kernel, hash and derivative.
type binaryOp struct{}

func (binaryOp) Arity() int                { return 2 }
func (binaryOp) ReturnsPtr() bool          { return false }
func (binaryOp) CallsExtern() bool         { return false }
func (binaryOp) OverwritesInput() int      { return -1 }
func (binaryOp) DiffWRT(inputs int) []bool { return []bool{true, true} }

// binaryType is the type of a binary Op on float tensors of ranks x and y
// with a result of rank out.
func binaryType(x, y, out int) hm.Type {
	t := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: x, Of: t}, G.TensorType{Dims: y, Of: t}, G.TensorType{Dims: out, Of: t})
}

// hashOf is an Op's Hashcode: FNV-32a of what its WriteHash writes.
func hashOf(op interface{ WriteHash(hash.Hash) }) uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

// shapedOp is an Op of this package with its shape rule on plain shapes
// (InferShape's on gorgonia's DimSizers boxes them, which allocates on
// every run of the graph).
type shapedOp interface {
	G.Op
	outShape(x, y tensor.Shape) (tensor.Shape, error)
}

// linalgOp is what every Op of the package is: a shapedOp with a
// symbolic derivative that writes into gorgonia's preallocated output.
type linalgOp interface {
	shapedOp
	G.SDOp
	G.UsePreallocDoer
}

var (
	_ linalgOp = matVecOp{}
	_ linalgOp = outerOp{}
	_ linalgOp = solveOp{}
)

// inferShape is the InferShape of every shapedOp.
func inferShape(op shapedOp, ds []G.DimSizer) (tensor.Shape, error) {
	x, y, err := twoShapes(op.String(), ds)
	if err != nil {
		return nil, err
	}
	return op.outShape(x, y)
}

// binaryArgs checks the two inputs of op's UsePreallocDo against op's
// shape rule and returns the output shape s, the inputs' float64 data x
// and y, and the tensor to write the result into with its data z
// (prealloc when it fits and shares no memory with x or y).
func binaryArgs(op shapedOp, prealloc G.Value, inputs []G.Value) (s tensor.Shape, x, y []float64, out *tensor.Dense, z []float64, err error) {
	fn := op.String()
	if len(inputs) != 2 {
		return nil, nil, nil, nil, nil, fmt.Errorf("linalg: %s: %d inputs, want 2", fn, len(inputs))
	}
	if s, err = op.outShape(inputs[0].Shape(), inputs[1].Shape()); err != nil {
		return nil, nil, nil, nil, nil, err
	}
	if x, err = opbuf.Input("linalg", fn, 0, inputs[0], inputs[0].Shape()); err != nil {
		return nil, nil, nil, nil, nil, err
	}
	if y, err = opbuf.Input("linalg", fn, 1, inputs[1], inputs[1].Shape()); err != nil {
		return nil, nil, nil, nil, nil, err
	}
	out, z = opbuf.Output(prealloc, s, x, y)
	return s, x, y, out, z, nil
}

// symDiffArgs checks that op's SymDiff got its two inputs.
func symDiffArgs(op G.Op, inputs G.Nodes) error {
	if len(inputs) != 2 {
		return fmt.Errorf("linalg: %s: SymDiff with %d inputs, want 2", op, len(inputs))
	}
	return nil
}
