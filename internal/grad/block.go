package grad

import (
	"encoding/binary"
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// block describes a strided range of indices along one axis of a tensor:
// the part of an input of shape in that a slice takes, laid out in shape out.
// It is shared by the core's two slice ops, take (the part) and put (the
// part written into zeros of shape in), each the other's derivative.
//
// gorgonia's own slice op cannot serve: it hashes its bounds modulo 256, so
// two slices of one node that differ by 256 rows are merged into one node
// (DESIGN.md), and its adjoint op claims a derivative with respect to the
// tensor it only takes the shape of, and none with respect to the values it
// writes.
type block struct {
	in, out            tensor.Shape
	axis               int
	start, end, stride int // stride 0: the single index start
}

// newBlock checks b and returns it. out may be nil: the shape then keeps
// every axis, the sliced one of length len(indices).
func newBlock(in tensor.Shape, axis, start, end, stride int, out tensor.Shape) (block, error) {
	b := block{in: in.Clone(), axis: axis, start: start, end: end, stride: stride}
	if in.IsScalar() || axis < 0 || axis >= len(in) {
		return b, fmt.Errorf("slice of axis %d of shape %v", axis, in)
	}
	if stride == 0 {
		b.end = start + 1
	}
	if b.start < 0 || b.end > in[axis] || b.start >= b.end || stride < 0 {
		return b, fmt.Errorf("slice %d:%d:%d of axis %d of shape %v", start, end, stride, axis, in)
	}
	if out == nil {
		out = in.Clone()
		out[axis] = b.count()
	}
	b.out = out.Clone()
	if b.outSize() != b.pre()*b.count()*b.post() {
		return b, fmt.Errorf("slice %d:%d:%d of axis %d of shape %v has %d elements, not the %d of shape %v",
			start, end, stride, axis, in, b.pre()*b.count()*b.post(), b.outSize(), out)
	}
	return b, nil
}

func (b block) count() int {
	if b.stride <= 1 {
		return b.end - b.start
	}
	return (b.end - b.start + b.stride - 1) / b.stride
}

func (b block) step() int {
	if b.stride == 0 {
		return 1
	}
	return b.stride
}

func (b block) pre() int {
	p := 1
	for _, d := range b.in[:b.axis] {
		p *= d
	}
	return p
}

func (b block) post() int {
	p := 1
	for _, d := range b.in[b.axis+1:] {
		p *= d
	}
	return p
}

func (b block) outSize() int {
	if b.out.IsScalar() {
		return 1
	}
	return b.out.TotalSize()
}

// copyPart copies between the full array full (shape in) and the part
// part (shape out): into part when take, into full otherwise.
func copyPart[T float64 | float32](b block, full, part []T, take bool) {
	pre, post, n, m := b.pre(), b.post(), b.in[b.axis], b.count()
	for i := 0; i < pre; i++ {
		for k := 0; k < m; k++ {
			src := (i*n + b.start + k*b.step()) * post
			dst := (i*m + k) * post
			if take {
				copy(part[dst:dst+post], full[src:src+post])
			} else {
				copy(full[src:src+post], part[dst:dst+post])
			}
		}
	}
}

func (b block) writeHash(h hash.Hash, name string) {
	fmt.Fprintf(h, "physbias/grad.%s", name)
	w := func(v int) { _ = binary.Write(h, binary.LittleEndian, int64(v)) }
	for _, s := range []tensor.Shape{b.in, b.out} {
		w(len(s))
		for _, d := range s {
			w(d)
		}
	}
	w(b.axis)
	w(b.start)
	w(b.end)
	w(b.stride)
}

func (b block) String() string {
	return fmt.Sprintf("%v[axis %d, %d:%d:%d]→%v", b.in, b.axis, b.start, b.end, b.stride, b.out)
}

// nodeType is the gorgonia type of a value of shape s and element type a.
func nodeType(s tensor.Shape, a hm.Type) hm.Type {
	if s.IsScalar() {
		return a
	}
	return G.TensorType{Dims: s.Dims(), Of: a}
}

// values returns the elements of v, a tensor or a scalar of type T.
func values[T float64 | float32](v G.Value) ([]T, error) {
	switch x := v.(type) {
	case *tensor.Dense:
		d, ok := x.Data().([]T)
		if !ok {
			return nil, fmt.Errorf("value of type %v", x.Dtype())
		}
		return d, nil
	case *G.F64:
		if p, ok := any(&[]float64{float64(*x)}).(*[]T); ok {
			return *p, nil
		}
	case *G.F32:
		if p, ok := any(&[]float32{float32(*x)}).(*[]T); ok {
			return *p, nil
		}
	}
	return nil, fmt.Errorf("value %T", v)
}

// makeValue returns a zero value of shape s and type dt with its elements.
func makeValue(s tensor.Shape, dt tensor.Dtype) (G.Value, error) {
	if s.IsScalar() {
		switch dt {
		case tensor.Float64:
			return G.NewF64(0), nil
		case tensor.Float32:
			return G.NewF32(0), nil
		}
		return nil, fmt.Errorf("type %v", dt)
	}
	return tensor.New(tensor.WithShape(s.Clone()...), tensor.Of(dt)), nil
}

// runBlock computes take (part of x) or put (x written into zeros).
func runBlock(b block, take bool, name string, inputs []G.Value) (G.Value, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("grad: %s: %d inputs, want 1", name, len(inputs))
	}
	x := inputs[0]
	dt := x.Dtype()
	src, dstShape := b.out, b.in
	if take {
		src, dstShape = b.in, b.out
	}
	if want := shapeSize(src); shapeSize(x.Shape()) != want {
		return nil, fmt.Errorf("grad: %s: input of shape %v, want %v", name, x.Shape(), src)
	}
	out, err := makeValue(dstShape, dt)
	if err != nil {
		return nil, fmt.Errorf("grad: %s: %w", name, err)
	}
	switch dt {
	case tensor.Float64:
		err = fill[float64](b, take, x, out)
	case tensor.Float32:
		err = fill[float32](b, take, x, out)
	default:
		err = fmt.Errorf("type %v", dt)
	}
	if err != nil {
		return nil, fmt.Errorf("grad: %s: %w", name, err)
	}
	return out, nil
}

func fill[T float64 | float32](b block, take bool, x, out G.Value) error {
	xs, err := values[T](x)
	if err != nil {
		return err
	}
	switch o := out.(type) {
	case *tensor.Dense:
		os := o.Data().([]T)
		if take {
			copyPart(b, xs, os, true)
		} else {
			copyPart(b, os, xs, false)
		}
	case *G.F64: // a single element taken
		*o = G.F64(xs[b.start*b.post()])
	case *G.F32:
		*o = G.F32(xs[b.start*b.post()])
	}
	return nil
}

func shapeSize(s tensor.Shape) int {
	if s.IsScalar() {
		return 1
	}
	return s.TotalSize()
}
