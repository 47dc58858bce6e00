package linalg

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// checkNode checks that x is a float64 node of rank dims.
func checkNode(fn, name string, x *G.Node, dims int) error {
	if x == nil {
		return fmt.Errorf("linalg: %s: %s is nil", fn, name)
	}
	if x.Graph() == nil {
		return fmt.Errorf("linalg: %s: %s belongs to no graph", fn, name)
	}
	if dt := x.Dtype(); dt != tensor.Float64 {
		return fmt.Errorf("linalg: %s: %s has dtype %v, want float64", fn, name, dt)
	}
	s := x.Shape()
	if len(s) != dims {
		return fmt.Errorf("linalg: %s: %s has shape %v (rank %d), want rank %d", fn, name, s, len(s), dims)
	}
	for _, d := range s {
		if d < 1 {
			return fmt.Errorf("linalg: %s: %s has shape %v with an empty dimension", fn, name, s)
		}
	}
	return nil
}

// sameGraph checks that all nodes belong to the graph of the first.
func sameGraph(fn string, xs ...*G.Node) error {
	for _, x := range xs[1:] {
		if x.Graph() != xs[0].Graph() {
			return fmt.Errorf("linalg: %s: inputs belong to different graphs", fn)
		}
	}
	return nil
}

// shapeOf returns the shape a DimSizer stands for.
func shapeOf(fn string, d G.DimSizer) (tensor.Shape, error) {
	s, ok := d.(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("linalg: %s: shape of type %T", fn, d)
	}
	return s, nil
}
