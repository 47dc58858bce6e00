package conv

import (
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MaxPool2D is the max-pool of (B, C, H, W) maps over size×size windows
// with stride size and no padding: (B, C, ⌊H/size⌋, ⌊W/size⌋), rows and
// columns past the last whole window dropped. Its gradient goes to the first
// largest value of each window (row-major). It is gorgonia's MaxPool2D
// without padding, in one pass with no index tensor kept between the
// forward and backward passes.
func MaxPool2D(x *G.Node, size int) (*G.Node, error) {
	if x == nil {
		return nil, fmt.Errorf("conv: MaxPool2D: nil input")
	}
	if dt := x.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("conv: MaxPool2D: dtype %v, want float32 or float64", dt)
	}
	s := x.Shape()
	if len(s) != 4 {
		return nil, fmt.Errorf("conv: MaxPool2D: input has shape %v, want (batch, channels, height, width)", s)
	}
	if size < 1 || size > s[2] || size > s[3] {
		return nil, fmt.Errorf("conv: MaxPool2D: window %d on %d×%d maps", size, s[2], s[3])
	}
	y, err := G.ApplyOp(maxPoolOp{size: size, out: new(keep)}, x)
	if err != nil {
		return nil, fmt.Errorf("conv: MaxPool2D: %w", err)
	}
	return y, nil
}

// maxPoolOp is the forward max-pool.
type maxPoolOp struct {
	size int
	out  *keep // the output from run to run (not hashed)
}

var (
	_ G.SDOp            = maxPoolOp{}
	_ G.UsePreallocDoer = maxPoolOp{}
)

func (op maxPoolOp) Arity() int { return 1 }

func (op maxPoolOp) Type() hm.Type {
	t4 := G.TensorType{Dims: 4, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t4, t4)
}

func (op maxPoolOp) outShape(fn string, d G.DimSizer) (tensor.Shape, tensor.Shape, error) {
	s, err := shapeOf(fn, d, 4)
	if err != nil {
		return nil, nil, err
	}
	if op.size < 1 || op.size > s[2] || op.size > s[3] {
		return nil, nil, fmt.Errorf("conv: %s: window %d on %d×%d maps", fn, op.size, s[2], s[3])
	}
	return s, tensor.Shape{s[0], s[1], s[2] / op.size, s[3] / op.size}, nil
}

func (op maxPoolOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("conv: MaxPool2D: %d inputs, want 1", len(ds))
	}
	_, out, err := op.outShape("MaxPool2D", ds[0])
	return out, err
}

func (op maxPoolOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op maxPoolOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("conv: MaxPool2D: %d inputs, want 1", len(in))
	}
	dt, err := dtypeOf("MaxPool2D", in[0])
	if err != nil {
		return nil, err
	}
	if dt == tensor.Float32 {
		return maxPool[float32](op, op.out, prealloc, in[0], nil)
	}
	return maxPool[float64](op, op.out, prealloc, in[0], nil)
}

// maxPool writes the pooled maps, or, with grad not nil, the gradient of
// the input from grad (the upstream gradient of the pooled maps).
func maxPool[T float](op maxPoolOp, kp *keep, prealloc, in, grad G.Value) (G.Value, error) {
	fn := "MaxPool2D"
	if grad != nil {
		fn = "MaxPool2D gradient"
	}
	s, os, err := op.outShape(fn, in.Shape())
	if err != nil {
		return nil, err
	}
	x, err := dataOf[T](fn, 0, in, s)
	if err != nil {
		return nil, err
	}
	var g []T
	var out *tensor.Dense
	var dst []T
	if grad != nil {
		if g, err = dataOf[T](fn, 1, grad, os); err != nil {
			return nil, err
		}
		out, dst = outputKeep[T](kp, prealloc, s, x, g)
	} else {
		out, dst = outputKeep[T](kp, prealloc, os, x)
	}
	poolMaps(x, dst, g, s[0]*s[1], s[2], s[3], op.size)
	return out, nil
}

func (op maxPoolOp) ReturnsPtr() bool     { return false }
func (op maxPoolOp) CallsExtern() bool    { return false }
func (op maxPoolOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name and window.
func (op maxPoolOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "conv.maxPoolOp{size=%d}", op.size) }

func (op maxPoolOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op maxPoolOp) String() string { return fmt.Sprintf("MaxPool2D(%d)", op.size) }

func (op maxPoolOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff: the gradient goes to each window's largest input.
func (op maxPoolOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	return diffXG("MaxPool2D", maxPoolGradOp{f: op, out: new(keep)}, in, grad)
}

// maxPoolGradOp is MaxPool2D's derivative: inputs x and ḡ, output ∂x.
type maxPoolGradOp struct {
	f   maxPoolOp
	out *keep // the output from run to run (not hashed)
}

var (
	_ G.SDOp            = maxPoolGradOp{}
	_ G.UsePreallocDoer = maxPoolGradOp{}
)

func (op maxPoolGradOp) Arity() int { return 2 }

func (op maxPoolGradOp) Type() hm.Type {
	t4 := G.TensorType{Dims: 4, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t4, t4, t4)
}

func (op maxPoolGradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 2 {
		return nil, fmt.Errorf("conv: MaxPool2D gradient: %d inputs, want 2", len(ds))
	}
	s, os, err := op.f.outShape("MaxPool2D gradient", ds[0])
	if err != nil {
		return nil, err
	}
	if g, ok := ds[1].(tensor.Shape); !ok || !g.Eq(os) {
		return nil, fmt.Errorf("conv: MaxPool2D gradient: gradient shape %v, want %v", ds[1], os)
	}
	return s, nil
}

func (op maxPoolGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op maxPoolGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("conv: MaxPool2D gradient: %d inputs, want 2", len(in))
	}
	dt, err := dtypeOf("MaxPool2D gradient", in[0])
	if err != nil {
		return nil, err
	}
	if dt == tensor.Float32 {
		return maxPool[float32](op.f, op.out, prealloc, in[0], in[1])
	}
	return maxPool[float64](op.f, op.out, prealloc, in[0], in[1])
}

