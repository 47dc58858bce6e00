package grad

import (
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The batched forms. x is a (B, n) input whose rows are independent samples
// and out is computed row by row: row b of out depends on row b of x only
// (a network applied to each row; no batch norm, no mean over the batch).
// Then the VJP of out with a seed that has ones in column j gives row b's
// ∂out[b,j]/∂x[b,:] in row b, for all samples at once, and n VJPs or HVPs
// with such seeds give every sample's Jacobian, Hessian or Laplacian. If rows
// are not independent, the results mix samples: these functions cannot check
// it.

// checkBatch checks that x is (B, n) and out (B, m) and returns B, n, m.
func checkBatch(fn string, out, x *G.Node) (int, int, int, error) {
	if out == nil || x == nil {
		return 0, 0, 0, inputf("%s: out or x is nil", fn)
	}
	xs, os := x.Shape(), out.Shape()
	if xs.Dims() != 2 {
		return 0, 0, 0, inputf("%s: x has shape %v, want (B, n)", fn, xs)
	}
	B := xs[0]
	switch {
	case os.Dims() == 2 && os[0] == B:
		return B, xs[1], os[1], nil
	case os.Dims() == 1 && os[0] == B:
		return B, xs[1], 1, nil
	}
	return 0, 0, 0, inputf("%s: out has shape %v, want (%d, m) for x of shape %v", fn, os, B, xs)
}

// BatchGrad returns the per-sample gradients ∇ₓout[b] of a (B, 1) or (B,)
// out, in a (B, n) node: the VJP of out with ones.
func BatchGrad(out, x *G.Node) (*G.Node, error) {
	_, _, m, err := checkBatch("BatchGrad", out, x)
	if err != nil {
		return nil, err
	}
	if m != 1 {
		return nil, inputf("BatchGrad: out has shape %v, want (B, 1) or (B,)", out.Shape())
	}
	one, err := ones(out, out.Shape())
	if err != nil {
		return nil, err
	}
	r, err := VJP(out, one, x)
	if err != nil {
		return nil, err
	}
	return r[0], nil
}

// BatchJacobian returns the per-sample Jacobians ∂out[b,:]/∂x[b,:] of a
// (B, m) out, a (B, m, n) node, from m VJPs.
func BatchJacobian(out, x *G.Node) (*G.Node, error) {
	B, n, m, err := checkBatch("BatchJacobian", out, x)
	if err != nil {
		return nil, err
	}
	rows := make([]*G.Node, m)
	any := false
	for j := range rows {
		e, err := column(out, out.Shape(), j)
		if err != nil {
			return nil, err
		}
		r, found, err := backwardFound([]*G.Node{out}, []*G.Node{e}, []*G.Node{x}, true)
		if err != nil {
			return nil, err
		}
		rows[j], any = r[0], any || found[0]
	}
	if !any {
		return nil, errorf(ErrNoPath, "BatchJacobian: the output does not depend on x (%s)", label(x))
	}
	return stack(rows, tensor.Shape{B, m, n}, 1)
}

// BatchHessian returns the per-sample Hessians ∇ₓ∇ₓᵀout[b] of a (B, 1) or
// (B,) out, a (B, n, n) node, from n HVPs with column seeds. A zero Hessian
// (out linear in x) is a zero constant.
func BatchHessian(out, x *G.Node) (*G.Node, error) {
	B, n, _, err := checkBatch("BatchHessian", out, x)
	if err != nil {
		return nil, err
	}
	gr, err := BatchGrad(out, x)
	if err != nil {
		return nil, err
	}
	rows := make([]*G.Node, n)
	for i := range rows {
		e, err := column(x, x.Shape(), i)
		if err != nil {
			return nil, err
		}
		r, err := backward([]*G.Node{gr}, []*G.Node{e}, []*G.Node{x}, true)
		if err != nil {
			return nil, err
		}
		rows[i] = r[0]
	}
	return stack(rows, tensor.Shape{B, n, n}, 1)
}

// BatchLaplacian returns the per-sample Laplacians Σᵢ ∂²out[b]/∂x[b,i]² of
// a (B, 1) or (B,) out, a (B, 1) node, over the columns dims of x (all when
// none are given), from one HVP per column.
func BatchLaplacian(out, x *G.Node, dims ...int) (*G.Node, error) {
	B, n, _, err := checkBatch("BatchLaplacian", out, x)
	if err != nil {
		return nil, err
	}
	if dims == nil {
		dims = allDims(n)
	}
	if err := checkDims("BatchLaplacian", dims, n); err != nil {
		return nil, err
	}
	gr, err := BatchGrad(out, x)
	if err != nil {
		return nil, err
	}
	var sum *G.Node
	for _, i := range dims {
		e, err := column(x, x.Shape(), i)
		if err != nil {
			return nil, err
		}
		h, err := backward([]*G.Node{gr}, []*G.Node{e}, []*G.Node{x}, true)
		if err != nil {
			return nil, err
		}
		d, err := G.HadamardProd(h[0], e)
		if err != nil {
			return nil, err
		}
		if sum == nil {
			sum = d
		} else if sum, err = G.Add(sum, d); err != nil {
			return nil, err
		}
	}
	// row sums, as (B, 1)
	oneCol, err := ones(x, tensor.Shape{n, 1})
	if err != nil {
		return nil, err
	}
	_ = B
	return G.Mul(sum, oneCol)
}
