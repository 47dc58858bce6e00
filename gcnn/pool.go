package gcnn

import (
	"strconv"

	"github.com/physbias/physbias/internal/conv"
	G "gorgonia.org/gorgonia"
)

// Pool is a pooling rule: Max or Mean.
type Pool int

const (
	// Max keeps the largest value.
	Max Pool = iota + 1
	// Mean averages.
	Mean
)

// String returns "max", "mean" or "Pool(n)".
func (p Pool) String() string {
	switch p {
	case Max:
		return "max"
	case Mean:
		return "mean"
	}
	return "Pool(" + strconv.Itoa(int(p)) + ")"
}

// GroupPool pools feature maps on grp over the group: x (B, C·N, H, W),
// N = grp.Order(), becomes (B, C, H, W), each feature's N maps reduced
// pixel by pixel. The result transforms like an image (each channel moved
// in the plane) when x transforms as the group acts on it: the features are
// invariant to the group's permutation of channels.
func GroupPool(x *G.Node, grp Group, p Pool) (*G.Node, error) {
	const fn = "GroupPool"
	if err := grp.check(0); err != nil {
		return nil, err
	}
	if err := checkNode(fn, "input", x, 4); err != nil {
		return nil, err
	}
	s := x.Shape()
	n := grp.Order()
	if s[1]%n != 0 {
		return nil, errorf(ErrInput, "%s: input has %d channels, want a multiple of %v's %d elements", fn, s[1], grp, n)
	}
	if p != Max && p != Mean {
		return nil, errorf(ErrInput, "%s: pool %v, want Max or Mean", fn, p)
	}
	if n == 1 {
		return x, nil
	}
	y, err := conv.AxisPool(x, n, s[2]*s[3], p == Mean, s[0], s[1]/n, s[2], s[3])
	if err != nil {
		return nil, errorf(ErrInput, "%s: %w", fn, err)
	}
	return y, nil
}

// MaxPool is the spatial max-pool over size×size windows with stride size
// on (B, C, H, W) maps. It keeps grp's equivariance only when the windows
// tile each axis exactly from both ends, (n − size) divisible by size (a
// 2×2 pool on an odd size breaks it): otherwise it is an error matching
// ErrInput, unless grp is Z2.
func MaxPool(x *G.Node, size int, grp Group) (*G.Node, error) {
	const fn = "MaxPool"
	if err := grp.check(0); err != nil {
		return nil, err
	}
	if err := checkNode(fn, "input", x, 4); err != nil {
		return nil, err
	}
	s := x.Shape()
	if err := checkPool(fn, size, grp, s[2], s[3]); err != nil {
		return nil, err
	}
	y, err := conv.MaxPool2D(x, size)
	if err != nil {
		return nil, errorf(ErrInput, "%s: %w", fn, err)
	}
	return y, nil
}

// checkPool checks a size×size max-pool of stride size on h×w maps, for
// the equivariance of grp.
func checkPool(fn string, size int, grp Group, h, w int) error {
	if size < 1 || size > h || size > w {
		return errorf(ErrInput, "%s: window %d on %d×%d maps, want 1 ≤ size ≤ both sides", fn, size, h, w)
	}
	if grp != Z2 {
		for _, n := range [2]int{h, w} {
			if (n-size)%size != 0 {
				return errorf(ErrInput, "%s: a %d×%d pool with stride %d on size %d breaks %v equivariance (the rotated map is pooled on shifted windows); pad or crop to a multiple of %d", fn, size, size, size, n, grp, size)
			}
		}
	}
	return nil
}

// GlobalPool reduces each channel of (B, C, H, W) maps to one number,
// giving (B, C): invariant to the moves of the plane when the maps
// transform like images (after GroupPool).
func GlobalPool(x *G.Node, p Pool) (*G.Node, error) {
	const fn = "GlobalPool"
	if err := checkNode(fn, "input", x, 4); err != nil {
		return nil, err
	}
	if p != Max && p != Mean {
		return nil, errorf(ErrInput, "%s: pool %v, want Max or Mean", fn, p)
	}
	s := x.Shape()
	y, err := conv.AxisPool(x, s[2]*s[3], 1, p == Mean, s[0], s[1])
	if err != nil {
		return nil, errorf(ErrInput, "%s: %w", fn, err)
	}
	return y, nil
}
