package conv

import (
	"encoding/binary"
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Gather returns the tensor of the given shape whose flat element i is the
// flat element idx[i] of x: out[i] = x[idx[i]]. Indices may repeat or skip
// elements; len(idx) must be the shape's size and every index in range.
// Its derivative is Scatter (the scatter-add of the upstream gradient).
func Gather(x *G.Node, idx []int, shape ...int) (*G.Node, error) {
	if x == nil {
		return nil, fmt.Errorf("conv: Gather: nil input")
	}
	if dt := x.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("conv: Gather: dtype %v, want float32 or float64", dt)
	}
	op, err := newGatherOp(idx, x.Shape().Clone(), shape)
	if err != nil {
		return nil, err
	}
	out, err := G.ApplyOp(op, x)
	if err != nil {
		return nil, fmt.Errorf("conv: Gather: %w", err)
	}
	return out, nil
}

// newGatherOp checks idx against the shapes and copies it.
func newGatherOp(idx []int, in, out tensor.Shape) (gatherOp, error) {
	size := 1
	for _, n := range out {
		if n < 1 {
			return gatherOp{}, fmt.Errorf("conv: Gather: output shape %v has an empty axis", out)
		}
		size *= n
	}
	if len(out) == 0 || len(idx) != size {
		return gatherOp{}, fmt.Errorf("conv: Gather: %d indices for output shape %v", len(idx), out)
	}
	n := in.TotalSize()
	for i, k := range idx {
		if k < 0 || k >= n {
			return gatherOp{}, fmt.Errorf("conv: Gather: index %d is %d, out of range [0, %d)", i, k, n)
		}
	}
	return gatherOp{idx: append([]int(nil), idx...), in: in.Clone(), out: tensor.Shape(out).Clone()}, nil
}

// gatherOp is out[i] = x[idx[i]] over flat data.
type gatherOp struct {
	idx     []int
	in, out tensor.Shape
}

var (
	_ G.SDOp            = gatherOp{}
	_ G.UsePreallocDoer = gatherOp{}
)

func (op gatherOp) Arity() int { return 1 }

func (op gatherOp) Type() hm.Type { return flatType(op.in, op.out) }

func (op gatherOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	return inferFlat("Gather", ds, op.in, op.out)
}

func (op gatherOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op gatherOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	return doUnary("Gather", op, prealloc, in, gather[float32], gather[float64])
}

func gather[T float](op gatherOp, prealloc, in G.Value) (G.Value, error) {
	x, err := dataOf[T]("Gather", 0, in, op.in)
	if err != nil {
		return nil, err
	}
	out, y := output[T](prealloc, op.out, x)
	for i, k := range op.idx {
		y[i] = x[k]
	}
	return out, nil
}

func (op gatherOp) ReturnsPtr() bool     { return false }
func (op gatherOp) CallsExtern() bool    { return false }
func (op gatherOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, both shapes and every index.
func (op gatherOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "conv.gatherOp{in=%v,out=%v}", op.in, op.out)
	hashInts(h, op.idx)
}

func (op gatherOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op gatherOp) String() string { return fmt.Sprintf("Gather(%v→%v)", op.in, op.out) }

func (op gatherOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff: ∂x[k] = Σ_{i: idx[i]=k} ḡ[i], the scatter-add.
func (op gatherOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("conv: Gather: SymDiff with %d inputs, want 1", len(in))
	}
	dx, err := G.ApplyOp(scatterOp{idx: op.idx, in: op.out, out: op.in}, grad)
	if err != nil {
		return nil, fmt.Errorf("conv: Gather: derivative: %w", err)
	}
	return G.Nodes{dx}, nil
}

// hashInts writes every value of v into h (64 bits each).
func hashInts(h hash.Hash, v []int) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(len(v)))
	h.Write(b[:])
	for _, k := range v {
		binary.LittleEndian.PutUint64(b[:], uint64(k))
		h.Write(b[:])
	}
}

// flatType is the type of a one-input op (gatherOp, scatterOp, axisPoolOp)
// from a tensor of len(in) axes to one of len(out) axes.
func flatType(in, out tensor.Shape) hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: len(in), Of: a}, G.TensorType{Dims: len(out), Of: a})
}

// inferFlat is the InferShape of a one-input op named fn that takes a
// tensor of exactly the shape in and returns one of the shape out.
func inferFlat(fn string, ds []G.DimSizer, in, out tensor.Shape) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("conv: %s: %d inputs, want 1", fn, len(ds))
	}
	if s, ok := ds[0].(tensor.Shape); !ok || !s.Eq(in) {
		return nil, fmt.Errorf("conv: %s: input shape %v, want %v", fn, ds[0], in)
	}
	return out.Clone(), nil
}

// doUnary is the UsePreallocDo of a one-input op named fn: it checks the
// number of inputs and their dtype and runs the float32 or the float64
// kernel on op, prealloc and the input.
func doUnary[O any](fn string, op O, prealloc G.Value, in []G.Value, run32, run64 func(O, G.Value, G.Value) (G.Value, error)) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("conv: %s: %d inputs, want 1", fn, len(in))
	}
	dt, err := dtypeOf(fn, in[0])
	if err != nil {
		return nil, err
	}
	if dt == tensor.Float32 {
		return run32(op, prealloc, in[0])
	}
	return run64(op, prealloc, in[0])
}
