package energy

import (
	"gonum.org/v1/gonum/blas"
)

// packed drops the visible units that are zero in every row of a batch
// from the products vW and vᵀh: binary data such as MNIST digits leave
// many pixels off in a whole batch (the border), and the products over the
// remaining columns are the same sums without the zero terms. It is used
// when at least a tenth of the columns can be dropped. T is the precision
// of the products (float64, or float32 with TrainConfig.Float32).
type packed[T float32 | float64] struct {
	on  bool // the last pack dropped columns
	idx []int
	// base, when not nil, is the pack of the training step's positive
	// batch, made before this one's: this pack keeps base's columns first
	// (their rows of W are already gathered in w, which the two share) and
	// appends this batch's other non-zero columns, so that W is gathered
	// once and a little more per step instead of twice.
	base *packed[T]
	mark []bool
	v    []T // the batch on the kept columns (n×len(idx))
	w    []T // the rows of W of the kept columns (len(idx)×nh)
	g    []T // scratch for a gradient block (len(idx)×nh, or nv×nh)
	gemm func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)
}

func newPacked(n, nv, nh int) *packed[float64] {
	return &packed[float64]{idx: make([]int, 0, nv), v: make([]float64, n*nv), w: make([]float64, nv*nh), g: make([]float64, nv*nh),
		gemm: dgemm}
}

// pack finds the non-zero columns of v (n×nv) and, if at least a tenth of
// the columns are zero, gathers them and the matching rows of w (nv×nh).
func (p *packed[T]) pack(v []T, n, nv int, w []T, nh int) bool {
	p.idx = p.idx[:0]
	from := 0 // the first row of w to gather
	if b := p.base; b != nil && b.on {
		if p.mark == nil {
			p.mark = make([]bool, nv)
		}
		clear(p.mark)
		for _, j := range b.idx {
			p.mark[j] = true
		}
		p.idx = append(p.idx, b.idx...)
		from = len(b.idx)
	}
	for j := range nv {
		if from > 0 && p.mark[j] {
			continue
		}
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
	for c := from; c < k; c++ {
		j := p.idx[c]
		copy(p.w[c*nh:(c+1)*nh], w[j*nh:(j+1)*nh])
	}
	return true
}

// shareAfter makes q's packs extend p's (see packed.base): q keeps p's
// columns first and shares p's gathered rows of W.
func shareAfter[T float32 | float64](q, p *packed[T]) {
	q.base, q.w = p, p.w
}

// pre sets a (n×nh) = vW + c from the packed columns; a nil c means vW.
func (p *packed[T]) pre(n, nh int, c, a []T) {
	var beta T
	if c != nil {
		beta = 1
		for r := range n {
			copy(a[r*nh:(r+1)*nh], c)
		}
	}
	k := len(p.idx)
	p.gemm(blas.NoTrans, blas.NoTrans, n, nh, k, 1, p.v, k, p.w, nh, beta, a, nh)
}

// addOuter sets dst (nv×nh) += alpha·vᵀh for v (n×nv) and h (n×nh), over
// the packed columns when the last pack dropped some (the other rows of vᵀh
// are zero), else over all of v. For float64 without packing the product
// goes into dst directly; otherwise it goes to scratch and is added to dst.
func (p *packed[T]) addOuter(dst []float64, v []T, n, nv, nh int, alpha float64, h []T) {
	if !p.on {
		if d, ok := any(dst).([]T); ok {
			p.gemm(blas.Trans, blas.NoTrans, nv, nh, n, T(alpha), v, nv, h, nh, 1, d, nh)
			return
		}
		p.gemm(blas.Trans, blas.NoTrans, nv, nh, n, T(alpha), v, nv, h, nh, 0, p.g, nh)
		for i, x := range p.g[:nv*nh] {
			dst[i] += float64(x)
		}
		return
	}
	k := len(p.idx)
	p.gemm(blas.Trans, blas.NoTrans, k, nh, n, T(alpha), p.v, k, h, nh, 0, p.g, nh)
	for c, j := range p.idx {
		row, g := dst[j*nh:(j+1)*nh], p.g[c*nh:(c+1)*nh]
		for i, x := range g {
			row[i] += float64(x)
		}
	}
}

// addOuterDense sets dst += alpha·vᵀh (float64, over all columns): the
// product for chains without a packed (Gaussian units).
func addOuterDense(dst, v []float64, n, nv, nh int, alpha float64, h []float64) {
	dgemm(blas.Trans, blas.NoTrans, nv, nh, n, alpha, v, nv, h, nh, 1, dst, nh)
}

// pairOuter adds the positive and negative phases' outer products to the
// gradient in one product: dst (nv×nh) += ap·v₁ᵀh₁ + an·v₂ᵀh₂ over the
// union of the columns the two batches' last packs kept, as
// [ap·v₁; an·v₂]ᵀ[h₁; h₂] with h₁ and h₂ adjacent in memory (h, of
// (n₁ + n₂)×nh). One product of depth n₁ + n₂ and one pass adding it to dst
// replace two of each.
type pairOuter[T float32 | float64] struct {
	idx  []int
	mark []bool
	v    []T // (n₁ + n₂)×len(idx)
	g    []T // len(idx)×nh
}

func newPairOuter[T float32 | float64](n, nv, nh int) *pairOuter[T] {
	return &pairOuter[T]{idx: make([]int, 0, nv), v: make([]T, n*nv), g: make([]T, nv*nh)}
}

// add needs both packs on (p.on and q.on); v1 (n1×nv) and v2 (n2×nv) are
// the batches the packs were made from.
func (o *pairOuter[T]) add(dst []float64, p, q *packed[T], v1 []T, n1 int, ap float64, v2 []T, n2 int, an float64, h []T, nv, nh int) {
	// The union of the two index lists: p's, then q's others (q's own
	// list when it extends p's).
	o.idx = append(o.idx[:0], p.idx...)
	if q.base == p && p.on {
		o.idx = append(o.idx[:0], q.idx...)
	} else {
		if o.mark == nil {
			o.mark = make([]bool, nv)
		}
		clear(o.mark)
		for _, j := range p.idx {
			o.mark[j] = true
		}
		for _, j := range q.idx {
			if !o.mark[j] {
				o.idx = append(o.idx, j)
			}
		}
	}
	k := len(o.idx)
	gather := func(v []T, n, off int, s T) {
		for r := range n {
			row, out := v[r*nv:(r+1)*nv], o.v[(off+r)*k:(off+r+1)*k]
			for c, j := range o.idx {
				out[c] = s * row[j]
			}
		}
	}
	gather(v1, n1, 0, T(ap))
	gather(v2, n2, n1, T(an))
	p.gemm(blas.Trans, blas.NoTrans, k, nh, n1+n2, 1, o.v, k, h, nh, 0, o.g, nh)
	for c, j := range o.idx {
		row, g := dst[j*nh:(j+1)*nh], o.g[c*nh:(c+1)*nh]
		for i, x := range g {
			row[i] += float64(x)
		}
	}
}
