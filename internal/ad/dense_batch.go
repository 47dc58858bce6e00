package ad

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/physbias/physbias/internal/vmath"
	gblas "gonum.org/v1/gonum/blas"
)

// Batched evaluation of a Dense: B points at once, one matrix product a
// layer on the core's GEMM (gemm.go), instead of one point at a time.
//
// A pass over a chunk of R points carries, beside the R value rows, R·nt
// tangent rows when input derivatives are needed by forward tangents
// (nt = In() for a Jacobian or a Hessian, 0 otherwise). The rows are stacked
// into one matrix per layer, value rows first, then the nt rows of point 0,
// of point 1, …, so that each layer is one GEMM forward and one backward:
//
//	[Z; Ż]_{l+1} = [A; Ȧ]_l · W_{l+1},   Ȧ_l = σ′(Z_l) ⊙ Ż_l,
//	[g_a; ġ_a]_{l−1} = [g_z; ġ_z]_l · W_lᵀ,
//	g_z = g_a ⊙ σ′(z),  ġ_z = ġ_a ⊙ σ′(z) + g_a ⊙ σ″(z) ⊙ ż.
//
// The first layer's tangents are W_0 itself for every point (the input's
// tangents are the identity), so they cost a copy, not a product. The
// reverse pass of a scalar output starts from g_a = W_last for every point,
// and its last product gives the input gradient (value rows) and the
// Hessian (tangent rows: row (b, c) is ∂(∇ₓf)/∂x_c at point b) in one.

// densePassKind says what a pass computes.
type densePassKind int

const (
	passForward  densePassKind = iota // output only
	passGrad                          // output and input gradient (Out()==1)
	passHessian                       // gradient and Hessian (Out()==1)
	passJacobian                      // output and Jacobian
)

// tangents returns the number of tangent rows a point carries in a pass.
func (k densePassKind) tangents(in int) int {
	if k == passHessian || k == passJacobian {
		return in
	}
	return 0
}

// denseChunkBudget is the number of float64 values a chunk's scratch space
// may take (1 MiB): large enough for products of tens of rows, small enough
// to stay in a core's L2 cache.
const denseChunkBudget = 1 << 17

// denseWork is the scratch space of one chunk; it comes from a pool, so a
// Dense keeps no state and serves concurrent callers.
type denseWork struct{ buf []float64 }

var denseWorkPool = sync.Pool{New: func() any { return new(denseWork) }}

// take returns the next n values of w.buf from *off.
func (w *denseWork) take(off *int, n int) []float64 {
	s := w.buf[*off : *off+n : *off+n] // within cap(w.buf), sized by scratch
	*off += n
	return s
}

// scratch returns the scratch values a pass over R points takes. The
// stacked matrices have at least kernM rows, so that a product of fewer
// rows can run on the GEMM kernel with zero rows added (see pass).
func (d *Dense) scratch(kind densePassKind, R int) int {
	in, L := d.sizes[0], len(d.w)
	rows := max(R*(1+kind.tangents(in)), kernM)
	maxW := 0
	n := 0
	for l := 0; l < L; l++ {
		maxW = max(maxW, d.sizes[l])
		if l < L-1 {
			n += d.sizes[l+1] * (rows + 2*R) // [Z; Ż], σ′, σ″
		}
	}
	return n + 3*rows*maxW + rows*d.sizes[L] // gemm input, two reverse buffers, output
}

// perPoint returns the scratch values one point takes in a pass.
func (d *Dense) perPoint(kind densePassKind) int { return d.scratch(kind, kernM) / kernM }

// denseOut holds the destinations of a pass over B points (nil when not
// wanted): y (B×Out), grad (B×In), hess (B×In×In), jac (B×Out×In).
type denseOut struct{ y, grad, hess, jac []float64 }

