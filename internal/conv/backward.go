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

// backOp is Conv2D's whole derivative in one op: from x, w, ḡ and, with
// relu, the output y (after the ReLU, which masks ḡ), it computes ∂x, ∂w
// and, with bias, ∂b in one pass over the samples, so that each sample's
// ḡ (and y) is read from memory once, not once per derivative. A gorgonia
// op has one output: backOp returns ∂x (∂w when noDX), and keeps ∂w and
// ∂b in side, from where a fetchOp node that takes backOp's node as its
// input (so runs after it) returns each.
//
// With pool (the forward op max-pools its output), ḡ is the gradient of
// the pooled output and the output before pooling is read from full, the
// forward op's own buffer (the forward op runs first: ḡ depends on it).
type backOp struct {
	stride, pad, h, w, kh, kw int
	bias, relu, noDX          bool
	pool                      int
	full                      *keep     // with pool; not hashed
	side                      *backSide // not hashed
}

// yInput reports whether the output y is an input of the op (a ReLU
// without pooling; with pooling y comes from full).
func (op backOp) yInput() bool { return op.relu && op.pool == 0 }

// backSide holds what a backOp computes beyond its output.
type backSide struct {
	out    keep          // the output tensor from run to run
	dw, db *tensor.Dense // ∂w (unless it is the output) and ∂b
}

var (
	_ G.SDOp            = backOp{}
	_ G.UsePreallocDoer = backOp{}
	_ G.SDOp            = fetchOp{}
)

func (op backOp) Arity() int {
	if op.yInput() {
		return 4
	}
	return 3
}

func (op backOp) Type() hm.Type {
	t4 := G.TensorType{Dims: 4, Of: hm.TypeVariable('a')}
	if op.yInput() {
		return hm.NewFnType(t4, t4, t4, t4, t4)
	}
	return hm.NewFnType(t4, t4, t4, t4)
}

// geom checks the shapes of x, w, ḡ (and y) and returns the geometry.
func (op backOp) geom(fn string, s []tensor.Shape) (geom, error) {
	if len(s) != op.Arity() {
		return geom{}, fmt.Errorf("conv: %s: %d inputs, want %d", fn, len(s), op.Arity())
	}
	for _, t := range s {
		if len(t) != 4 {
			return geom{}, fmt.Errorf("conv: %s: input of shape %v, want 4 axes", fn, t)
		}
	}
	g, err := newGeom(fn, s[0], s[1], op.stride, op.pad)
	if err != nil {
		return geom{}, err
	}
	if s[0][2] != op.h || s[0][3] != op.w || s[1][2] != op.kh || s[1][3] != op.kw {
		return geom{}, fmt.Errorf("conv: %s: input %v and filters %v, want %d×%d maps and %d×%d kernels", fn, s[0], s[1], op.h, op.w, op.kh, op.kw)
	}
	gs, err := g.outShape(op.pool)
	if err != nil {
		return geom{}, err
	}
	if !gs.Eq(s[2]) {
		return geom{}, fmt.Errorf("conv: %s: gradient of shape %v, want %v", fn, s[2], gs)
	}
	if len(s) > 3 && !g.yShape().Eq(s[3]) {
		return geom{}, fmt.Errorf("conv: %s: output of shape %v, want %v", fn, s[3], g.yShape())
	}
	return g, nil
}

func (op backOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	s := make([]tensor.Shape, len(ds))
	for i, d := range ds {
		t, ok := d.(tensor.Shape)
		if !ok {
			return nil, fmt.Errorf("conv: Conv2D derivative: shape of type %T", d)
		}
		s[i] = t
	}
	g, err := op.geom("Conv2D derivative", s)
	if err != nil {
		return nil, err
	}
	if op.noDX {
		return g.wShape(), nil
	}
	return g.xShape(), nil
}

func (op backOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op backOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	const fn = "Conv2D derivative"
	s := make([]tensor.Shape, len(in))
	for i, v := range in {
		s[i] = v.Shape()
	}
	g, err := op.geom(fn, s)
	if err != nil {
		return nil, err
	}
	dt, err := dtypeOf(fn, in[0])
	if err != nil {
		return nil, err
	}
	if dt == tensor.Float32 {
		return backward[float32](op, g, prealloc, in)
	}
	return backward[float64](op, g, prealloc, in)
}

