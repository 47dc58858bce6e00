package segment

import (
	"fmt"
	"unsafe"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// float64s returns the contiguous float64 data of v in row-major order,
// materialising a strided view first, and checks it has the shape want.
func float64s(fn string, i int, v G.Value, want tensor.Shape) ([]float64, error) {
	t, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("segment: %s: input %d is a %T, want a *tensor.Dense", fn, i, v)
	}
	if t.Dtype() != tensor.Float64 {
		return nil, fmt.Errorf("segment: %s: input %d has dtype %v, want float64", fn, i, t.Dtype())
	}
	if !t.Shape().Eq(want) {
		return nil, fmt.Errorf("segment: %s: input %d has shape %v, want %v", fn, i, t.Shape(), want)
	}
	if t.RequiresIterator() {
		m, ok := t.Materialize().(*tensor.Dense)
		if !ok {
			return nil, fmt.Errorf("segment: %s: input %d could not be materialised", fn, i)
		}
		t = m
	}
	d, ok := t.Data().([]float64)
	if !ok || len(d) != want.TotalSize() {
		return nil, fmt.Errorf("segment: %s: input %d has %d values, want %d", fn, i, len(d), want.TotalSize())
	}
	return d, nil
}

// output returns a float64 tensor of shape s to write a result into: prealloc
// when it is a contiguous float64 *tensor.Dense of that shape whose memory is
// not shared with any input, a new tensor otherwise.
func output(prealloc G.Value, s tensor.Shape, inputs ...[]float64) (*tensor.Dense, []float64) {
	if t, ok := prealloc.(*tensor.Dense); ok && t.Dtype() == tensor.Float64 && t.Shape().Eq(s) && !t.RequiresIterator() {
		if d, ok := t.Data().([]float64); ok && len(d) == s.TotalSize() && !overlaps(d, inputs...) {
			return t, d
		}
	}
	t := tensor.New(tensor.WithShape(s.Clone()...), tensor.Of(tensor.Float64))
	return t, t.Data().([]float64)
}

// overlaps reports whether d shares memory with any of the slices in others.
func overlaps(d []float64, others ...[]float64) bool {
	if len(d) == 0 {
		return false
	}
	for _, o := range others {
		if len(o) == 0 {
			continue
		}
		if addr(d) < addr(o)+uintptr(len(o))*8 && addr(o) < addr(d)+uintptr(len(d))*8 {
			return true
		}
	}
	return false
}

// addr is the address of the first element of a non-empty slice.
func addr(s []float64) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(s))) }