// chunk returns the outputs of points p0..p0+R.
func (o denseOut) chunk(d *Dense, p0, R int) denseOut {
	in, out := d.In(), d.Out()
	cut := func(s []float64, per int) []float64 {
		if s == nil {
			return nil
		}
		return s[p0*per : (p0+R)*per]
	}
	return denseOut{cut(o.y, out), cut(o.grad, in), cut(o.hess, in*in), cut(o.jac, out*in)}
}

// run evaluates the pass over the B points of x in chunks; chunks go to
// parallel goroutines when there are several.
func (d *Dense) run(kind densePassKind, x []float64, B int, o denseOut) {
	if B == 0 {
		return
	}
	R := max(1, min(B, denseChunkBudget/d.perPoint(kind)))
	chunks := (B + R - 1) / R
	workers := min(runtime.GOMAXPROCS(0), chunks)
	if workers <= 1 {
		var next atomic.Int64
		d.work(kind, x, B, R, &next, o)
		return
	}
	next := new(atomic.Int64)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.work(kind, x, B, R, next, o)
		}()
	}
	wg.Wait()
}

// work evaluates chunks of R points, taking the next chunk's index from
// next until none is left.
func (d *Dense) work(kind densePassKind, x []float64, B, R int, next *atomic.Int64, o denseOut) {
	w := denseWorkPool.Get().(*denseWork)
	if size := d.scratch(kind, R); cap(w.buf) < size {
		w.buf = make([]float64, size)
	}
	in := d.In()
	for {
		p0 := int(next.Add(1)-1) * R
		if p0 >= B {
			break
		}
		r := min(R, B-p0)
		d.pass(w, kind, x[p0*in:(p0+r)*in], r, o.chunk(d, p0, r))
	}
	denseWorkPool.Put(w)
}

