package energy

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// packed drops the visible units that are zero in every row of a batch
// from the products vW and vᵀh: binary data such as MNIST digits leave
// many pixels off in a whole batch (the border), and the products over the
// remaining columns are the same sums without the zero terms. It is used
// when at least a tenth of the columns can be dropped.
type packed struct {
	on  bool      // the last pack dropped columns
	idx []int     // kept columns
	v   []float64 // the batch on the kept columns (n×len(idx))
	w   []float64 // the rows of W of the kept columns (len(idx)×nh)
	g   []float64 // scratch for a gradient block (len(idx)×nh)
}

func newPacked(n, nv, nh int) *packed {
	return &packed{idx: make([]int, 0, nv), v: make([]float64, n*nv), w: make([]float64, nv*nh), g: make([]float64, nv*nh)}
}

// pack finds the non-zero columns of v (n×nv) and, if at least a tenth of
// the columns are zero, gathers them and the matching rows of w (nv×nh).
func (p *packed) pack(v []float64, n, nv int, w []float64, nh int) bool {
	p.idx = p.idx[:0]
	for j := range nv {
		for r := range n {
			if v[r*nv+j] != 0 {
				p.idx = append(p.idx, j)
				break
			}
		}
	}
	k := len(p.idx)
	p.on = 10*k <= 9*nv
	if !p.on {
		return false
	}
	for r := range n {
		row, dst := v[r*nv:(r+1)*nv], p.v[r*k:(r+1)*k]
		for c, j := range p.idx {
			dst[c] = row[j]
		}
	}
	for c, j := range p.idx {
		copy(p.w[c*nh:(c+1)*nh], w[j*nh:(j+1)*nh])
	}
	return true
}

// pre sets a (n×nh) = vW + c from the packed columns.
func (p *packed) pre(n, nh int, c, a []float64) {
	for r := range n {
		copy(a[r*nh:(r+1)*nh], c)
	}
	k := len(p.idx)
	blas64.Implementation().Dgemm(blas.NoTrans, blas.NoTrans, n, nh, k, 1, p.v, k, p.w, nh, 1, a, nh)
}

// addOuter sets dst (nv×nh) += alpha·vᵀh for h (n×nh), over the packed
// columns when the last pack dropped some (the other rows of vᵀh are zero),
// else over all of v.
func (p *packed) addOuter(dst []float64, v []float64, n, nv, nh int, alpha float64, h []float64) {
	impl := blas64.Implementation()
	if p == nil || !p.on {
		impl.Dgemm(blas.Trans, blas.NoTrans, nv, nh, n, alpha, v, nv, h, nh, 1, dst, nh)
		return
	}
	k := len(p.idx)
	impl.Dgemm(blas.Trans, blas.NoTrans, k, nh, n, alpha, p.v, k, h, nh, 0, p.g, nh)
	for c, j := range p.idx {
		axpy(dst[j*nh:(j+1)*nh], 1, p.g[c*nh:(c+1)*nh])
	}
}
