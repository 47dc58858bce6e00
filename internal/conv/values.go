package conv

import (
	"fmt"
	"unsafe"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// float is the element type of the ops' values.
type float interface{ ~float32 | ~float64 }

// dataOf returns the contiguous row-major data of v as []T, materialising a
// strided view first, and checks its shape.
func dataOf[T float](fn string, i int, v G.Value, want tensor.Shape) ([]T, error) {
	t, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("conv: %s: input %d is a %T, want a *tensor.Dense", fn, i, v)
	}
	if !t.Shape().Eq(want) {
		return nil, fmt.Errorf("conv: %s: input %d has shape %v, want %v", fn, i, t.Shape(), want)
	}
	if t.RequiresIterator() {
		m, ok := t.Materialize().(*tensor.Dense)
		if !ok {
			return nil, fmt.Errorf("conv: %s: input %d could not be materialised", fn, i)
		}
		t = m
	}
	d, ok := t.Data().([]T)
	if !ok {
		var z T
		return nil, fmt.Errorf("conv: %s: input %d has dtype %v, want %T", fn, i, t.Dtype(), z)
	}
	if len(d) != want.TotalSize() {
		return nil, fmt.Errorf("conv: %s: input %d has %d values, want %d", fn, i, len(d), want.TotalSize())
	}
	return d, nil
}

// output returns a tensor of shape s and element type T to write a result
// into: prealloc when it fits and is not one of the inputs' memory, a new
// tensor otherwise.
func output[T float](prealloc G.Value, s tensor.Shape, inputs ...[]T) (*tensor.Dense, []T) {
	if t, ok := prealloc.(*tensor.Dense); ok && t.Shape().Eq(s) && !t.RequiresIterator() {
		if d, ok := t.Data().([]T); ok && len(d) == s.TotalSize() && !overlaps(d, inputs...) {
			return t, d
		}
	}
	var z T
	dt := tensor.Float64
	if _, ok := any(z).(float32); ok {
		dt = tensor.Float32
	}
	t := tensor.New(tensor.WithShape(s.Clone()...), tensor.Of(dt))
	return t, t.Data().([]T)
}

// keep holds an op's output tensor from one run of its graph to the next.
// gorgonia's tape machine forgets every value at Reset, so without it each
// run allocates (and the garbage collector clears) every activation and
// gradient anew: 70 MB a P4CNN step. Each node gets its own keep (made
// when the op is applied, not hashed), so two nodes never share an
// output; a value read from the node is overwritten by the next run, as
// with gorgonia's own preallocated registers. One graph must not run on
// two machines at once.
type keep struct{ t *tensor.Dense }

// outputKeep is output, but a tensor it makes is kept in k and returned
// again by later calls whose shape and type it fits.
func outputKeep[T float](k *keep, prealloc G.Value, s tensor.Shape, inputs ...[]T) (*tensor.Dense, []T) {
	if t, ok := prealloc.(*tensor.Dense); ok && t.Shape().Eq(s) && !t.RequiresIterator() {
		if d, ok := t.Data().([]T); ok && len(d) == s.TotalSize() && !overlaps(d, inputs...) {
			return t, d
		}
	}
	if k != nil && k.t != nil && k.t.Shape().Eq(s) && len(k.t.Shape()) == len(s) {
		if d, ok := k.t.Data().([]T); ok && len(d) == s.TotalSize() && !overlaps(d, inputs...) {
			return k.t, d
		}
	}
	t, d := output[T](nil, s)
	if k != nil {
		k.t = t
	}
	return t, d
}

// overlaps reports whether d shares memory with any of others.
func overlaps[T float](d []T, others ...[]T) bool {
	if len(d) == 0 {
		return false
	}
	var z T
	size := unsafe.Sizeof(z)
	for _, o := range others {
		if len(o) == 0 {
			continue
		}
		if addr(d) < addr(o)+uintptr(len(o))*size && addr(o) < addr(d)+uintptr(len(d))*size {
			return true
		}
	}
	return false
}

// addr is the address of the first element of a non-empty slice.
func addr[T float](s []T) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(s))) }

// dtypeOf checks that v is float32 or float64 and returns it.
func dtypeOf(fn string, v G.Value) (tensor.Dtype, error) {
	dt := v.Dtype()
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return dt, fmt.Errorf("conv: %s: dtype %v, want float32 or float64", fn, dt)
	}
	return dt, nil
}

// shapeOf reads a shape of dims axes from a DimSizer.
func shapeOf(fn string, d G.DimSizer, dims int) (tensor.Shape, error) {
	s, ok := d.(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("conv: %s: shape of type %T", fn, d)
	}
	if len(s) != dims {
		return nil, fmt.Errorf("conv: %s: shape %v, want %d axes", fn, s, dims)
	}
	for _, n := range s {
		if n < 1 {
			return nil, fmt.Errorf("conv: %s: shape %v has an empty axis", fn, s)
		}
	}
	return s, nil
}
