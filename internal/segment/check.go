package segment

import (
	"encoding/binary"
	"fmt"
	"hash"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// checkIndex checks that idx holds only values in [0, n) and returns a copy.
func checkIndex(fn, name string, idx []int, n int) ([]int, error) {
	if n < 1 {
		return nil, fmt.Errorf("segment: %s: %d segments, want at least 1", fn, n)
	}
	if len(idx) == 0 {
		return nil, fmt.Errorf("segment: %s: %s is empty", fn, name)
	}
	for e, s := range idx {
		if s < 0 || s >= n {
			return nil, fmt.Errorf("segment: %s: %s[%d] = %d is out of range [0, %d)", fn, name, e, s, n)
		}
	}
	return append([]int(nil), idx...), nil
}

// checkMatrix checks that x is a float64 matrix node with rows rows and at
// least one column.
func checkMatrix(fn string, x *G.Node, rows int) error {
	if x == nil {
		return fmt.Errorf("segment: %s: x is nil", fn)
	}
	if x.Graph() == nil {
		return fmt.Errorf("segment: %s: x belongs to no graph", fn)
	}
	if dt := x.Dtype(); dt != tensor.Float64 {
		return fmt.Errorf("segment: %s: x has dtype %v, want float64", fn, dt)
	}
	s := x.Shape()
	if len(s) != 2 || s[1] < 1 {
		return fmt.Errorf("segment: %s: x has shape %v, want a matrix (rows, features)", fn, s)
	}
	if rows >= 0 && s[0] != rows {
		return fmt.Errorf("segment: %s: x has %d rows but the index has %d entries", fn, s[0], rows)
	}
	return nil
}

// matShape reads a matrix shape from a DimSizer.
func matShape(fn string, d G.DimSizer) (tensor.Shape, error) {
	s, ok := d.(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("segment: %s: shape of type %T", fn, d)
	}
	if len(s) != 2 || s[0] < 1 || s[1] < 1 {
		return nil, fmt.Errorf("segment: %s: input has shape %v, want a non-empty matrix", fn, s)
	}
	return s, nil
}

// hashInts writes n, then len(idx) and every index in full into h.
func hashInts(h hash.Hash, idx []int) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(len(idx)))
	h.Write(b[:])
	buf := make([]byte, 0, 8*min(len(idx), 4096))
	for i, v := range idx {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(v))
		if len(buf) == cap(buf) || i == len(idx)-1 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
}

// hashFloats writes len(w) and the bits of every weight into h (nothing
// but the length for nil).
func hashFloats(h hash.Hash, w []float64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(len(w)))
	h.Write(b[:])
	buf := make([]byte, 0, 8*min(len(w), 4096))
	for i, v := range w {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
		if len(buf) == cap(buf) || i == len(w)-1 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
}
