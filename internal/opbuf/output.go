package opbuf

import (
	"unsafe"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Output returns a float64 tensor of shape s to write a result into, and
// its data: prealloc when it is a contiguous float64 *tensor.Dense of that
// shape whose memory is not shared with any of inputs, a new tensor
// otherwise.
func Output(prealloc G.Value, s tensor.Shape, inputs ...[]float64) (*tensor.Dense, []float64) {
	if t, ok := prealloc.(*tensor.Dense); ok && t.Dtype() == tensor.Float64 && t.Shape().Eq(s) && !t.RequiresIterator() {
		if d, ok := t.Data().([]float64); ok && len(d) == s.TotalSize() && !Overlaps(d, inputs...) {
			return t, d
		}
	}
	t := tensor.New(tensor.WithShape(s.Clone()...), tensor.Of(tensor.Float64))
	return t, t.Data().([]float64)
}

// Overlaps reports whether d shares memory with any of the slices in
// others. Empty slices share nothing.
func Overlaps(d []float64, others ...[]float64) bool {
	if len(d) == 0 {
		return false
	}
	for _, o := range others {
		if len(o) == 0 {
			continue
		}
		// Slices of the same backing array share memory when their
		// address ranges intersect.
		if addr(d) < addr(o)+uintptr(len(o))*8 && addr(o) < addr(d)+uintptr(len(d))*8 {
			return true
		}
	}
	return false
}

// addr is the address of the first element of a non-empty slice.
func addr(s []float64) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(s))) }
