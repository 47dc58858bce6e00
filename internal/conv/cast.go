package conv

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Cast converts x to dtype to (float32 or float64); a node already of that
// dtype is returned as it is. Its derivative is the cast back, so a graph
// can keep float64 parameters (and a float64 loss and optimizer) around a
// float32 network.
func Cast(x *G.Node, to tensor.Dtype) (*G.Node, error) {
	if x == nil {
		return nil, fmt.Errorf("conv: Cast: nil input")
	}
	from := x.Dtype()
	if (from != tensor.Float32 && from != tensor.Float64) || (to != tensor.Float32 && to != tensor.Float64) {
		return nil, fmt.Errorf("conv: Cast: %v to %v, want float32 or float64", from, to)
	}
	if from == to {
		return x, nil
	}
	if len(x.Shape()) == 0 {
		return nil, fmt.Errorf("conv: Cast: scalar input, want a tensor")
	}
	y, err := G.ApplyOp(castOp{from: from, to: to, dims: len(x.Shape())}, x)
	if err != nil {
		return nil, fmt.Errorf("conv: Cast: %w", err)
	}
	return y, nil
}

// castOp converts between float32 and float64.
type castOp struct {
	from, to tensor.Dtype
	dims     int
}

var (
	_ G.SDOp            = castOp{}
	_ G.UsePreallocDoer = castOp{}
)

func (op castOp) Arity() int { return 1 }

func (op castOp) Type() hm.Type {
	return hm.NewFnType(G.TensorType{Dims: op.dims, Of: op.from}, G.TensorType{Dims: op.dims, Of: op.to})
}

func (op castOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("conv: Cast: %d inputs, want 1", len(ds))
	}
	s, err := shapeOf("Cast", ds[0], op.dims)
	if err != nil {
		return nil, err
	}
	return s.Clone(), nil
}

func (op castOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op castOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("conv: Cast: %d inputs, want 1", len(in))
	}
	s := in[0].Shape()
	if op.from == tensor.Float64 {
		x, err := dataOf[float64]("Cast", 0, in[0], s)
		if err != nil {
			return nil, err
		}
		out, y := output[float32](prealloc, s)
		for i, v := range x {
			y[i] = float32(v)
		}
		return out, nil
	}
	x, err := dataOf[float32]("Cast", 0, in[0], s)
	if err != nil {
		return nil, err
	}
	out, y := output[float64](prealloc, s)
	for i, v := range x {
		y[i] = float64(v)
	}
	return out, nil
}

func (op castOp) ReturnsPtr() bool     { return false }
func (op castOp) CallsExtern() bool    { return false }
func (op castOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, both dtypes and the rank.
func (op castOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "conv.castOp{%v→%v,dims=%d}", op.from, op.to, op.dims)
}

func (op castOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op castOp) String() string { return fmt.Sprintf("Cast(%v→%v)", op.from, op.to) }

func (op castOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff: the gradient is cast back.
func (op castOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("conv: Cast: SymDiff with %d inputs, want 1", len(in))
	}
	dx, err := G.ApplyOp(castOp{from: op.to, to: op.from, dims: op.dims}, grad)
	if err != nil {
		return nil, fmt.Errorf("conv: Cast: derivative: %w", err)
	}
	return G.Nodes{dx}, nil
}
