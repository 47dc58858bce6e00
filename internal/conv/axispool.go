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

// AxisPool reduces one axis of x: its flat data read as (outer, n, inner)
// becomes (outer, inner), each run of n values (inner apart) replaced by its
// maximum (mean false) or its mean (mean true), returned in the given shape
// (of outer·inner values). Pooling a (B, C·N, H, W) group feature map over
// its N group channels is (n = N, inner = H·W); a global pool of
// (B, C, H, W) maps is (n = H·W, inner = 1). The maximum's gradient goes to
// the first largest value of each run. (gorgonia v0.9.18's Sum and Mean
// along a middle axis of a 4-D tensor give wrong values, hence this op.)
func AxisPool(x *G.Node, n, inner int, mean bool, shape ...int) (*G.Node, error) {
	if x == nil {
		return nil, fmt.Errorf("conv: AxisPool: nil input")
	}
	if dt := x.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("conv: AxisPool: dtype %v, want float32 or float64", dt)
	}
	op, err := newAxisPool(x.Shape(), n, inner, mean, shape)
	if err != nil {
		return nil, err
	}
	y, err := G.ApplyOp(op, x)
	if err != nil {
		return nil, fmt.Errorf("conv: AxisPool: %w", err)
	}
	return y, nil
}

func newAxisPool(in tensor.Shape, n, inner int, mean bool, out []int) (axisPoolOp, error) {
	size := in.TotalSize()
	if n < 1 || inner < 1 || size%(n*inner) != 0 {
		return axisPoolOp{}, fmt.Errorf("conv: AxisPool: runs of %d values %d apart do not divide an input of shape %v", n, inner, in)
	}
	want := 1
	for _, k := range out {
		if k < 1 {
			return axisPoolOp{}, fmt.Errorf("conv: AxisPool: output shape %v has an empty axis", out)
		}
		want *= k
	}
	if len(out) == 0 || want != size/n {
		return axisPoolOp{}, fmt.Errorf("conv: AxisPool: output shape %v, want %d values", out, size/n)
	}
	return axisPoolOp{n: n, inner: inner, mean: mean, in: in.Clone(), out: tensor.Shape(out).Clone()}, nil
}

// axisPoolOp is the forward reduction.
type axisPoolOp struct {
	n, inner int
	mean     bool
	in, out  tensor.Shape
}

var (
	_ G.SDOp            = axisPoolOp{}
	_ G.UsePreallocDoer = axisPoolOp{}
)

func (op axisPoolOp) Arity() int { return 1 }

func (op axisPoolOp) Type() hm.Type { return flatType(op.in, op.out) }

func (op axisPoolOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	return inferFlat("AxisPool", ds, op.in, op.out)
}

func (op axisPoolOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op axisPoolOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	return doUnary("AxisPool", op, prealloc, in, axisPool[float32], axisPool[float64])
}

func axisPool[T float](op axisPoolOp, prealloc, in G.Value) (G.Value, error) {
	x, err := dataOf[T]("AxisPool", 0, in, op.in)
	if err != nil {
		return nil, err
	}
	out, y := output[T](prealloc, op.out, x)
	outer := len(x) / (op.n * op.inner)
	for o := 0; o < outer; o++ {
		blk := x[o*op.n*op.inner : (o+1)*op.n*op.inner]
		dst := y[o*op.inner : (o+1)*op.inner]
		copy(dst, blk[:op.inner])
		for k := 1; k < op.n; k++ {
			row := blk[k*op.inner : (k+1)*op.inner]
			if op.mean {
				for i, v := range row {
					dst[i] += v
				}
				continue
			}
			for i, v := range row {
				if v > dst[i] {
					dst[i] = v
				}
			}
		}
		if op.mean {
			s := 1 / T(op.n)
			for i := range dst {
				dst[i] *= s
			}
		}
	}
	return out, nil
}

func (op axisPoolOp) ReturnsPtr() bool     { return false }
func (op axisPoolOp) CallsExtern() bool    { return false }
func (op axisPoolOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, run length, spacing, rule and shapes.
func (op axisPoolOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "conv.axisPoolOp{n=%d,inner=%d,mean=%t,in=%v,out=%v}", op.n, op.inner, op.mean, op.in, op.out)
}

func (op axisPoolOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op axisPoolOp) String() string {
	if op.mean {
		return fmt.Sprintf("AxisMean(%d)", op.n)
	}
	return fmt.Sprintf("AxisMax(%d)", op.n)
}

