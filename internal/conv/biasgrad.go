package conv

import (
	"errors"
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// biasGradOp is the derivative of Conv2D with respect to its bias: the
// upstream gradient (B, O, HO, WO) summed over the batch and both spatial
// axes, a vector of O values.
type biasGradOp struct{}

var (
	_ G.SDOp            = biasGradOp{}
	_ G.UsePreallocDoer = biasGradOp{}
)

func (op biasGradOp) Arity() int { return 1 }

func (op biasGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 4, Of: a}, G.TensorType{Dims: 1, Of: a})
}

func (op biasGradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("conv: Conv2D bias gradient: %d inputs, want 1", len(ds))
	}
	s, err := shapeOf("Conv2D bias gradient", ds[0], 4)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{s[1]}, nil
}

func (op biasGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op biasGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("conv: Conv2D bias gradient: %d inputs, want 1", len(in))
	}
	s, err := shapeOf("Conv2D bias gradient", in[0].Shape(), 4)
	if err != nil {
		return nil, err
	}
	dt, err := dtypeOf("Conv2D bias gradient", in[0])
	if err != nil {
		return nil, err
	}
	if dt == tensor.Float32 {
		return biasGrad[float32](s, prealloc, in[0])
	}
	return biasGrad[float64](s, prealloc, in[0])
}

func biasGrad[T float](s tensor.Shape, prealloc G.Value, in G.Value) (G.Value, error) {
	dy, err := dataOf[T]("Conv2D bias gradient", 0, in, s)
	if err != nil {
		return nil, err
	}
	out, db := output[T](prealloc, tensor.Shape{s[1]}, dy)
	clear(db)
	n := s[2] * s[3]
	for b := 0; b < s[0]; b++ {
		for o := range db {
			var acc T
			for _, v := range dy[(b*s[1]+o)*n : (b*s[1]+o+1)*n] {
				acc += v
			}
			db[o] += acc
		}
	}
	return out, nil
}

func (op biasGradOp) ReturnsPtr() bool     { return false }
func (op biasGradOp) CallsExtern() bool    { return false }
func (op biasGradOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name (it has no parameters).
func (op biasGradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "conv.biasGradOp") }

func (op biasGradOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op biasGradOp) String() string { return "Conv2DBiasGrad" }

func (op biasGradOp) DiffWRT(int) []bool { return []bool{false} }

// SymDiff is not offered: the backward ops are not differentiated again.
func (op biasGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, errors.New("conv: the Conv2D bias gradient has no derivative")
}
