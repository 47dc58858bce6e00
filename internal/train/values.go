package train

import (
	"fmt"
	"strconv"
	"unsafe"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// paramData returns the float64 storage of a parameter's current value: the
// backing slice of a dense tensor, or a one-element view of a scalar. Writes
// to it change the parameter.
func paramData(n *G.Node) ([]float64, error) {
	switch v := n.Value().(type) {
	case nil:
		return nil, fmt.Errorf("train: parameter %s has no value; create it with G.WithValue or G.WithInit", label(n))
	case *G.F64:
		return unsafe.Slice((*float64)(v), 1), nil
	case *tensor.Dense:
		if v.Dtype() != tensor.Float64 {
			return nil, fmt.Errorf("train: parameter %s is %v, want float64", label(n), v.Dtype())
		}
		if !v.IsNativelyAccessible() || v.RequiresIterator() {
			return nil, fmt.Errorf("train: parameter %s is not a contiguous dense tensor", label(n))
		}
		return v.Float64s(), nil
	default:
		return nil, fmt.Errorf("train: parameter %s holds a %T, want a float64 tensor or scalar", label(n), v)
	}
}

// gradData returns the float64 storage of a parameter's accumulated
// gradient, or nil if the machine has not bound one yet.
func gradData(n *G.Node) ([]float64, error) {
	gv, err := n.Grad()
	if err != nil {
		return nil, nil
	}
	switch v := gv.(type) {
	case nil:
		return nil, nil
	case *G.F64:
		return unsafe.Slice((*float64)(v), 1), nil
	case *tensor.Dense:
		if v.Dtype() != tensor.Float64 || !v.IsNativelyAccessible() || v.RequiresIterator() {
			return nil, fmt.Errorf("train: gradient of %s is not a contiguous float64 tensor", label(n))
		}
		return v.Float64s(), nil
	default:
		return nil, fmt.Errorf("train: gradient of %s is a %T, want a float64 tensor or scalar", label(n), v)
	}
}

// size is the number of float64 values across params.
func size(params []*G.Node) (int, error) {
	total := 0
	for _, n := range params {
		if n == nil {
			return 0, fmt.Errorf("train: nil parameter")
		}
		d, err := paramData(n)
		if err != nil {
			return 0, err
		}
		total += len(d)
	}
	return total, nil
}

// Values returns the current values of params flattened into one slice, in
// the order of params and row-major within each.
func Values(params []*G.Node) ([]float64, error) {
	n, err := size(params)
	if err != nil {
		return nil, err
	}
	x := make([]float64, 0, n)
	for _, p := range params {
		d, _ := paramData(p)
		x = append(x, d...)
	}
	return x, nil
}

// SetValues writes x, laid out as Values returns it, into params in place.
func SetValues(params []*G.Node, x []float64) error {
	n, err := size(params)
	if err != nil {
		return err
	}
	if len(x) != n {
		return fmt.Errorf("train: SetValues got %d values for parameters holding %d", len(x), n)
	}
	off := 0
	for _, p := range params {
		d, _ := paramData(p)
		off += copy(d, x[off:])
	}
	return nil
}

// label names a parameter in messages: its quoted name, or its shape if it
// was created without G.WithName.
func label(n *G.Node) string {
	if unnamed(n) {
		return fmt.Sprintf("(unnamed, shape %v)", n.Shape())
	}
	return strconv.Quote(n.Name())
}
