package grad

import (
	"reflect"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// sliceParams reads the axis and the range of gorgonia's slice op (or of the
// slice inside its adjoint op, sliceIncrOp). sl is nil for a whole axis.
func sliceParams(op G.Op) (axis int, sl tensor.Slice, ok bool) {
	var v reflect.Value
	if f, found := field(op, "sliceOp"); found { // sliceIncrOp embeds *sliceOp
		if f.IsNil() {
			return 0, nil, false
		}
		v = f.Elem()
	} else {
		r := reflect.ValueOf(op)
		if r.Kind() != reflect.Pointer || r.IsNil() {
			return 0, nil, false
		}
		v = r.Elem()
	}
	af := v.FieldByName("along")
	sf := v.FieldByName("Slice")
	if !af.IsValid() || !sf.IsValid() || af.Kind() != reflect.Int {
		return 0, nil, false
	}
	if !sf.IsNil() {
		sl, ok = sf.Interface().(tensor.Slice)
		if !ok {
			return 0, nil, false
		}
	}
	return int(af.Int()), sl, true
}

// sliceBlock is the block a gorgonia slice of an input of shape in takes,
// laid out in shape out.
func sliceBlock(n *G.Node, in, out tensor.Shape) (block, bool, error) {
	axis, sl, ok := sliceParams(n.Op())
	if !ok {
		return block{}, false, errorf(ErrUnsupported, "op %s: cannot read its slice", opName(n))
	}
	if sl == nil {
		return block{}, true, nil // the whole tensor
	}
	if axis < 0 || axis >= in.Dims() {
		return block{}, false, errorf(ErrUnsupported, "op %s: axis %d of shape %v", opName(n), axis, in)
	}
	start, end, step, err := tensor.SliceDetails(sl, in[axis])
	if err != nil {
		return block{}, false, errorf(ErrUnsupported, "op %s: %v", opName(n), err)
	}
	b, err := newBlock(in, axis, start, end, step, out)
	if err != nil {
		return block{}, false, errorf(ErrUnsupported, "op %s: %v", opName(n), err)
	}
	return b, false, nil
}

// sliceAdjoint differentiates gorgonia's Slice with the core's put op:
// gorgonia's adjoint op (sliceIncrOp) is not differentiable with respect to
// the adjoint it writes, so second derivatives through a slice would be lost.
func sliceAdjoint(n *G.Node, kids []*G.Node, gz *G.Node) ([]*G.Node, error) {
	b, all, err := sliceBlock(n, kids[0].Shape(), n.Shape())
	if err != nil {
		return nil, err
	}
	if all {
		return []*G.Node{gz}, nil
	}
	r, err := put(gz, b)
	return []*G.Node{r}, err
}

// sliceIncrAdjoints differentiates gorgonia's slice adjoint op, T[s] += v on
// zeros of T's shape, met when a graph built by G.Grad is differentiated: its
// value does not depend on T, and v's adjoint is the slice of z̄.
func sliceIncrAdjoints(n *G.Node, kids []*G.Node, gz *G.Node, need []bool) ([]*G.Node, error) {
	need[0] = false
	res := make([]*G.Node, 2)
	if !need[1] {
		return res, nil
	}
	b, all, err := sliceBlock(n, kids[0].Shape(), kids[1].Shape())
	if err != nil {
		return nil, err
	}
	if all {
		res[1] = gz
		return res, nil
	}
	res[1], err = take(gz, b)
	return res, err
}

// concatAdjoints differentiates gorgonia's Concat with the core's take op,
// which hashes its bounds in full (gorgonia's SymDiff slices the adjoint with
// its own slice op, merging blocks 256 rows apart).
func concatAdjoints(n *G.Node, kids []*G.Node, gz *G.Node, need []bool) ([]*G.Node, error) {
	axis, ok := intField(n.Op(), "axis")
	if !ok {
		return nil, errorf(ErrUnsupported, "op %s: cannot read its axis", opName(n))
	}
	res := make([]*G.Node, len(kids))
	start := 0
	for i, c := range kids {
		cs := c.Shape()
		if axis >= cs.Dims() {
			return nil, errorf(ErrUnsupported, "op %s: axis %d of input shape %v", opName(n), axis, cs)
		}
		end := start + cs[axis]
		if need[i] {
			b, err := newBlock(n.Shape(), axis, start, end, 1, cs)
			if err != nil {
				return nil, errorf(ErrUnsupported, "op %s: %v", opName(n), err)
			}
			if res[i], err = take(gz, b); err != nil {
				return nil, err
			}
		}
		start = end
	}
	return res, nil
}

// softmaxAdjoint differentiates SoftMax and LogSoftMax with gorgonia's
// elementwise ops: their own adjoint op has no derivative. For s = softmax(x)
// along an axis, x̄ = s ⊙ (z̄ − Σ z̄⊙s); for y = log softmax(x),
// x̄ = z̄ − eʸ ⊙ Σ z̄ (sums along the axis, broadcast back).
func softmaxAdjoint(n *G.Node, kids []*G.Node, gz *G.Node) ([]*G.Node, error) {
	axis, ok1 := intField(n.Op(), "axis")
	isLog, ok2 := boolField(n.Op(), "isLog")
	if !ok1 || !ok2 {
		return nil, errorf(ErrUnsupported, "op %s: cannot read its axis", opName(n))
	}
	d := kids[0].Dims()
	if axis < 0 {
		axis = d - 1
	}
	if axis < 0 || axis >= d {
		return nil, errorf(ErrUnsupported, "op %s: axis %d of a %d-D input", opName(n), axis, d)
	}
	pat := []byte{byte(axis)}
	bsub := func(a, b *G.Node) (*G.Node, error) {
		if b.IsScalar() {
			return G.Sub(a, b)
		}
		return G.BroadcastSub(a, b, nil, pat)
	}
	bmul := func(a, b *G.Node) (*G.Node, error) {
		if b.IsScalar() {
			return G.HadamardProd(a, b)
		}
		return G.BroadcastHadamardProd(a, b, nil, pat)
	}
	var r *G.Node
	var err error
	if !isLog {
		var gs, t, df *G.Node
		if gs, err = G.HadamardProd(gz, n); err != nil {
			return nil, err
		}
		if t, err = G.Sum(gs, axis); err != nil {
			return nil, err
		}
		if df, err = bsub(gz, t); err != nil {
			return nil, err
		}
		r, err = G.HadamardProd(n, df)
	} else {
		var s, t, st *G.Node
		if s, err = G.Exp(n); err != nil {
			return nil, err
		}
		if t, err = G.Sum(gz, axis); err != nil {
			return nil, err
		}
		if st, err = bmul(s, t); err != nil {
			return nil, err
		}
		r, err = G.Sub(gz, st)
	}
	return []*G.Node{r}, err
}

// reshapeAdjoint reshapes the adjoint back to the input's shape, or sums it
// when the input is a scalar: gorgonia's SymDiff reshapes to the scalar
// shape, which gives a 0-d tensor that its scalar ops then reject.
func reshapeAdjoint(kids []*G.Node, gz *G.Node) ([]*G.Node, error) {
	c := kids[0]
	if c.IsScalar() {
		r, err := G.Sum(gz)
		return []*G.Node{r}, err
	}
	if sameShape(gz.Shape(), c.Shape()) {
		return []*G.Node{gz}, nil
	}
	r, err := reshapeCopy(gz, c.Shape())
	return []*G.Node{r}, err
}

// reshapeCopy returns a copy of a in shape s. gorgonia's Reshape shares its
// input's memory: an op that later writes its result in place (the tape
// machine does when the reshape's own value is dead) then overwrites the
// input, which other nodes may still read. The core's take op over the whole
// tensor copies instead.
func reshapeCopy(a *G.Node, s tensor.Shape) (*G.Node, error) {
	as := a.Shape()
	if a.IsScalar() || as.Dims() == 0 {
		return G.Reshape(a, s) // a scalar value is converted, not shared
	}
	b, err := newBlock(as, 0, 0, as[0], 1, s)
	if err != nil {
		return nil, err
	}
	return take(a, b)
}

// unalias returns n, or a copy of it when n is a gorgonia Reshape, whose
// value shares its input's memory: the core's rules build elementwise ops on
// the nodes they are given, and the tape machine may write such an op's
// result over its first operand.
func unalias(n *G.Node) (*G.Node, error) {
	if opType(n.Op()) != "gorgonia.reshapeOp" {
		return n, nil
	}
	ks := children(n.Graph(), n)
	if len(ks) != 1 {
		return n, nil
	}
	return reshapeCopy(ks[0], n.Shape())
}
