package lnn

import "math"

// cholesky returns DeLaN's factor C(q) at each of the B points of q (n
// values each): c holds B row-major lower-triangular n×n blocks, and, with
// deriv, dc[b·n+k] = ∂C/∂q_k at point b (n×n row-major). The Cholesky
// network runs once on all B points: its Jacobian by forward tangents
// (ad.Dense.JacobianBatch) when deriv, its value alone otherwise.
func (m *Model) cholesky(q []float64, deriv bool) (c []float64, dc [][]float64, err error) {
	n := m.n
	B := len(q) / n
	var raw, jac []float64
	if deriv {
		raw, jac, err = m.dense[0].JacobianBatch(nil, nil, q)
	} else {
		raw, err = m.dense[0].ForwardBatch(nil, q)
	}
	if err != nil {
		return nil, nil, errorf(ErrInput, "%w", err)
	}
	out := n * (n + 1) / 2
	flat, diag := cholLayout(n)
	c = make([]float64, B*n*n)
	if deriv {
		dc = make([][]float64, B*n)
		for k := range dc {
			dc[k] = make([]float64, n*n)
		}
	}
	for b := 0; b < B; b++ {
		cb, rb := c[b*n*n:(b+1)*n*n], raw[b*out:(b+1)*out]
		for k, f := range flat {
			v, s := rb[k], 1.0
			if diag[k] {
				v, s = softplus(rb[k]), sigmoid(rb[k])
			}
			cb[f] = v
			if !deriv {
				continue
			}
			jb := jac[b*out*n : (b+1)*out*n]
			for i := 0; i < n; i++ {
				dc[b*n+i][f] = s * jb[k*n+i]
			}
		}
	}
	return c, dc, nil
}

func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
