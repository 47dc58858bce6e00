package opbuf

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Input returns the contiguous float64 data of v in row-major order,
// materialising a strided view first, and checks that v is a float64
// *tensor.Dense of shape want. Errors read "<pkg>: <op>: input <i> ...".
func Input(pkg, op string, i int, v G.Value, want tensor.Shape) ([]float64, error) {
	t, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("%s: %s: input %d is a %T, want a *tensor.Dense", pkg, op, i, v)
	}
	if t.Dtype() != tensor.Float64 {
		return nil, fmt.Errorf("%s: %s: input %d has dtype %v, want float64", pkg, op, i, t.Dtype())
	}
	if !t.Shape().Eq(want) {
		return nil, fmt.Errorf("%s: %s: input %d has shape %v, want %v", pkg, op, i, t.Shape(), want)
	}
	if t.RequiresIterator() {
		m, ok := t.Materialize().(*tensor.Dense)
		if !ok {
			return nil, fmt.Errorf("%s: %s: input %d could not be materialised", pkg, op, i)
		}
		t = m
	}
	d, ok := t.Data().([]float64)
	if !ok || len(d) != want.TotalSize() {
		return nil, fmt.Errorf("%s: %s: input %d has %d values, want %d", pkg, op, i, len(d), want.TotalSize())
	}
	return d, nil
}
