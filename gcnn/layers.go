package gcnn

import (
	"gorgonia.org/tensor"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/conv"
)

// Conv is the geometry of a lifting or group convolution: the same stride
// and zero padding on both axes, like an ordinary convolution layer.
type Conv struct {
	// Stride is the step between output pixels; 0 means 1.
	Stride int
	// Pad is the number of zero pixels added on every side; 0 means none.
	Pad int
	// NoSymmetryCheck accepts a stride that breaks the group's
	// equivariance on the given input size (see the package
	// documentation); by default that is an error matching ErrInput.
	NoSymmetryCheck bool
}

func (c Conv) stride() int {
	if c.Stride == 0 {
		return 1
	}
	return c.Stride
}

// checkGeom checks a layer's stride, padding and kernel on an h×w input,
// for the equivariance of grp: the windows must cover the padded input
// symmetrically, (n + 2·pad − k) divisible by the stride on both axes.
func checkGeom(fn string, grp Group, c Conv, h, w, kh, kw int) error {
	s := c.stride()
	if s < 1 {
		return errorf(ErrInput, "%s: stride %d, want ≥ 1 (0 means 1)", fn, c.Stride)
	}
	if c.Pad < 0 {
		return errorf(ErrInput, "%s: padding %d, want ≥ 0", fn, c.Pad)
	}
	if kh > h+2*c.Pad || kw > w+2*c.Pad {
		return errorf(ErrInput, "%s: %d×%d kernel is larger than the %d×%d input padded by %d", fn, kh, kw, h, w, c.Pad)
	}
	if grp == Z2 || c.NoSymmetryCheck {
		return nil
	}
	if kh != kw {
		return errorf(ErrInput, "%s: %d×%d kernel on %v, want a square kernel (a rotation turns it)", fn, kh, kw, grp)
	}
	for _, n := range [2]int{h, w} {
		if (n+2*c.Pad-kh)%s != 0 {
			return errorf(ErrInput, "%s: stride %d with a %d×%d kernel and padding %d on size %d breaks %v equivariance: (size + 2·pad − kernel) = %d is not a multiple of the stride, so the rotated input is sampled on a shifted grid (use another size, padding or stride, or set Conv.NoSymmetryCheck)",
				fn, s, kh, kw, c.Pad, n, grp, n+2*c.Pad-kh)
		}
	}
	return nil
}

// checkNode checks that x is a 4-D float32 or float64 node.
func checkNode(fn, name string, x *G.Node, dims int) error {
	if x == nil {
		return errorf(ErrInput, "%s: %s is nil", fn, name)
	}
	if dt := x.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return errorf(ErrInput, "%s: %s has dtype %v, want float32 or float64", fn, name, dt)
	}
	if s := x.Shape(); len(s) != dims {
		return errorf(ErrInput, "%s: %s has shape %v, want %d axes", fn, name, s, dims)
	}
	return nil
}

// Lift is the lifting convolution from images to feature maps on grp: x is
// (B, C, H, W), w holds O base filters (O, C, K, K), b (may be nil) O
// biases; the output (B, O·N, HO, WO), N = grp.Order(), has channel
// o·N+h equal to the correlation of x with the base filter o transformed by
// element h (and bias o). Rotating (and reflecting) x transforms the output
// as the group acts on it (Act with onGroup). With grp Z2 it is an ordinary
// convolution. x, w and b share one dtype, float32 or float64; gradients
// flow to all three.
func Lift(x, w, b *G.Node, grp Group, c Conv) (*G.Node, error) {
	return lift(x, w, b, grp, c, conv.Options{})
}

// lift is Lift with the convolution's options (a ReLU inside the op, no
// input gradient).
func lift(x, w, b *G.Node, grp Group, c Conv, opt conv.Options) (*G.Node, error) {
	const fn = "Lift"
	if err := grp.check(0); err != nil {
		return nil, err
	}
	if err := checkNode(fn, "input", x, 4); err != nil {
		return nil, err
	}
	if err := checkNode(fn, "filters", w, 4); err != nil {
		return nil, err
	}
	xs, ws := x.Shape(), w.Shape()
	if ws[1] != xs[1] {
		return nil, errorf(ErrInput, "%s: input has %d channels, filters of shape %v take %d", fn, xs[1], ws, ws[1])
	}
	if err := checkGeom(fn, grp, c, xs[2], xs[3], ws[2], ws[3]); err != nil {
		return nil, err
	}
	n := grp.Order()
	o, ci, kh, kw := ws[0], ws[1], ws[2], ws[3]
	idx := make([]int, 0, o*n*ci*kh*kw)
	for oo := 0; oo < o; oo++ {
		for h := 0; h < n; h++ {
			p, _, _ := planeIndex(h, kh, kw)
			for cc := 0; cc < ci; cc++ {
				base := (oo*ci + cc) * kh * kw
				for _, q := range p {
					idx = append(idx, base+q)
				}
			}
		}
	}
	return expandConv(fn, x, w, b, idx, tensor.Shape{o * n, ci, kh, kw}, n, c, opt)
}

