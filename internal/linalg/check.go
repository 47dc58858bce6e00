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

// applyBinary checks the two inputs of a binary op of this package (each a
// float64 node of the given rank, both in one graph, with shapes the op
// accepts) and applies the op, so that every constructor reports bad input
// the same way.
func applyBinary(op G.Op, xName string, x *G.Node, xDims int, yName string, y *G.Node, yDims int) (*G.Node, error) {
	fn := op.String()
	if err := checkNode(fn, xName, x, xDims); err != nil {
		return nil, err
	}
	if err := checkNode(fn, yName, y, yDims); err != nil {
		return nil, err
	}
	if err := sameGraph(fn, x, y); err != nil {
		return nil, err
	}
	if _, err := op.InferShape(x.Shape(), y.Shape()); err != nil {
		return nil, err
	}
	z, err := G.ApplyOp(op, x, y)
	if err != nil {
		return nil, fmt.Errorf("linalg: %s: %w", fn, err)
	}
	return z, nil
}

// twoShapes reads the input shapes of a binary op's InferShape.
func twoShapes(fn string, ds []G.DimSizer) (tensor.Shape, tensor.Shape, error) {
	if len(ds) != 2 {
		return nil, nil, fmt.Errorf("linalg: %s: %d inputs, want 2", fn, len(ds))
	}
	x, err := shapeOf(fn, ds[0])
	if err != nil {
		return nil, nil, err
	}
	y, err := shapeOf(fn, ds[1])
	if err != nil {
		return nil, nil, err
	}
	return x, y, nil
}
