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
// With relu it takes the convolution's output y (after the ReLU) as a
// second input and sums ḡ only where y is positive.
type biasGradOp struct{ relu bool }

var (
	_ G.SDOp            = biasGradOp{}
	_ G.UsePreallocDoer = biasGradOp{}
)

func (op biasGradOp) Arity() int {
	if op.relu {
		return 2
	}
	return 1
}

func (op biasGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t4 := G.TensorType{Dims: 4, Of: a}
	if op.relu {
		return hm.NewFnType(t4, t4, G.TensorType{Dims: 1, Of: a})
	}
	return hm.NewFnType(t4, G.TensorType{Dims: 1, Of: a})
}

func (op biasGradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != op.Arity() {
		return nil, fmt.Errorf("conv: Conv2D bias gradient: %d inputs, want %d", len(ds), op.Arity())
	}
	s, err := shapeOf("Conv2D bias gradient", ds[0], 4)
	if err != nil {
		return nil, err
	}
	if op.relu {
		if ys, ok := ds[1].(tensor.Shape); !ok || !ys.Eq(s) {
			return nil, fmt.Errorf("conv: Conv2D bias gradient: output of shape %v and gradient of shape %v", ds[1], s)
		}
	}
	return tensor.Shape{s[1]}, nil
}

func (op biasGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op biasGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("conv: Conv2D bias gradient: %d inputs, want %d", len(in), op.Arity())
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
		return biasGrad[float32](s, prealloc, in)
	}
	return biasGrad[float64](s, prealloc, in)
}

func biasGrad[T float](s tensor.Shape, prealloc G.Value, in []G.Value) (G.Value, error) {
	dy, err := dataOf[T]("Conv2D bias gradient", 0, in[0], s)
	if err != nil {
		return nil, err
	}
	var y []T
	if len(in) > 1 {
		if y, err = dataOf[T]("Conv2D bias gradient", 1, in[1], s); err != nil {
			return nil, err
		}
	}
	out, db := output[T](prealloc, tensor.Shape{s[1]}, dy, y)
	clear(db)
	n := s[2] * s[3]
	var masked []T
	if y != nil {
		mb := getBuf[T](n)
		defer bufPool.Put(mb)
		masked = *mb
	}
	for b := 0; b < s[0]; b++ {
		for o := range db {
			row := dy[(b*s[1]+o)*n : (b*s[1]+o+1)*n]
			if y != nil {
				maskInto(masked, row, y[(b*s[1]+o)*n:(b*s[1]+o+1)*n])
				row = masked
			}
			var acc T
			for _, v := range row {
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

// WriteHash writes the op's name and whether it masks by a ReLU.
func (op biasGradOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "conv.biasGradOp{relu=%t}", op.relu) }

func (op biasGradOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op biasGradOp) String() string { return "Conv2DBiasGrad" }

func (op biasGradOp) DiffWRT(int) []bool { return make([]bool, op.Arity()) }

// SymDiff is not offered: the backward ops are not differentiated again.
func (op biasGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, errors.New("conv: the Conv2D bias gradient has no derivative")
}
