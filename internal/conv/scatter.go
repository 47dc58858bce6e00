package conv

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Scatter returns the tensor of the given shape whose flat element k is the
// sum of the flat elements i of x with idx[i] = k (zero where no index
// points): the scatter-add, Gather's derivative. len(idx) must be x's size.
// Its derivative is Gather.
func Scatter(x *G.Node, idx []int, shape ...int) (*G.Node, error) {
	if x == nil {
		return nil, fmt.Errorf("conv: Scatter: nil input")
	}
	if dt := x.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("conv: Scatter: dtype %v, want float32 or float64", dt)
	}
	// A scatter from x to shape is the gather from shape to x, read backwards.
	g, err := newGatherOp(idx, tensor.Shape(shape), x.Shape())
	if err != nil {
		return nil, fmt.Errorf("conv: Scatter: %w", err)
	}
	out, err := G.ApplyOp(scatterOp{idx: g.idx, in: g.out, out: g.in}, x)
	if err != nil {
		return nil, fmt.Errorf("conv: Scatter: %w", err)
	}
	return out, nil
}

// scatterOp is out[idx[i]] += x[i] over flat data.
type scatterOp struct {
	idx     []int
	in, out tensor.Shape
}

var (
	_ G.SDOp            = scatterOp{}
	_ G.UsePreallocDoer = scatterOp{}
)

func (op scatterOp) Arity() int { return 1 }

func (op scatterOp) Type() hm.Type { return flatType(op.in, op.out) }

func (op scatterOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	return inferFlat("Scatter", ds, op.in, op.out)
}

func (op scatterOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op scatterOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	return doUnary("Scatter", op, prealloc, in, scatter[float32], scatter[float64])
}

func scatter[T float](op scatterOp, prealloc, in G.Value) (G.Value, error) {
	x, err := dataOf[T]("Scatter", 0, in, op.in)
	if err != nil {
		return nil, err
	}
	out, y := output[T](prealloc, op.out, x)
	clear(y)
	for i, k := range op.idx {
		y[k] += x[i]
	}
	return out, nil
}

func (op scatterOp) ReturnsPtr() bool     { return false }
func (op scatterOp) CallsExtern() bool    { return false }
func (op scatterOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, both shapes and every index.
func (op scatterOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "conv.scatterOp{in=%v,out=%v}", op.in, op.out)
	hashInts(h, op.idx)
}

func (op scatterOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op scatterOp) String() string { return fmt.Sprintf("Scatter(%v→%v)", op.in, op.out) }

func (op scatterOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff: the scatter-add is linear and its adjoint is the gather.
func (op scatterOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("conv: Scatter: SymDiff with %d inputs, want 1", len(in))
	}
	dx, err := G.ApplyOp(gatherOp{idx: op.idx, in: op.out, out: op.in}, grad)
	if err != nil {
		return nil, fmt.Errorf("conv: Scatter: derivative: %w", err)
	}
	return G.Nodes{dx}, nil
}