func (op axisPoolOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff: the mean spreads ḡ/n over each run; the maximum sends ḡ to the
// first largest value of the run (the backward op reads x again).
func (op axisPoolOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	return diffXG("AxisPool", axisPoolGradOp{op}, in, grad)
}

// axisPoolGradOp is AxisPool's derivative: inputs x and ḡ, output ∂x.
type axisPoolGradOp struct{ f axisPoolOp }

var (
	_ G.SDOp            = axisPoolGradOp{}
	_ G.UsePreallocDoer = axisPoolGradOp{}
)

func (op axisPoolGradOp) Arity() int { return 2 }

func (op axisPoolGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t := G.TensorType{Dims: len(op.f.in), Of: a}
	return hm.NewFnType(t, G.TensorType{Dims: len(op.f.out), Of: a}, t)
}

func (op axisPoolGradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 2 {
		return nil, fmt.Errorf("conv: AxisPool gradient: %d inputs, want 2", len(ds))
	}
	if s, ok := ds[0].(tensor.Shape); !ok || !s.Eq(op.f.in) {
		return nil, fmt.Errorf("conv: AxisPool gradient: input shape %v, want %v", ds[0], op.f.in)
	}
	if s, ok := ds[1].(tensor.Shape); !ok || !s.Eq(op.f.out) {
		return nil, fmt.Errorf("conv: AxisPool gradient: gradient shape %v, want %v", ds[1], op.f.out)
	}
	return op.f.in.Clone(), nil
}

func (op axisPoolGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op axisPoolGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("conv: AxisPool gradient: %d inputs, want 2", len(in))
	}
	dt, err := dtypeOf("AxisPool gradient", in[0])
	if err != nil {
		return nil, err
	}
	if dt == tensor.Float32 {
		return axisPoolGrad[float32](op.f, prealloc, in)
	}
	return axisPoolGrad[float64](op.f, prealloc, in)
}

func axisPoolGrad[T float](op axisPoolOp, prealloc G.Value, in []G.Value) (G.Value, error) {
	x, err := dataOf[T]("AxisPool gradient", 0, in[0], op.in)
	if err != nil {
		return nil, err
	}
	g, err := dataOf[T]("AxisPool gradient", 1, in[1], op.out)
	if err != nil {
		return nil, err
	}
	out, dx := output[T](prealloc, op.in, x, g)
	clear(dx)
	outer := len(x) / (op.n * op.inner)
	s := 1 / T(op.n)
	for o := 0; o < outer; o++ {
		blk := x[o*op.n*op.inner : (o+1)*op.n*op.inner]
		dblk := dx[o*op.n*op.inner : (o+1)*op.n*op.inner]
		gr := g[o*op.inner : (o+1)*op.inner]
		for i, v := range gr {
			if op.mean {
				for k := 0; k < op.n; k++ {
					dblk[k*op.inner+i] = v * s
				}
				continue
			}
			best := 0
			for k := 1; k < op.n; k++ {
				if blk[k*op.inner+i] > blk[best*op.inner+i] {
					best = k
				}
			}
			dblk[best*op.inner+i] = v
		}
	}
	return out, nil
}

func (op axisPoolGradOp) ReturnsPtr() bool     { return false }
func (op axisPoolGradOp) CallsExtern() bool    { return false }
func (op axisPoolGradOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name and all of the forward op's parameters.
func (op axisPoolGradOp) WriteHash(h hash.Hash) {
	fmt.Fprint(h, "conv.axisPoolGradOp:")
	op.f.WriteHash(h)
}

func (op axisPoolGradOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op axisPoolGradOp) String() string { return op.f.String() + "Grad" }

func (op axisPoolGradOp) DiffWRT(int) []bool { return []bool{false, false} }

// SymDiff is not offered: the backward ops are not differentiated again.
func (op axisPoolGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, errors.New("conv: the AxisPool gradient has no derivative")
}

// diffXG is the SymDiff of a one-input op named fn (AxisPool, MaxPool2D)
// whose derivative is the op back applied to the input and the upstream
// gradient.
func diffXG(fn string, back G.Op, in G.Nodes, grad *G.Node) (G.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("conv: %s: SymDiff with %d inputs, want 1", fn, len(in))
	}
	dx, err := G.ApplyOp(back, in[0], grad)
	if err != nil {
		return nil, fmt.Errorf("conv: %s: derivative: %w", fn, err)
	}
	return G.Nodes{dx}, nil
}
