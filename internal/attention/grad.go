package attention

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/opbuf"
)

// gradOp is Pool's backward Op: inputs Y, Q, W_K, W_V, the forward's Z and
// the upstream gradient dZ; output dY, dQ, dW_K, dW_V in one flat vector.
// It has no derivative of its own.
type gradOp poolOp

var (
	_ G.SDOp            = gradOp{}
	_ G.UsePreallocDoer = gradOp{}
)

// errTwice is what a second derivative through Pool or Attend returns.
var errTwice = fmt.Errorf("attention: Pool and Attend are differentiable once: their backward ops have no derivative (build the unfused graph for derivatives of a Hopfield update's gradient)")

// DiffWRT claims every input, so that a second derivative reaches SymDiff
// and its error instead of passing as zero.
func (op gradOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	for i := range d {
		d[i] = true
	}
	return d
}

// SymDiff reports that Pool has no second derivative.
func (op gradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) { return nil, errTwice }

func (op gradOp) Arity() int { return 6 }

func (op gradOp) Type() hm.Type {
	return hm.NewFnType(tt(3), tt(2), tt(2), tt(2), tt(3), tt(3), tt(1))
}

func (op gradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 6 {
		return nil, fmt.Errorf("attention: PoolGrad: %d inputs, want 6", len(ds))
	}
	return tensor.Shape{op.gradLen()}, nil
}

func (op gradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op gradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 6 {
		return nil, fmt.Errorf("attention: PoolGrad: %d inputs, want 6", len(in))
	}
	zs := tensor.Shape{op.b, op.s, op.dv}
	x, err := inputs("PoolGrad", in, append(op.shapes(), zs, zs))
	if err != nil {
		return nil, err
	}
	g := output(&op.c.outG, tensor.Shape{op.gradLen()}, x...)
	op.c.backward(op.dims, x[0], x[1], x[2], x[3], x[4], x[5], g)
	return op.c.outG, nil
}

func (op gradOp) ReturnsPtr() bool     { return false }
func (op gradOp) CallsExtern() bool    { return false }
func (op gradOp) OverwritesInput() int { return -1 }

func (op gradOp) WriteHash(h hash.Hash) { op.writeHash(h, "PoolGrad", op.c.id) }

func (op gradOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op gradOp) String() string { return "HopfieldPoolGrad" }

// partOp copies values [off, off+size) of a flat vector of length total
// into a tensor of the given shape. It has no derivative of its own.
type partOp struct {
	off, total int
	shape      tensor.Shape
	id         uint64
	out        **tensor.Dense // the node's own output buffer
}

var (
	_ G.SDOp            = partOp{}
	_ G.UsePreallocDoer = partOp{}
)

func (op partOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff reports that Pool and Attend have no second derivative (a part
// is only ever taken of a backward op's output).
func (op partOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) { return nil, errTwice }

func (op partOp) Arity() int { return 1 }

func (op partOp) Type() hm.Type { return hm.NewFnType(tt(1), tt(len(op.shape))) }

func (op partOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("attention: part: %d inputs, want 1", len(ds))
	}
	return op.shape.Clone(), nil
}

func (op partOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op partOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("attention: part: %d inputs, want 1", len(in))
	}
	x, err := opbuf.Input("attention", "part", 0, in[0], tensor.Shape{op.total})
	if err != nil {
		return nil, err
	}
	y := output(op.out, op.shape, x)
	copy(y, x[op.off:op.off+len(y)])
	return *op.out, nil
}

func (op partOp) ReturnsPtr() bool     { return false }
func (op partOp) CallsExtern() bool    { return false }
func (op partOp) OverwritesInput() int { return -1 }

func (op partOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "attention.part{%d,%d,%v,%d}", op.off, op.total, op.shape, op.id)
}

func (op partOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op partOp) String() string { return fmt.Sprintf("part[%d:+%v]", op.off, op.shape) }
