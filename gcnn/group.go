package gcnn

import "fmt"

// Group is a symmetry group of the square pixel grid: the translations
// together with a finite group of rotations (and reflections) about a pixel
// centre. Its elements are numbered 0 … Order()−1; element e of P4M is the
// map F^m∘R^r with m = e/4, r = e%4, where R is the rotation by 90°
// counter-clockwise (numpy's rot90: out[i][j] = in[j][W−1−i]) and F the
// mirror of the columns (out[i][j] = in[i][W−1−j]); element r of P4 is R^r;
// Z2's only element is the identity.
//
// A feature map on a group (the output of Lift or GroupConv) has one
// channel per (feature, element) pair, feature-major: channel c·Order()+h is
// feature c at element h. An element g acts on it by
//
//	(g·f)[c, h](x) = f[c, g⁻¹h](g⁻¹x),
//
// moving each map in the plane and permuting the group channels; on an
// image it only moves each channel (see Act).
type Group int

const (
	// Z2 is the translations alone: Lift and GroupConv are ordinary
	// convolutions. It makes the baselines.
	Z2 Group = iota + 1
	// P4 is the translations and the four rotations by multiples of 90°.
	P4
	// P4M is P4 with the mirror reflections: eight elements.
	P4M
)

// Order returns the number of elements of the group's point group: 1, 4 or
// 8 (0 for an invalid Group).
func (g Group) Order() int {
	switch g {
	case Z2:
		return 1
	case P4:
		return 4
	case P4M:
		return 8
	}
	return 0
}

// String returns "Z2", "P4", "P4M" or "Group(n)".
func (g Group) String() string {
	switch g {
	case Z2:
		return "Z2"
	case P4:
		return "P4"
	case P4M:
		return "P4M"
	}
	return fmt.Sprintf("Group(%d)", int(g))
}

// valid reports whether g is one of the defined groups.
func (g Group) valid() bool { return g.Order() > 0 }

// check returns an error unless g is valid and e one of its elements.
func (g Group) check(e int) error {
	if !g.valid() {
		return errorf(ErrInput, "group %v is not Z2, P4 or P4M", g)
	}
	if e < 0 || e >= g.Order() {
		return errorf(ErrInput, "element %d of %v, want 0 ≤ e < %d", e, g, g.Order())
	}
	return nil
}

// split returns (m, r) with element e = F^m R^r.
func split(e int) (m, r int) { return e / 4, e % 4 }

// Mul returns the element a·b (the map a∘b).
func (g Group) Mul(a, b int) int {
	if g == Z2 {
		return 0
	}
	m1, r1 := split(a)
	m2, r2 := split(b)
	// R^{r1} F = F R^{−r1}, so F^{m1} R^{r1} F^{m2} R^{r2} = F^{m1+m2} R^{±r1+r2}.
	if m2 == 1 {
		r1 = -r1
	}
	return ((m1+m2)%2)*4 + ((r1+r2)%4+4)%4
}

// Inv returns the inverse of element e.
func (g Group) Inv(e int) int {
	if g == Z2 {
		return 0
	}
	m, r := split(e)
	if m == 1 {
		return e // reflections are their own inverse
	}
	return (4 - r) % 4
}

// planeIndex returns the index map of element e on an h×w array: the
// transformed array has shape (oh, ow) and its flat element k is the input's
// flat element idx[k].
func planeIndex(e, h, w int) (idx []int, oh, ow int) {
	idx = make([]int, h*w)
	for i := range idx {
		idx[i] = i
	}
	oh, ow = h, w
	m, r := split(e)
	tmp := make([]int, h*w)
	for ; r > 0; r-- {
		// out[i][j] = in[j][ow−1−i], out of shape (ow, oh).
		for i := 0; i < ow; i++ {
			for j := 0; j < oh; j++ {
				tmp[i*oh+j] = idx[j*ow+ow-1-i]
			}
		}
		idx, tmp = tmp, idx
		oh, ow = ow, oh
	}
	if m == 1 {
		for i := 0; i < oh; i++ {
			for j := 0; j < ow; j++ {
				tmp[i*ow+j] = idx[i*ow+ow-1-j]
			}
		}
		idx = tmp
	}
	return idx, oh, ow
}