// backward computes the three derivatives: on the direct path in one pass
// over the samples (directBackward), else by masking ḡ once and running
// the separate derivative ops' code on it.
func backward[T float](op backOp, g geom, prealloc G.Value, in []G.Value) (G.Value, error) {
	const fn = "Conv2D derivative"
	gs, err := g.outShape(op.pool)
	if err != nil {
		return nil, err
	}
	var x, w, dy, y []T
	for i, p := range []*[]T{&x, &w, &dy, &y}[:len(in)] {
		want := [4]tensor.Shape{g.xShape(), g.wShape(), gs, g.yShape()}[i]
		d, err := dataOf[T](fn, i, in[i], want)
		if err != nil {
			return nil, err
		}
		*p = d
	}
	if op.pool > 0 {
		if op.full == nil || op.full.t == nil {
			return nil, fmt.Errorf("conv: %s: the forward convolution has not run", fn)
		}
		if y, err = dataOf[T](fn, 3, op.full.t, g.yShape()); err != nil {
			return nil, err
		}
	}
	side := op.side
	var out *tensor.Dense
	var dx, dw, db []T
	if op.noDX {
		out, dw = outputKeep[T](&side.out, prealloc, g.wShape(), x, w, dy, y)
	} else {
		out, dx = outputKeep[T](&side.out, prealloc, g.xShape(), x, w, dy, y)
		side.dw, dw = outputKeep[T](&keep{side.dw}, nil, g.wShape())
	}
	if op.bias {
		side.db, db = outputKeep[T](&keep{side.db}, nil, tensor.Shape{g.O})
	}
	if x32, ok := any(x).([]float32); ok && g.direct() {
		directBackward(g, x32, any(w).([]float32), any(dy).([]float32), any(y).([]float32), op.relu, op.pool,
			any(dx).([]float32), any(dw).([]float32), any(db).([]float32))
		return out, nil
	}
	// The other paths: ḡ unpooled and masked once, then each derivative's
	// own code.
	gv := in[2]
	if y != nil {
		mb := getBuf[T](len(y))
		defer bufPool.Put(mb)
		full := *mb
		if op.pool > 0 {
			poolMaps(y, full, dy, g.B*g.O, g.HO, g.WO, op.pool)
			if op.relu {
				maskInto(full, full, y)
			}
		} else {
			maskInto(full, dy, y)
		}
		gv = tensor.New(tensor.WithShape(g.yShape()...), tensor.WithBacking(full))
	}
	run := func(dst []T, f func() (G.Value, error)) error {
		v, err := f()
		if err != nil {
			return err
		}
		src, err := dataOf[T](fn, 0, v, v.Shape())
		if err != nil {
			return err
		}
		copy(dst, src)
		return nil
	}
	if dx != nil {
		if err := run(dx, func() (G.Value, error) {
			return inputGradOp{stride: op.stride, pad: op.pad, h: op.h, w: op.w}.Do(in[1], gv)
		}); err != nil {
			return nil, err
		}
	}
	if err := run(dw, func() (G.Value, error) {
		return filterGradOp{stride: op.stride, pad: op.pad, kh: op.kh, kw: op.kw}.Do(in[0], gv)
	}); err != nil {
		return nil, err
	}
	if db != nil {
		if err := run(db, func() (G.Value, error) { return biasGradOp{}.Do(gv) }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (op backOp) ReturnsPtr() bool     { return false }
func (op backOp) CallsExtern() bool    { return false }
func (op backOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, geometry and flags.
func (op backOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "conv.backOp{stride=%d,pad=%d,h=%d,w=%d,kh=%d,kw=%d,bias=%t,relu=%t,nodx=%t,pool=%d}",
		op.stride, op.pad, op.h, op.w, op.kh, op.kw, op.bias, op.relu, op.noDX, op.pool)
}

func (op backOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op backOp) String() string {
	return fmt.Sprintf("Conv2DGrad(stride=%d, pad=%d, relu=%t, nodx=%t)", op.stride, op.pad, op.relu, op.noDX)
}

func (op backOp) DiffWRT(int) []bool { return make([]bool, op.Arity()) }

// SymDiff is not offered: the backward ops are not differentiated again.
func (op backOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, errors.New("conv: the Conv2D derivative has no derivative (second derivatives of a convolution are not supported)")
}

// fetchOp returns a copy of ∂w or ∂b (bias set) from a backOp's side; its
// input is the backOp's node, read only to run after it.
type fetchOp struct {
	bias  bool
	shape tensor.Shape
	side  *backSide // not hashed
	out   *keep     // not hashed
}

func (op fetchOp) Arity() int { return 1 }

func (op fetchOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 4, Of: a}, G.TensorType{Dims: len(op.shape), Of: a})
}

func (op fetchOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("conv: Conv2D derivative fetch: %d inputs, want 1", len(ds))
	}
	return op.shape.Clone(), nil
}

func (op fetchOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op fetchOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	src := op.side.dw
	if op.bias {
		src = op.side.db
	}
	if src == nil {
		return nil, errors.New("conv: Conv2D derivative fetch: the derivative has not run")
	}
	if len(in) != 1 {
		return nil, fmt.Errorf("conv: Conv2D derivative fetch: %d inputs, want 1", len(in))
	}
	switch s := src.Data().(type) {
	case []float32:
		out, d := outputKeep[float32](op.out, prealloc, op.shape, s)
		copy(d, s)
		return out, nil
	case []float64:
		out, d := outputKeep[float64](op.out, prealloc, op.shape, s)
		copy(d, s)
		return out, nil
	}
	return nil, fmt.Errorf("conv: Conv2D derivative fetch: dtype %v", src.Dtype())
}

func (op fetchOp) ReturnsPtr() bool     { return false }
func (op fetchOp) CallsExtern() bool    { return false }
func (op fetchOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, which derivative and its shape.
func (op fetchOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "conv.fetchOp{bias=%t,shape=%v}", op.bias, op.shape)
}

func (op fetchOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op fetchOp) String() string {
	if op.bias {
		return "Conv2DBiasGradFetch"
	}
	return "Conv2DFilterGradFetch"
}

func (op fetchOp) DiffWRT(int) []bool { return []bool{false} }

// SymDiff is not offered: the backward ops are not differentiated again.
func (op fetchOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, errors.New("conv: the Conv2D derivative has no derivative")
}
