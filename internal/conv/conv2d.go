package conv

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	gblas "gonum.org/v1/gonum/blas"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Conv2D returns the cross-correlation of x (B, C, H, W) with the filters w
// (O, C, KH, KW), plus b (a vector of O values) when b is not nil:
//
//	y[n, o, i, j] = b[o] + Σ_{c,a,e} x[n, c, i·stride−pad+a, j·stride−pad+e]·w[o, c, a, e]
//
// with zeros outside x, of shape (B, O, HO, WO), HO = ⌊(H+2·pad−KH)/stride⌋+1
// (WO likewise). x, w and b have one dtype, float32 or float64.
func Conv2D(x, w, b *G.Node, stride, pad int) (*G.Node, error) {
	return Conv2DWith(x, w, b, stride, pad, Options{})
}

// Options are what Conv2DWith adds to Conv2D.
type Options struct {
	// ReLU applies max(·, 0) to the output inside the op (its derivative
	// masks the upstream gradient inside the three derivative ops): one
	// pass over the output less each way than Conv2D followed by ReLU.
	ReLU bool
	// NoInputGrad declares that no derivative with respect to x is
	// wanted (x is the data): the input-gradient op is not added to the
	// graph, and asking gorgonia for ∂x fails. gorgonia runs every node of
	// a graph, wanted or not, so an input gradient nobody reads costs a
	// full product.
	NoInputGrad bool
	// MaxPool, if above 0, max-pools the output (after the ReLU) over
	// MaxPool×MaxPool windows of that stride inside the op, as MaxPool2D:
	// the full output is kept inside the op and pooled one sample at a
	// time while it is in cache, and the derivative unpools the gradient
	// one sample at a time, so neither the full output nor its gradient
	// goes through memory as a node of its own.
	MaxPool int
}

// Conv2DWith is Conv2D with Options.
func Conv2DWith(x, w, b *G.Node, stride, pad int, o Options) (*G.Node, error) {
	const fn = "Conv2D"
	if x == nil || w == nil {
		return nil, fmt.Errorf("conv: %s: nil input or filters", fn)
	}
	if _, err := newGeom(fn, x.Shape(), w.Shape(), stride, pad); err != nil {
		return nil, err
	}
	if x.Dtype() != w.Dtype() || (x.Dtype() != tensor.Float32 && x.Dtype() != tensor.Float64) {
		return nil, fmt.Errorf("conv: %s: input dtype %v and filter dtype %v, want both float32 or both float64", fn, x.Dtype(), w.Dtype())
	}
	g, _ := newGeom(fn, x.Shape(), w.Shape(), stride, pad)
	if o.MaxPool < 0 || o.MaxPool > g.HO || o.MaxPool > g.WO {
		return nil, fmt.Errorf("conv: %s: max-pool window %d on %d×%d outputs", fn, o.MaxPool, g.HO, g.WO)
	}
	op := convOp{stride: stride, pad: pad, bias: b != nil, relu: o.ReLU, noDX: o.NoInputGrad, pool: o.MaxPool,
		out: new(keep), full: new(keep)}
	in := []*G.Node{x, w}
	if b != nil {
		if s := b.Shape(); len(s) != 1 || s[0] != w.Shape()[0] {
			return nil, fmt.Errorf("conv: %s: bias has shape %v, want (%d)", fn, s, w.Shape()[0])
		}
		if b.Dtype() != x.Dtype() {
			return nil, fmt.Errorf("conv: %s: bias dtype %v, want %v", fn, b.Dtype(), x.Dtype())
		}
		in = append(in, b)
	}
	y, err := G.ApplyOp(op, in...)
	if err != nil {
		return nil, fmt.Errorf("conv: %s: %w", fn, err)
	}
	return y, nil
}

// convOp is the forward convolution; inputs x, w and, with bias, b; with
// relu, max(·, 0) of it; with noDX, no derivative with respect to x. out
// keeps its output tensor from run to run (not part of the hash).
type convOp struct {
	stride, pad      int
	bias, relu, noDX bool
	pool             int // max-pool window; 0 for none
	out              *keep
	full             *keep // with pool: the output before pooling (not hashed)
}

var (
	_ G.SDOp            = convOp{}
	_ G.UsePreallocDoer = convOp{}
)

func (op convOp) Arity() int {
	if op.bias {
		return 3
	}
	return 2
}

func (op convOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t4 := G.TensorType{Dims: 4, Of: a}
	if op.bias {
		return hm.NewFnType(t4, t4, G.TensorType{Dims: 1, Of: a}, t4)
	}
	return hm.NewFnType(t4, t4, t4)
}

func (op convOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != op.Arity() {
		return nil, fmt.Errorf("conv: Conv2D: %d inputs, want %d", len(ds), op.Arity())
	}
	xs, err := shapeOf("Conv2D", ds[0], 4)
	if err != nil {
		return nil, err
	}
	ws, err := shapeOf("Conv2D", ds[1], 4)
	if err != nil {
		return nil, err
	}
	g, err := newGeom("Conv2D", xs, ws, op.stride, op.pad)
	if err != nil {
		return nil, err
	}
	return g.outShape(op.pool)
}

// outShape is the shape of the convolution's output max-pooled over
// windows of pool (none for 0).
func (g geom) outShape(pool int) (tensor.Shape, error) {
	if pool == 0 {
		return g.yShape(), nil
	}
	if pool < 0 || pool > g.HO || pool > g.WO {
		return nil, fmt.Errorf("conv: Conv2D: max-pool window %d on %d×%d outputs", pool, g.HO, g.WO)
	}
	return tensor.Shape{g.B, g.O, g.HO / pool, g.WO / pool}, nil
}