// GroupConv is the group convolution from feature maps on grp to feature
// maps on grp: x is (B, C·N, H, W) (feature-major, N = grp.Order()), w
// holds O base filters on the group (O, C, N, K, K), b (may be nil) O
// biases. Output channel o·N+h correlates x with base filter o transformed
// by h: its plane rotated (and reflected) and its group axis permuted,
// filter channel (c, q) taking w[o, c, h⁻¹q]. The output (B, O·N, HO, WO)
// transforms as the group acts on it when x does. With grp Z2 it is an
// ordinary convolution (N = 1).
func GroupConv(x, w, b *G.Node, grp Group, c Conv) (*G.Node, error) {
	return groupConv(x, w, b, grp, c, conv.Options{})
}

// groupConv is GroupConv with the convolution's options.
func groupConv(x, w, b *G.Node, grp Group, c Conv, opt conv.Options) (*G.Node, error) {
	const fn = "GroupConv"
	if err := grp.check(0); err != nil {
		return nil, err
	}
	if err := checkNode(fn, "input", x, 4); err != nil {
		return nil, err
	}
	if err := checkNode(fn, "filters", w, 5); err != nil {
		return nil, err
	}
	xs, ws := x.Shape(), w.Shape()
	n := grp.Order()
	if ws[2] != n {
		return nil, errorf(ErrInput, "%s: filters of shape %v have a group axis of %d, %v has %d elements (filters made for another group?)", fn, ws, ws[2], grp, n)
	}
	if xs[1] != ws[1]*n {
		return nil, errorf(ErrInput, "%s: input has %d channels, filters of shape %v on %v take %d·%d = %d", fn, xs[1], ws, grp, ws[1], n, ws[1]*n)
	}
	if err := checkGeom(fn, grp, c, xs[2], xs[3], ws[3], ws[4]); err != nil {
		return nil, err
	}
	o, ci, kh, kw := ws[0], ws[1], ws[3], ws[4]
	idx := make([]int, 0, o*n*ci*n*kh*kw)
	for oo := 0; oo < o; oo++ {
		for h := 0; h < n; h++ {
			p, _, _ := planeIndex(h, kh, kw)
			hinv := grp.Inv(h)
			for cc := 0; cc < ci; cc++ {
				for q := 0; q < n; q++ {
					base := ((oo*ci+cc)*n + grp.Mul(hinv, q)) * kh * kw
					for _, t := range p {
						idx = append(idx, base+t)
					}
				}
			}
		}
	}
	return expandConv(fn, x, w, b, idx, tensor.Shape{o * n, ci * n, kh, kw}, n, c, opt)
}

// expandConv gathers the filter bank of shape s from w by idx, repeats each
// bias n times and convolves with options opt.
func expandConv(fn string, x, w, b *G.Node, idx []int, s tensor.Shape, n int, c Conv, opt conv.Options) (*G.Node, error) {
	if w.Dtype() != x.Dtype() {
		return nil, errorf(ErrInput, "%s: input dtype %v, filter dtype %v", fn, x.Dtype(), w.Dtype())
	}
	o := w.Shape()[0]
	var bx *G.Node
	if b != nil {
		if err := checkNode(fn, "bias", b, 1); err != nil {
			return nil, err
		}
		if b.Shape()[0] != o || b.Dtype() != x.Dtype() {
			return nil, errorf(ErrInput, "%s: bias of shape %v and dtype %v, want (%d) of %v", fn, b.Shape(), b.Dtype(), o, x.Dtype())
		}
		bidx := make([]int, o*n)
		for i := range bidx {
			bidx[i] = i / n
		}
		var err error
		if bx, err = conv.Gather(b, bidx, o*n); err != nil {
			return nil, errorf(ErrInput, "%s: bias: %w", fn, err)
		}
	}
	wx, err := conv.Gather(w, idx, s...)
	if err != nil {
		return nil, errorf(ErrInput, "%s: filters: %w", fn, err)
	}
	y, err := conv.Conv2DWith(x, wx, bx, c.stride(), c.Pad, opt)
	if err != nil {
		return nil, errorf(ErrInput, "%s: %w", fn, err)
	}
	return y, nil
}