func (op maxPoolGradOp) ReturnsPtr() bool     { return false }
func (op maxPoolGradOp) CallsExtern() bool    { return false }
func (op maxPoolGradOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name and window.
func (op maxPoolGradOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "conv.maxPoolGradOp{size=%d}", op.f.size)
}

func (op maxPoolGradOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op maxPoolGradOp) String() string { return fmt.Sprintf("MaxPool2DGrad(%d)", op.f.size) }

func (op maxPoolGradOp) DiffWRT(int) []bool { return []bool{false, false} }

// SymDiff is not offered: the backward ops are not differentiated again.
func (op maxPoolGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, errors.New("conv: the MaxPool2D gradient has no derivative")
}

// poolMaps max-pools the m maps of h×w in x over k×k windows of stride k
// into dst, or, with g (the upstream gradient of the pooled maps) not nil,
// writes the whole input gradient into dst: g at each window's first
// largest value (row-major), zero elsewhere.
func poolMaps[T float](x, dst, g []T, m, h, w, k int) {
	if x32, ok := any(x).([]float32); ok && k == 2 {
		pool2x2(x32, any(dst).([]float32), any(g).([]float32), m, h, w)
		return
	}
	oh, ow := h/k, w/k
	if g != nil {
		clear(dst[:m*h*w])
	}
	for n := 0; n < m; n++ {
		xm := x[n*h*w : (n+1)*h*w]
		for i := 0; i < oh; i++ {
			for j := 0; j < ow; j++ {
				best := (i*k)*w + j*k
				for a := 0; a < k; a++ {
					for b := 0; b < k; b++ {
						if p := (i*k+a)*w + j*k + b; xm[p] > xm[best] {
							best = p
						}
					}
				}
				o := (n*oh+i)*ow + j
				if g != nil {
					dst[n*h*w+best] += g[o]
				} else {
					dst[o] = xm[best]
				}
			}
		}
	}
}

// pool2x2 is poolMaps' float32 path for 2×2 windows on m maps of h×w:
// with g nil it writes the pooled maps into dst; otherwise it writes the
// whole input gradient into dst (g at each window's first largest value,
// row-major, zero elsewhere, including rows and columns past the last
// whole window). Maxima and the choice of position are branch-free:
// random data would mispredict about every other window.
func pool2x2(x, dst, g []float32, m, h, w int) {
	oh, ow := h/2, w/2
	for k := 0; k < m; k++ {
		xm := x[k*h*w : (k+1)*h*w]
		if g == nil {
			ym := dst[k*oh*ow : (k+1)*oh*ow]
			for i := 0; i < oh; i++ {
				r0, r1, y := xm[2*i*w:][:2*ow], xm[(2*i+1)*w:][:2*ow], ym[i*ow:][:ow]
				for j := range y {
					y[j] = max(max(r0[2*j], r0[2*j+1]), max(r1[2*j], r1[2*j+1]))
				}
			}
			continue
		}
		dm := dst[k*h*w : (k+1)*h*w]
		gm := g[k*oh*ow : (k+1)*oh*ow]
		for i := 0; i < oh; i++ {
			r0, r1 := xm[2*i*w:][:2*ow], xm[(2*i+1)*w:][:2*ow]
			d0, d1 := dm[2*i*w:][:w], dm[(2*i+1)*w:][:w]
			gr := gm[i*ow:][:ow]
			for j, gv := range gr {
				a, b, c, d := r0[2*j], r0[2*j+1], r1[2*j], r1[2*j+1]
				mx := max(max(a, b), max(c, d))
				ea := b2u(a == mx)
				eb := b2u(b == mx) &^ ea
				ec := b2u(c == mx) &^ (ea | eb)
				ed := 1 &^ (ea | eb | ec)
				gb := math.Float32bits(gv)
				d0[2*j] = math.Float32frombits(gb & -ea)
				d0[2*j+1] = math.Float32frombits(gb & -eb)
				d1[2*j] = math.Float32frombits(gb & -ec)
				d1[2*j+1] = math.Float32frombits(gb & -ed)
			}
			if w%2 == 1 {
				d0[w-1], d1[w-1] = 0, 0
			}
		}
		if h%2 == 1 {
			clear(dm[(h-1)*w:])
		}
	}
}

// b2u is 1 for true and 0 for false (compiled to SETcc, no branch).
func b2u(b bool) uint32 {
	var u uint32
	if b {
		u = 1
	}
	return u
}
