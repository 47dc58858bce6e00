package lnn

import "math"

// jacNet is a plain-Go softplus MLP that evaluates its output and its
// Jacobian with respect to the inputs by forward tangents, for the DeLaN
// Cholesky network in rollouts (internal/ad's Dense gives only scalar-output
// gradients and Hessians).
type jacNet struct {
	sizes []int
	w, b  [][]float64 // w[l] row-major (sizes[l], sizes[l+1])
}

// newJacNet splits theta, laid out W0, b0, W1, b1, … row-major, into layers.
func newJacNet(sizes []int, theta []float64) *jacNet {
	n := &jacNet{sizes: sizes}
	off := 0
	for l := 0; l+1 < len(sizes); l++ {
		fi, fo := sizes[l], sizes[l+1]
		n.w = append(n.w, theta[off:off+fi*fo])
		off += fi * fo
		n.b = append(n.b, theta[off:off+fo])
		off += fo
	}
	return n
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

// eval returns f(x) (Out values) and the Jacobian ∂f/∂x (Out×In, row-major).
func (n *jacNet) eval(x []float64) (y, jac []float64) {
	in := n.sizes[0]
	a := x
	// t[i*width+j]: tangent of unit j along input i.
	t := make([]float64, in*in)
	for i := 0; i < in; i++ {
		t[i*in+i] = 1
	}
	L := len(n.w)
	for l := 0; l < L; l++ {
		fi, fo := n.sizes[l], n.sizes[l+1]
		z := append([]float64(nil), n.b[l]...)
		zt := make([]float64, in*fo)
		for k := 0; k < fi; k++ {
			row := n.w[l][k*fo : (k+1)*fo]
			ak := a[k]
			for j, v := range row {
				z[j] += ak * v
			}
			for i := 0; i < in; i++ {
				tk := t[i*fi+k]
				if tk == 0 {
					continue
				}
				zr := zt[i*fo : (i+1)*fo]
				for j, v := range row {
					zr[j] += tk * v
				}
			}
		}
		if l == L-1 {
			jac = make([]float64, fo*in)
			for i := 0; i < in; i++ {
				for j := 0; j < fo; j++ {
					jac[j*in+i] = zt[i*fo+j]
				}
			}
			return z, jac
		}
		a = make([]float64, fo)
		for j, zj := range z {
			a[j] = softplus(zj)
			s := sigmoid(zj)
			for i := 0; i < in; i++ {
				zt[i*fo+j] *= s
			}
		}
		t = zt
	}
	return nil, nil
}
