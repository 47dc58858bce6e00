package grad

import (
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Reshape returns a copy of x in shape s (the same number of elements),
// differentiable to any order. Use it instead of G.Reshape in graphs to be
// differentiated: gorgonia's Reshape shares its input's memory, so an
// elementwise op applied to it, which the tape machine may run in place,
// also overwrites the input, and derivatives that read the input afterwards
// come out wrong (Grad refuses such graphs, naming the ops).
func Reshape(x *G.Node, s tensor.Shape) (*G.Node, error) {
	if x == nil {
		return nil, inputf("Reshape: x is nil")
	}
	if x.Graph() == nil {
		return nil, inputf("Reshape: x belongs to no graph")
	}
	for _, d := range s {
		if d < 1 {
			return nil, inputf("Reshape: shape %v", s)
		}
	}
	if shapeSize(s) != shapeSize(x.Shape()) {
		return nil, inputf("Reshape: x of shape %v has %d elements, shape %v %d", x.Shape(), shapeSize(x.Shape()), s, shapeSize(s))
	}
	if sameShape(x.Shape(), s) {
		return x, nil
	}
	r, err := reshapeCopy(x, s)
	if err != nil {
		return nil, inputf("Reshape: %v", err)
	}
	return r, nil
}
