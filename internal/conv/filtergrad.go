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

// filterGradOp is the derivative of Conv2D with respect to its filters: from
// the input x (B, C, H, W) and the upstream gradient ḡ (B, O, HO, WO) it
// returns ∂w (O, C, KH, KW) = Σ_n ḡ_n·col(x_n)ᵀ. The batch is summed in
// fixed chunks, then the chunks in order, so the result does not depend on
// GOMAXPROCS.
// With relu it takes the convolution's output y (after the ReLU) as a
// third input and masks ḡ where y is 0.
type filterGradOp struct {
	stride, pad, kh, kw int
	relu                bool
}

var (
	_ G.SDOp            = filterGradOp{}
	_ G.UsePreallocDoer = filterGradOp{}
)

func (op filterGradOp) Arity() int { return gradArity(op.relu) }

func (op filterGradOp) Type() hm.Type { return gradType(op.relu) }

// gradArity is the number of inputs of a convolution's gradient op: the
// filters or the input, and ḡ; with relu also the output y.
func gradArity(relu bool) int {
	if relu {
		return 3
	}
	return 2
}

// gradType is the type of a convolution's gradient op: from 4-D tensors
// (two, or three with relu) to a 4-D tensor.
func gradType(relu bool) hm.Type {
	t4 := G.TensorType{Dims: 4, Of: hm.TypeVariable('a')}
	if relu {
		return hm.NewFnType(t4, t4, t4, t4)
	}
	return hm.NewFnType(t4, t4, t4)
}

func (op filterGradOp) geom(xs, gs tensor.Shape) (geom, error) {
	return gradGeom("Conv2D filter gradient", xs, gs, op.stride, op.pad, func() (x, w tensor.Shape) {
		return xs, tensor.Shape{gs[1], xs[1], op.kh, op.kw}
	})
}

// grad is the op as a convGrad: from the input and the gradient to ∂w.
func (op filterGradOp) grad() convGrad {
	return convGrad{fn: "Conv2D filter gradient", geom: op.geom, out: geom.wShape, relu: op.relu,
		run32: filterGrad[float32], run64: filterGrad[float64]}
}

func (op filterGradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	return op.grad().inferShape(ds)
}

func (op filterGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op filterGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	return op.grad().do(prealloc, in)
}

// convGrad is what the two Conv2D gradient ops (filterGradOp and
// inputGradOp) share: their InferShape and UsePreallocDo differ only in the
// op's name fn, how the geometry follows from the two inputs' shapes
// (geom), which of its shapes the result has (out), and the kernels.
type convGrad struct {
	fn           string
	geom         func(a, gs tensor.Shape) (geom, error)
	out          func(geom) tensor.Shape
	relu         bool // a third input: the output y, of ḡ's shape
	run32, run64 func(g geom, prealloc G.Value, in []G.Value) (G.Value, error)
}

func (c convGrad) inferShape(ds []G.DimSizer) (tensor.Shape, error) {
	if len(ds) != gradArity(c.relu) {
		return nil, fmt.Errorf("conv: %s: %d inputs, want %d", c.fn, len(ds), gradArity(c.relu))
	}
	if c.relu {
		ys, err := shapeOf(c.fn, ds[2], 4)
		if err != nil {
			return nil, err
		}
		if gs, ok := ds[1].(tensor.Shape); !ok || !ys.Eq(gs) {
			return nil, fmt.Errorf("conv: %s: output of shape %v and gradient of shape %v", c.fn, ys, ds[1])
		}
	}
	a, err := shapeOf(c.fn, ds[0], 4)
	if err != nil {
		return nil, err
	}
	gs, err := shapeOf(c.fn, ds[1], 4)
	if err != nil {
		return nil, err
	}
	g, err := c.geom(a, gs)
	if err != nil {
		return nil, err
	}
	return c.out(g), nil
}

func (c convGrad) do(prealloc G.Value, in []G.Value) (G.Value, error) {
	if len(in) != gradArity(c.relu) {
		return nil, fmt.Errorf("conv: %s: %d inputs, want %d", c.fn, len(in), gradArity(c.relu))
	}
	g, err := c.geom(in[0].Shape(), in[1].Shape())
	if err != nil {
		return nil, err
	}
	dt, err := dtypeOf(c.fn, in[0])
	if err != nil {
		return nil, err
	}
	if dt == tensor.Float32 {
		return c.run32(g, prealloc, in)
	}
	return c.run64(g, prealloc, in)
}

