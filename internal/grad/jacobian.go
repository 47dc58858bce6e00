package grad

import (
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Jacobian returns the full Jacobian ∂out/∂x of shape (M, N), M and N the
// numbers of elements of out and x (row-major), from M VJPs: for small
// outputs. If out does not depend on x the error matches ErrNoPath.
func Jacobian(out, x *G.Node) (*G.Node, error) {
	if out == nil || x == nil {
		return nil, inputf("Jacobian: out or x is nil")
	}
	os := out.Shape()
	M, N := shapeSize(os), shapeSize(x.Shape())
	rows := make([]*G.Node, M)
	any := false
	for i := range rows {
		e, err := unit(out, os, i)
		if err != nil {
			return nil, err
		}
		// a row whose output element does not depend on x is zero
		r, found, err := backwardFound([]*G.Node{out}, []*G.Node{e}, []*G.Node{x}, true)
		if err != nil {
			return nil, err
		}
		rows[i], any = r[0], any || found[0]
	}
	if !any {
		return nil, errorf(ErrNoPath, "Jacobian: the output does not depend on x (%s)", label(x))
	}
	return stack(rows, []int{M, N}, 0)
}

// stack returns the tensor of shape s whose slices k along axis hold
// parts[k] (each with the elements of one slice, in any shape of that size).
// It writes each part into zeros with the core's put op and sums them, so that
// G.Grad through it uses the core's take op (gorgonia's Concat would be
// differentiated with slices that merge 256 rows apart).
func stack(parts []*G.Node, s tensor.Shape, axis int) (*G.Node, error) {
	var sum *G.Node
	for k, p := range parts {
		b, err := newBlock(s, axis, k, k+1, 1, p.Shape())
		if err != nil {
			return nil, inputf("stacking %d parts into %v: %v", len(parts), s, err)
		}
		q, err := put(p, b)
		if err != nil {
			return nil, err
		}
		if sum == nil {
			sum = q
		} else if sum, err = G.Add(sum, q); err != nil {
			return nil, err
		}
	}
	return sum, nil
}