// pass evaluates one chunk of R points.
func (d *Dense) pass(w *denseWork, kind densePassKind, x []float64, R int, o denseOut) {
	in, L := d.sizes[0], len(d.w)
	nt := kind.tangents(in)
	rows := R * (1 + nt)
	rowsP := max(rows, kernM) // rows of the stacked buffers
	off := 0
	zs := make([][]float64, 0, 8) // [Z; Ż] of each hidden layer
	s1 := make([][]float64, 0, 8)
	s2 := make([][]float64, 0, 8)
	maxW := 0
	for l := 0; l < L; l++ {
		maxW = max(maxW, d.sizes[l])
		if l < L-1 {
			h := d.sizes[l+1]
			zs = append(zs, w.take(&off, rowsP*h))
			s1 = append(s1, w.take(&off, R*h))
			s2 = append(s2, w.take(&off, R*h))
		}
	}
	inBuf := w.take(&off, rowsP*maxW)
	g0 := w.take(&off, rowsP*maxW)
	g1 := w.take(&off, rowsP*maxW)
	out := w.take(&off, rowsP*d.sizes[L])

	// Forward, with tangents when nt > 0.
	a := x // the layer's input, [A; Ȧ] (rows of width sizes[l]); x has value rows only
	for l := 0; l < L; l++ {
		fi, fo := d.sizes[l], d.sizes[l+1]
		last := l == L-1
		z := out
		if !last {
			z = zs[l]
		}
		r := rows // rows through the product
		if l == 0 || (last && kind != passJacobian) {
			r = R // the first layer's tangents are W_0; a scalar's tangent output is not needed
		}
		rp := r
		if l > 0 && r < kernM && useKernel && fo >= kernN && kernM*fo*fi >= 1<<12 {
			// Too few rows for the kernel, which is still faster than the
			// direct product on kernM rows, the added ones zero.
			rp = kernM
			clear(a[r*fi : rp*fi])
		}
		gemm(gblas.NoTrans, gblas.NoTrans, rp, fo, fi, a, fi, d.w[l], fo, z, fo)
		if l == 0 && nt > 0 {
			for b := 0; b < R; b++ {
				copy(z[(R+b*nt)*fo:(R+(b+1)*nt)*fo], d.w[0])
			}
		}
		vmath.AddRows(z[:R*fo], d.b[l])
		if last {
			break
		}
		// Activation of the value rows into the next product's input,
		// keeping σ′ (and σ″ for a Hessian); tangent rows Ȧ = σ′ ⊙ Ż.
		var s2l []float64
		if kind == passHessian {
			s2l = s2[l][:R*fo]
		}
		vec := d.act.activate(inBuf[:R*fo], s1[l][:R*fo], s2l, z[:R*fo])
		for b := 0; b < R; b++ {
			zr, ar := z[b*fo:(b+1)*fo], inBuf[b*fo:(b+1)*fo]
			d1 := s1[l][b*fo : (b+1)*fo]
			switch {
			case vec:
			case kind == passHessian:
				d2 := s2[l][b*fo : (b+1)*fo]
				for j, v := range zr {
					ar[j], d1[j], d2[j] = d.act.eval2(v)
				}
			default:
				for j, v := range zr {
					ar[j], d1[j] = d.act.eval1(v)
				}
			}
			for c := 0; c < nt; c++ {
				k := (R + b*nt + c) * fo
				zt, at := z[k:k+fo], inBuf[k:k+fo]
				zt = zt[:len(d1)]
				at = at[:len(d1)]
				for j, s := range d1 {
					at[j] = s * zt[j]
				}
			}
		}
		a = inBuf
	}
	outW := d.sizes[L]
	if o.y != nil {
		copy(o.y, out[:R*outW])
	}
	if kind == passJacobian {
		for b := 0; b < R; b++ {
			for c := 0; c < nt; c++ {
				row := out[(R+b*nt+c)*outW : (R+b*nt+c+1)*outW]
				for j, v := range row {
					o.jac[(b*outW+j)*in+c] = v
				}
			}
		}
	}
	if kind != passGrad && kind != passHessian {
		return
	}

	// Reverse pass of the scalar output, with its tangents for a Hessian.
	if L == 1 { // an affine map: constant gradient, zero Hessian
		for b := 0; o.grad != nil && b < R; b++ {
			copy(o.grad[b*in:(b+1)*in], d.w[0])
		}
		clear(o.hess)
		return
	}
	g, gn := g0, g1
	h := d.sizes[L-1]
	for b := 0; b < R; b++ {
		copy(g[b*h:(b+1)*h], d.w[L-1]) // W_last is (h, 1)
	}
	for l := L - 2; l >= 0; l-- {
		fi, fo := d.sizes[l], d.sizes[l+1]
		topT := l == L-2 // ġ_a is zero at the last hidden layer
		for b := 0; b < R; b++ {
			ga := g[b*fo : (b+1)*fo]
			d1 := s1[l][b*fo : (b+1)*fo]
			d1 = d1[:len(ga)]
			if nt > 0 {
				d2 := s2[l][b*fo : (b+1)*fo]
				d2 = d2[:len(ga)]
				for c := 0; c < nt; c++ {
					k := (R + b*nt + c) * fo
					gt, zt := g[k:k+fo], zs[l][k:k+fo]
					gt = gt[:len(ga)]
					zt = zt[:len(ga)]
					if topT {
						for j, v := range ga {
							gt[j] = v * d2[j] * zt[j]
						}
						continue
					}
					for j, v := range ga {
						gt[j] = gt[j]*d1[j] + v*d2[j]*zt[j]
					}
				}
			}
			for j := range ga {
				ga[j] *= d1[j]
			}
		}
		mulWT(rows, fi, fo, g, d.w[l], gn)
		g, gn = gn, g
	}
	copy(o.grad, g[:R*in])
	if kind == passHessian {
		copy(o.hess, g[R*in:rows*in])
	}
}