// gradGeom rebuilds a convolution's geometry for a gradient op named fn
// from its first input's shape a and the upstream gradient's shape gs,
// both of 4 axes: shapes returns the convolution's input and filter shapes
// (called only once both have 4 axes), and gs must be its output's.
func gradGeom(fn string, a, gs tensor.Shape, stride, pad int, shapes func() (x, w tensor.Shape)) (geom, error) {
	if len(gs) != 4 || len(a) != 4 {
		return geom{}, fmt.Errorf("conv: %s: shapes %v and %v, want 4 axes", fn, a, gs)
	}
	x, w := shapes()
	g, err := newGeom(fn, x, w, stride, pad)
	if err != nil {
		return geom{}, err
	}
	if !g.yShape().Eq(gs) {
		return geom{}, fmt.Errorf("conv: %s: gradient has shape %v, want %v", fn, gs, g.yShape())
	}
	return g, nil
}

func filterGrad[T float](g geom, prealloc G.Value, in []G.Value) (G.Value, error) {
	const fn = "Conv2D filter gradient"
	x, err := dataOf[T](fn, 0, in[0], g.xShape())
	if err != nil {
		return nil, err
	}
	dy, err := dataOf[T](fn, 1, in[1], g.yShape())
	if err != nil {
		return nil, err
	}
	var y []T
	if len(in) > 2 {
		if y, err = dataOf[T](fn, 2, in[2], g.yShape()); err != nil {
			return nil, err
		}
	}
	out, dw := output[T](prealloc, g.wShape(), x, dy, y)
	if x32, ok := any(x).([]float32); ok && g.direct() {
		directBackward(g, x32, nil, any(dy).([]float32), any(y).([]float32), y != nil, 0, nil, any(dw).([]float32), nil)
		return out, nil
	}
	rows, cols := g.rows(), g.cols()
	xs, ys := g.C*g.H*g.W, g.O*cols
	nw := len(dw)
	k := min(chunks, g.B)
	part := make([]T, k*nw)
	forChunks(g.B, func(c, lo, hi int) {
		buf := getBuf[T](rows * cols)
		defer bufPool.Put(buf)
		col := *buf
		acc := part[c*nw : (c+1)*nw]
		var masked []T
		if y != nil {
			mb := getBuf[T](ys)
			defer bufPool.Put(mb)
			masked = *mb
		}
		for n := lo; n < hi; n++ {
			im2col(g, x[n*xs:(n+1)*xs], col)
			dyn := dy[n*ys : (n+1)*ys]
			if y != nil {
				maskInto(masked, dyn, y[n*ys:(n+1)*ys])
				dyn = masked
			}
			gemm(gblas.NoTrans, gblas.Trans, g.O, rows, cols, 1, dyn, cols, col, cols, 1, acc, rows)
		}
	})
	copy(dw, part[:nw])
	for c := 1; c < k; c++ {
		for i, v := range part[c*nw : (c+1)*nw] {
			dw[i] += v
		}
	}
	return out, nil
}

func (op filterGradOp) ReturnsPtr() bool     { return false }
func (op filterGradOp) CallsExtern() bool    { return false }
func (op filterGradOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, stride, padding and the kernel's size.
func (op filterGradOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "conv.filterGradOp{stride=%d,pad=%d,kh=%d,kw=%d,relu=%t}", op.stride, op.pad, op.kh, op.kw, op.relu)
}

func (op filterGradOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op filterGradOp) String() string {
	return fmt.Sprintf("Conv2DFilterGrad(stride=%d, pad=%d, %d×%d, relu=%t)", op.stride, op.pad, op.kh, op.kw, op.relu)
}

func (op filterGradOp) DiffWRT(int) []bool { return make([]bool, op.Arity()) }

// SymDiff is not offered: the backward ops are not differentiated again.
func (op filterGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, errors.New("conv: the Conv2D filter gradient has no derivative (second derivatives of a convolution are not supported)")
}
