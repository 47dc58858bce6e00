package gcnn

// Float is the element type of images and feature maps: float32 or float64.
type Float interface{ ~float32 | ~float64 }

// Act returns element e of grp acting on x, a batch of b samples of c
// channels of h×w maps (NCHW, sample after sample), and the new height and
// width (swapped by an odd rotation). With onGroup false x holds images and
// each channel is moved in the plane; with onGroup true x holds feature maps
// on grp (c must be a multiple of grp.Order(), feature-major) and the group
// channels are permuted as well: (g·f)[k, h](x) = f[k, g⁻¹h](g⁻¹x). Act is
// how a test checks equivariance: a layer L is equivariant when
// L(Act(g, x)) = Act(g, L(x)).
func Act[T Float](grp Group, e int, x []T, b, c, h, w int, onGroup bool) ([]T, int, int, error) {
	if err := grp.check(e); err != nil {
		return nil, 0, 0, err
	}
	if b < 1 || c < 1 || h < 1 || w < 1 {
		return nil, 0, 0, errorf(ErrInput, "Act: shape (%d, %d, %d, %d) has an empty axis", b, c, h, w)
	}
	if !holds(len(x), b, c, h, w) {
		return nil, 0, 0, errorf(ErrInput, "Act: %d values for shape (%d, %d, %d, %d)", len(x), b, c, h, w)
	}
	n := grp.Order()
	if onGroup && c%n != 0 {
		return nil, 0, 0, errorf(ErrInput, "Act: %d channels on %v, want a multiple of %d", c, grp, n)
	}
	idx, oh, ow := planeIndex(e, h, w)
	hw := h * w
	out := make([]T, len(x))
	inv := grp.Inv(e)
	for s := 0; s < b; s++ {
		for ch := 0; ch < c; ch++ {
			src := ch
			if onGroup {
				// Output channel (k, hh) reads input channel (k, g⁻¹hh).
				k, hh := ch/n, ch%n
				src = k*n + grp.Mul(inv, hh)
			}
			dst := out[(s*c+ch)*hw : (s*c+ch+1)*hw]
			in := x[(s*c+src)*hw : (s*c+src+1)*hw]
			for i, j := range idx {
				dst[i] = in[j]
			}
		}
	}
	return out, oh, ow, nil
}

// holds reports whether n is the product of the positive dims, without
// overflowing int (a product that wraps around to n is no match).
func holds(n int, dims ...int) bool {
	p := 1
	for _, d := range dims {
		if d < 1 || d > n/p {
			return false
		}
		p *= d
	}
	return p == n
}