// mulWT sets dst (rows×fi) = g (rows×fo) · Wᵀ for W (fi×fo, row-major).
// Products too small for the GEMM kernel are dot products of contiguous
// rows of g and W, four rows of W at a time (gemm's direct product would
// stride down the columns of W).
func mulWT(rows, fi, fo int, g, w, dst []float64) {
	if rows >= kernM && fi >= kernN && rows*fi*fo >= 1<<12 {
		gemm(gblas.NoTrans, gblas.Trans, rows, fi, fo, g, fo, w, fo, dst, fi)
		return
	}
	for r := 0; r < rows; r++ {
		gr := g[r*fo : (r+1)*fo]
		dr := dst[r*fi : (r+1)*fi]
		j := 0
		for ; j+4 <= fi; j += 4 {
			w0, w1, w2, w3 := w[j*fo:(j+1)*fo], w[(j+1)*fo:(j+2)*fo], w[(j+2)*fo:(j+3)*fo], w[(j+3)*fo:(j+4)*fo]
			w0, w1, w2, w3 = w0[:len(gr)], w1[:len(gr)], w2[:len(gr)], w3[:len(gr)]
			var s0, s1, s2, s3 float64
			for k, v := range gr {
				s0 += v * w0[k]
				s1 += v * w1[k]
				s2 += v * w2[k]
				s3 += v * w3[k]
			}
			dr[j], dr[j+1], dr[j+2], dr[j+3] = s0, s1, s2, s3
		}
		for ; j < fi; j++ {
			wj := w[j*fo : (j+1)*fo]
			wj = wj[:len(gr)]
			var s float64
			for k, v := range gr {
				s += v * wj[k]
			}
			dr[j] = s
		}
	}
}

// activate sets a = σ(z), s1 = σ′(z) and, when s2 is not nil, s2 = σ″(z)
// with internal/vmath's vectorized kernels (within 2 ulp of math's
// functions) for tanh, softplus and sigmoid, and reports whether it did;
// other activations are left to eval1 and eval2.
func (a Activation) activate(v, s1, s2, z []float64) bool {
	switch a {
	case Tanh:
		vmath.TanhDerivs(v, s1, s2, nil, z)
	case Softplus:
		vmath.Softplus(v, z)
		vmath.Sigmoid(s1, z)
		if s2 != nil {
			for i, sg := range s1[:len(z)] {
				s2[i] = sg * (1 - sg)
			}
		}
	case Sigmoid:
		vmath.Sigmoid(v, z)
		for i, sg := range v[:len(z)] {
			d := sg * (1 - sg)
			s1[i] = d
			if s2 != nil {
				s2[i] = d * (1 - 2*sg)
			}
		}
	default:
		return false
	}
	return true
}

// eval1 returns σ(z) and σ′(z).
func (a Activation) eval1(z float64) (s0, s1 float64) {
	switch a {
	case Tanh:
		t := math.Tanh(z)
		return t, 1 - t*t
	case Softplus:
		s0, s1, _ = softplusDerivs(z)
		return s0, s1
	case ReLU:
		if z > 0 {
			return z, 1
		}
		return 0, 0
	}
	s0, s1, _, _ = a.eval(z)
	return s0, s1
}

// eval2 returns σ(z), σ′(z) and σ″(z).
func (a Activation) eval2(z float64) (s0, s1, s2 float64) {
	switch a {
	case Tanh:
		t := math.Tanh(z)
		d := 1 - t*t
		return t, d, -2 * t * d
	case Softplus:
		return softplusDerivs(z)
	case ReLU:
		if z > 0 {
			return z, 1, 0
		}
		return 0, 0, 0
	}
	s0, s1, s2, _ = a.eval(z)
	return s0, s1, s2
}

// softplusDerivs returns softplus(z), its slope sigmoid(z) and its
// curvature sigmoid(z)(1 − sigmoid(z)) from one exponential.
func softplusDerivs(z float64) (sp, s1, s2 float64) {
	e := math.Exp(-math.Abs(z))
	sp = math.Log1p(e)
	if z > 0 {
		sp += z
		s1 = 1 / (1 + e)
	} else {
		s1 = e / (1 + e)
	}
	return sp, s1, s1 * (1 - s1)
}