func (op convOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op convOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("conv: Conv2D: %d inputs, want %d", len(in), op.Arity())
	}
	g, err := newGeom("Conv2D", in[0].Shape(), in[1].Shape(), op.stride, op.pad)
	if err != nil {
		return nil, err
	}
	dt, err := dtypeOf("Conv2D", in[0])
	if err != nil {
		return nil, err
	}
	if dt == tensor.Float32 {
		return convForward[float32](op, g, prealloc, in)
	}
	return convForward[float64](op, g, prealloc, in)
}

func convForward[T float](op convOp, g geom, prealloc G.Value, in []G.Value) (G.Value, error) {
	bias := op.bias
	x, err := dataOf[T]("Conv2D", 0, in[0], g.xShape())
	if err != nil {
		return nil, err
	}
	w, err := dataOf[T]("Conv2D", 1, in[1], g.wShape())
	if err != nil {
		return nil, err
	}
	var b []T
	if bias {
		if b, err = dataOf[T]("Conv2D", 2, in[2], tensor.Shape{g.O}); err != nil {
			return nil, err
		}
	}
	os, err := g.outShape(op.pool)
	if err != nil {
		return nil, err
	}
	out, y := outputKeep[T](op.out, prealloc, os, x, w, b)
	var pooled []T
	if op.pool > 0 {
		pooled = y
		_, y = outputKeep[T](op.full, nil, g.yShape(), x, w, b, pooled)
	}
	if x32, ok := any(x).([]float32); ok && g.direct() {
		directForward(g, x32, any(w).([]float32), any(b).([]float32), any(y).([]float32), op.relu, op.pool, any(pooled).([]float32))
		return out, nil
	}
	ps := os.TotalSize() / g.B
	rows, cols := g.rows(), g.cols()
	xs, ys := g.C*g.H*g.W, g.O*cols
	forChunks(g.B, func(_, lo, hi int) {
		buf := getBuf[T](rows * cols)
		defer bufPool.Put(buf)
		col := *buf
		for n := lo; n < hi; n++ {
			yn := y[n*ys : (n+1)*ys]
			im2col(g, x[n*xs:(n+1)*xs], col)
			gemm(gblas.NoTrans, gblas.NoTrans, g.O, cols, rows, 1, w, rows, col, cols, 0, yn, cols)
			if bias {
				for o, v := range b {
					row := yn[o*cols : (o+1)*cols]
					for j := range row {
						row[j] += v
					}
				}
			}
			if op.relu {
				reluInPlace(yn)
			}
			if op.pool > 0 {
				poolMaps(yn, pooled[n*ps:(n+1)*ps], nil, g.O, g.HO, g.WO, op.pool)
			}
		}
	})
	return out, nil
}

func (op convOp) ReturnsPtr() bool     { return false }
func (op convOp) CallsExtern() bool    { return false }
func (op convOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, stride, padding and flags.
func (op convOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "conv.convOp{stride=%d,pad=%d,bias=%t,relu=%t,nodx=%t,pool=%d}", op.stride, op.pad, op.bias, op.relu, op.noDX, op.pool)
}

func (op convOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op convOp) String() string {
	return fmt.Sprintf("Conv2D(stride=%d, pad=%d, bias=%t, relu=%t, nodx=%t, pool=%d)", op.stride, op.pad, op.bias, op.relu, op.noDX, op.pool)
}

func (op convOp) DiffWRT(int) []bool {
	d := make([]bool, op.Arity())
	for i := range d {
		d[i] = true
	}
	d[0] = !op.noDX
	return d
}

// SymDiff: one backOp computes ∂x, ∂w and, with a bias, ∂b (with relu
// masking ḡ where the output y is 0) and returns ∂x, or ∂w without ∂x
// (noDX, whose place is then nil, which gorgonia accepts for an input
// DiffWRT excludes); fetchOp nodes return the others.
func (op convOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("conv: Conv2D: SymDiff with %d inputs, want %d", len(in), op.Arity())
	}
	xs, ws := in[0].Shape(), in[1].Shape()
	side := new(backSide)
	back := backOp{stride: op.stride, pad: op.pad, h: xs[2], w: xs[3], kh: ws[2], kw: ws[3],
		bias: op.bias, relu: op.relu, noDX: op.noDX, pool: op.pool, full: op.full, side: side}
	args := G.Nodes{in[0], in[1], grad}
	if back.yInput() {
		args = append(args, out)
	}
	bn, err := G.ApplyOp(back, args...)
	if err != nil {
		return nil, fmt.Errorf("conv: Conv2D: derivative: %w", err)
	}
	res := G.Nodes{bn, bn}
	if op.noDX {
		res[0] = nil
	} else if res[1], err = G.ApplyOp(fetchOp{shape: ws.Clone(), side: side, out: new(keep)}, bn); err != nil {
		return nil, fmt.Errorf("conv: Conv2D: filter derivative: %w", err)
	}
	if op.bias {
		db, err := G.ApplyOp(fetchOp{bias: true, shape: tensor.Shape{ws[0]}, side: side, out: new(keep)}, bn)
		if err != nil {
			return nil, fmt.Errorf("conv: Conv2D: bias derivative: %w", err)
		}
		res = append(res, db)
	}
	return res, nil
}
