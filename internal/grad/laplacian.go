package grad

import (
	G "gorgonia.org/gorgonia"
)

// Laplacian returns Σᵢ ∂²out/∂xᵢ², a scalar node, for a scalar out, over
// every element xᵢ of x (or over the flat positions dims, when given), from
// one Hessian-vector product per position. For a batch of independent
// samples use BatchLaplacian. If out does not depend on x the error matches
// ErrNoPath.
func Laplacian(out, x *G.Node, dims ...int) (*G.Node, error) {
	if x == nil {
		return nil, inputf("Laplacian: x is nil")
	}
	gr, err := Grad(out, x)
	if err != nil {
		return nil, err
	}
	xs := x.Shape()
	N := shapeSize(xs)
	if dims == nil {
		dims = allDims(N)
	}
	if err := checkDims("Laplacian", dims, N); err != nil {
		return nil, err
	}
	var sum *G.Node
	for _, i := range dims {
		e, err := unit(x, xs, i)
		if err != nil {
			return nil, err
		}
		h, err := backward([]*G.Node{gr[0]}, []*G.Node{e}, []*G.Node{x}, true)
		if err != nil {
			return nil, err
		}
		// ∂²out/∂xᵢ² = eᵢ·(H eᵢ)
		d, err := G.HadamardProd(h[0], e)
		if err != nil {
			return nil, err
		}
		if !d.IsScalar() {
			if d, err = G.Sum(d); err != nil {
				return nil, err
			}
		}
		if sum == nil {
			sum = d
		} else if sum, err = G.Add(sum, d); err != nil {
			return nil, err
		}
	}
	return sum, nil
}

func allDims(n int) []int {
	d := make([]int, n)
	for i := range d {
		d[i] = i
	}
	return d
}

func checkDims(fn string, dims []int, n int) error {
	if len(dims) == 0 {
		return inputf("%s: no dims", fn)
	}
	seen := make(map[int]bool, len(dims))
	for _, d := range dims {
		if d < 0 || d >= n {
			return inputf("%s: dim %d out of range [0, %d)", fn, d, n)
		}
		if seen[d] {
			return inputf("%s: dim %d given twice", fn, d)
		}
		seen[d] = true
	}
	return nil
}