// batchArgs checks a batch call's input and returns the number of points.
func (d *Dense) batchArgs(what string, x []float64, scalar bool) (int, error) {
	if err := d.ready(what); err != nil {
		return 0, err
	}
	if scalar && d.Out() != 1 {
		return 0, fmt.Errorf("ad: Dense.%s needs a scalar output, network has Out()=%d", what, d.Out())
	}
	if len(x)%d.In() != 0 {
		return 0, fmt.Errorf("ad: Dense.%s: input has %d values, not whole points of %d", what, len(x), d.In())
	}
	return len(x) / d.In(), nil
}

// batchDst returns dst, or a new slice of length n when dst is nil, or an
// error when its length is not n.
func batchDst(what, name string, dst []float64, n int) ([]float64, error) {
	if dst == nil {
		return make([]float64, n), nil
	}
	if len(dst) != n {
		return nil, fmt.Errorf("ad: Dense.%s: %s has length %d, want %d", what, name, len(dst), n)
	}
	return dst, nil
}

// ForwardBatch sets dst (B×Out(), row-major) to f at the B points of x
// (B×In(), row-major) and returns it; a nil dst is allocated. The results
// agree with Forward to rounding (the products run in a different order,
// and the last bits may depend on B).
func (d *Dense) ForwardBatch(dst, x []float64) ([]float64, error) {
	B, err := d.batchArgs("ForwardBatch", x, false)
	if err != nil {
		return nil, err
	}
	if dst, err = batchDst("ForwardBatch", "dst", dst, B*d.Out()); err != nil {
		return nil, err
	}
	d.run(passForward, x, B, denseOut{y: dst})
	return dst, nil
}

// InputGradBatch sets dst (B×In()) to ∇ₓf at the B points of x (B×In())
// of a network with Out()==1, and returns it; a nil dst is allocated.
func (d *Dense) InputGradBatch(dst, x []float64) ([]float64, error) {
	B, err := d.batchArgs("InputGradBatch", x, true)
	if err != nil {
		return nil, err
	}
	if dst, err = batchDst("InputGradBatch", "dst", dst, B*d.In()); err != nil {
		return nil, err
	}
	d.run(passGrad, x, B, denseOut{grad: dst})
	return dst, nil
}

// HessianBatch sets grad (B×In()) to ∇ₓf and hess (B×In()×In(), one
// row-major In()×In() block a point) to ∇ₓ∇ₓᵀf at the B points of x of a
// network with Out()==1, by one forward pass with In() tangents a point
// and the tangent of the reverse pass (forward-over-reverse). A nil grad or
// hess is allocated; both are returned.
func (d *Dense) HessianBatch(grad, hess, x []float64) ([]float64, []float64, error) {
	B, err := d.batchArgs("HessianBatch", x, true)
	if err != nil {
		return nil, nil, err
	}
	n := d.In()
	if grad, err = batchDst("HessianBatch", "grad", grad, B*n); err != nil {
		return nil, nil, err
	}
	if hess, err = batchDst("HessianBatch", "hess", hess, B*n*n); err != nil {
		return nil, nil, err
	}
	d.run(passHessian, x, B, denseOut{grad: grad, hess: hess})
	return grad, hess, nil
}

// JacobianBatch sets y (B×Out()) to f and jac (B×Out()×In(), one
// row-major Out()×In() block a point: jac[(b·Out()+j)·In()+i] = ∂f_j/∂x_i
// at point b) at the B points of x, by forward tangents. A nil y or jac is
// allocated; both are returned.
func (d *Dense) JacobianBatch(y, jac, x []float64) ([]float64, []float64, error) {
	B, err := d.batchArgs("JacobianBatch", x, false)
	if err != nil {
		return nil, nil, err
	}
	if y, err = batchDst("JacobianBatch", "y", y, B*d.Out()); err != nil {
		return nil, nil, err
	}
	if jac, err = batchDst("JacobianBatch", "jac", jac, B*d.Out()*d.In()); err != nil {
		return nil, nil, err
	}
	d.run(passJacobian, x, B, denseOut{y: y, jac: jac})
	return y, jac, nil
}
