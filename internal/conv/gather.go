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

func (op gatherOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: len(op.in), Of: a}, G.TensorType{Dims: len(op.out), Of: a})
}

func (op gatherOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("conv: Gather: %d inputs, want 1", len(ds))
	}
	if s, ok := ds[0].(tensor.Shape); !ok || !s.Eq(op.in) {
		return nil, fmt.Errorf("conv: Gather: input shape %v, want %v", ds[0], op.in)
	}
	return op.out.Clone(), nil
}

func (op gatherOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op gatherOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("conv: Gather: %d inputs, want 1", len(in))
	}
	dt, err := dtypeOf("Gather", in[0])
	if err != nil {
		return nil, err
	}
	if dt == tensor.Float32 {
		return gather[float32](op, prealloc, in[0])
	}
	return gather[float64](op, prealloc, in[0])
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
