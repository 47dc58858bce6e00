package conv

import (
	"errors"
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	gblas "gonum.org/v1/gonum/blas"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// inputGradOp is the derivative of Conv2D with respect to its input: from
// the filters w (O, C, KH, KW) and the upstream gradient ḡ (B, O, HO, WO) it
// returns ∂x (B, C, H, W), the columns wᵀ·ḡ of each sample folded back with
// col2im. h and w are the input's height and width (the output's size does
// not determine them when the stride is above 1).
// With relu it takes the convolution's output y (after the ReLU) as a
// third input and masks ḡ where y is 0. out keeps its output from run to
// run (not part of the hash).
type inputGradOp struct {
	stride, pad, h, w int
	relu              bool
	out               *keep
}

var (
	_ G.SDOp            = inputGradOp{}
	_ G.UsePreallocDoer = inputGradOp{}
)

func (op inputGradOp) Arity() int { return gradArity(op.relu) }

func (op inputGradOp) Type() hm.Type { return gradType(op.relu) }

// geom rebuilds the convolution's geometry from the filters' and the
// gradient's shapes.
func (op inputGradOp) geom(ws, gs tensor.Shape) (geom, error) {
	return gradGeom("Conv2D input gradient", ws, gs, op.stride, op.pad, func() (x, w tensor.Shape) {
		return tensor.Shape{gs[0], ws[1], op.h, op.w}, ws
	})
}

// grad is the op as a convGrad: from the filters and the gradient to ∂x.
func (op inputGradOp) grad() convGrad {
	return convGrad{fn: "Conv2D input gradient", geom: op.geom, out: geom.xShape, relu: op.relu,
		run32: func(g geom, p G.Value, in []G.Value) (G.Value, error) { return inputGrad[float32](op, g, p, in) },
		run64: func(g geom, p G.Value, in []G.Value) (G.Value, error) { return inputGrad[float64](op, g, p, in) }}
}

func (op inputGradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	return op.grad().inferShape(ds)
}

func (op inputGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op inputGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	return op.grad().do(prealloc, in)
}

func inputGrad[T float](op inputGradOp, g geom, prealloc G.Value, in []G.Value) (G.Value, error) {
	const fn = "Conv2D input gradient"
	w, err := dataOf[T](fn, 0, in[0], g.wShape())
	if err != nil {
		return nil, err
	}
	dy, err := dataOf[T](fn, 1, in[1], g.yShape())
	if err != nil {
		return nil, err
	}
	var y []T
	if op.relu {
		if y, err = dataOf[T](fn, 2, in[2], g.yShape()); err != nil {
			return nil, err
		}
	}
	out, dx := outputKeep[T](op.out, prealloc, g.xShape(), w, dy, y)
	if w32, ok := any(w).([]float32); ok && g.direct() {
		directBackward(g, nil, w32, any(dy).([]float32), any(y).([]float32), y != nil, 0, any(dx).([]float32), nil, nil)
		return out, nil
	}
	rows, cols := g.rows(), g.cols()
	xs, ys := g.C*g.H*g.W, g.O*cols
	forChunks(g.B, func(_, lo, hi int) {
		buf := getBuf[T](rows * cols)
		defer bufPool.Put(buf)
		col := *buf
		var masked []T
		if y != nil {
			mb := getBuf[T](ys)
			defer bufPool.Put(mb)
			masked = *mb
		}
		for n := lo; n < hi; n++ {
			dyn := dy[n*ys : (n+1)*ys]
			if y != nil {
				maskInto(masked, dyn, y[n*ys:(n+1)*ys])
				dyn = masked
			}
			gemm(gblas.Trans, gblas.NoTrans, rows, cols, g.O, 1, w, rows, dyn, cols, 0, col, cols)
			dxn := dx[n*xs : (n+1)*xs]
			clear(dxn)
			col2im(g, col, dxn)
		}
	})
	return out, nil
}

func (op inputGradOp) ReturnsPtr() bool     { return false }
func (op inputGradOp) CallsExtern() bool    { return false }
func (op inputGradOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, stride, padding and the input's size.
func (op inputGradOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "conv.inputGradOp{stride=%d,pad=%d,h=%d,w=%d,relu=%t}", op.stride, op.pad, op.h, op.w, op.relu)
}

func (op inputGradOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op inputGradOp) String() string {
	return fmt.Sprintf("Conv2DInputGrad(stride=%d, pad=%d, %d×%d, relu=%t)", op.stride, op.pad, op.h, op.w, op.relu)
}

func (op inputGradOp) DiffWRT(int) []bool { return make([]bool, op.Arity()) }

// SymDiff is not offered: the backward ops are not differentiated again.
func (op inputGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, errors.New("conv: the Conv2D input gradient has no derivative (second derivatives of a convolution are not supported)")
}
