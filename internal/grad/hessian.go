package grad

import (
	G "gorgonia.org/gorgonia"
)

// HVP returns the Hessian of the scalar cost with respect to x times v,
// (∇ₓ∇ₓᵀcost)·v, of x's shape: the VJP of ∇ₓcost along v (the Hessian is
// symmetric). If ∇ₓcost does not depend on x (cost is linear in x) the
// result is a zero constant; if cost does not depend on x at all the error
// matches ErrNoPath.
func HVP(cost, x, v *G.Node) (*G.Node, error) {
	if v == nil || x == nil {
		return nil, inputf("HVP: x or v is nil")
	}
	if !sameShape(v.Shape(), x.Shape()) {
		return nil, inputf("HVP: v has shape %v, x %v", v.Shape(), x.Shape())
	}
	gr, err := Grad(cost, x)
	if err != nil {
		return nil, err
	}
	r, err := backward([]*G.Node{gr[0]}, []*G.Node{v}, []*G.Node{x}, true)
	if err != nil {
		return nil, err
	}
	return r[0], nil
}

// Hessian returns the full Hessian ∇ₓ∇ₓᵀcost of the scalar cost, of shape
// (N, N) with N the number of elements of x (row-major), from N
// Hessian-vector products: for small inputs. Errors as HVP.
func Hessian(cost, x *G.Node) (*G.Node, error) {
	if x == nil {
		return nil, inputf("Hessian: x is nil")
	}
	gr, err := Grad(cost, x)
	if err != nil {
		return nil, err
	}
	xs := x.Shape()
	N := shapeSize(xs)
	rows := make([]*G.Node, N)
	for i := range rows {
		e, err := unit(x, xs, i)
		if err != nil {
			return nil, err
		}
		r, err := backward([]*G.Node{gr[0]}, []*G.Node{e}, []*G.Node{x}, true)
		if err != nil {
			return nil, err
		}
		rows[i] = r[0]
	}
	return stack(rows, []int{N, N}, 0)
}
