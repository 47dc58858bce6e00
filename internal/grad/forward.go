package grad

import (
	"reflect"
	"strings"

	G "gorgonia.org/gorgonia"
)

// forwardJVP computes ∂out/∂x·t by forward tangents: in topological order,
// each node that depends on x gets its tangent from its inputs' tangents by a
// forward rule of its op. ok is false (and the caller falls back to the
// double-VJP) when an op on the way has no forward rule here.
func forwardJVP(out, x, t *G.Node) (res *G.Node, ok bool, err error) {
	g := out.Graph()
	if x.Graph() != g || t.Graph() != g {
		return nil, false, inputf("JVP: out, x and t must belong to one graph")
	}
	if !isFloat(out) || !isFloat(x) || !isFloat(t) {
		return nil, false, inputf("JVP: out, x and t must be float64 or float32")
	}
	cs := canonical([]*G.Node{out, x, t})
	out, x, t = cs[0], cs[1], cs[2]
	p := &pass{g: g, wrt: map[*G.Node]bool{x: true}, seen: map[*G.Node]bool{}, active: map[*G.Node]bool{},
		kids: map[*G.Node][]*G.Node{}, diff: map[*G.Node][]bool{}, blocked: map[*G.Node]int{}}
	if err := p.visit(out); err != nil {
		return nil, false, err
	}
	if !p.active[out] {
		return nil, false, errorf(ErrNoPath, "the output does not depend on x (%s)", label(x))
	}
	defer func() {
		if r := recover(); r != nil {
			res, ok, err = nil, false, nil // no forward rule that works: fall back
		}
	}()
	tan := map[*G.Node]*G.Node{x: t}
	for _, n := range p.order {
		if !p.active[n] || n == x {
			continue
		}
		if j := p.blocked[n]; j > 0 {
			return nil, false, errorf(ErrUnsupported, "op %s is not differentiable with respect to its input %d, which depends on x", opName(n), j-1)
		}
		kids := p.kids[n]
		ts := make([]*G.Node, len(kids))
		for j, c := range kids {
			if p.diff[n][j] && p.active[c] {
				ts[j] = tan[c]
			}
		}
		r, ok, err := tangentOf(n, kids, ts)
		if err != nil || !ok {
			return nil, false, err
		}
		if !sameShape(r.Shape(), n.Shape()) {
			if r, err = fitShape(r, n); err != nil {
				return nil, false, nil
			}
		}
		tan[n] = r
	}
	return tan[out], true, nil
}

// tangentOf returns n's tangent from its inputs' tangents ts (nil for inputs
// that do not depend on x).
func tangentOf(n *G.Node, kids, ts []*G.Node) (*G.Node, bool, error) {
	op := n.Op()
	one := func() *G.Node { // the single input's tangent
		for _, t := range ts {
			if t != nil {
				return t
			}
		}
		return nil
	}
	var r *G.Node
	var err error
	switch opType(op) {
	case "gorgonia.elemUnaryOp":
		// elementwise: the Jacobian is diagonal, so the adjoint rule with
		// the tangent as adjoint is the tangent rule
		var rs []*G.Node
		if op.String() == "invSqrt" {
			rs, err = invSqrtAdjoint(n, ts[0])
		} else {
			rs, err = symDiff(n, kids, ts[0])
		}
		if err == nil {
			r = rs[0]
		}
	case "gorgonia.elemBinOp":
		r, err = elemBinTangent(n, kids, ts)
	case "gorgonia.linAlgBinOp":
		r, err = linAlgTangent(n, kids, ts)
	case "gorgonia.sumOp":
		along, ok := intsField(op, "along")
		if !ok {
			return nil, false, nil
		}
		r, err = G.Sum(one(), along...)
	case "*gorgonia.repeatOp", "gorgonia.transposeOp", "grad.takeOp", "grad.putOp":
		r, err = G.ApplyOp(op, append([]*G.Node{ts[0]}, kids[1:]...)...)
	case "gorgonia.reshapeOp":
		if n.IsScalar() {
			r, err = G.Sum(ts[0])
		} else {
			r, err = reshapeCopy(ts[0], n.Shape())
		}
	case "*gorgonia.sliceOp":
		b, all, e := sliceBlock(n, kids[0].Shape(), n.Shape())
		switch {
		case e != nil:
			err = e
		case all:
			r = ts[0]
		default:
			r, err = take(ts[0], b)
		}
	case "gorgonia.concatOp":
		r, err = concatTangent(n, kids, ts)
	case "*gorgonia.softmaxOp":
		r, err = softmaxTangent(n, kids, ts[0])
	case "*gorgonia.maxOp":
		// the adjoint of ones is the indicator of the maxima (all of
		// them on ties, as the reverse rule): ṁ = Σ ẋ⊙indicator
		along, ok := intsField(op, "along")
		if !ok {
			return nil, false, nil
		}
		var o *G.Node
		if o, err = ones(n, n.Shape()); err == nil {
			var ind []*G.Node
			if ind, err = symDiff(n, kids, o); err == nil {
				var p *G.Node
				if p, err = G.HadamardProd(ts[0], ind[0]); err == nil {
					r, err = G.Sum(p, along...)
				}
			}
		}
	default:
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return r, true, nil
}

// sumTerms adds the non-nil terms.
func sumTerms(terms ...*G.Node) (*G.Node, error) {
	var s *G.Node
	for _, t := range terms {
		if t == nil {
			continue
		}
		if s == nil {
			s = t
			continue
		}
		var err error
		if s, err = G.Add(s, t); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// elemBinTangent: ż = ∂z/∂x·ẋ + ∂z/∂y·ẏ for gorgonia's elementwise binary ops
// (a scalar operand broadcast).
func elemBinTangent(n *G.Node, kids, ts []*G.Node) (*G.Node, error) {
	x, err := unalias(kids[0])
	if err != nil {
		return nil, err
	}
	y, err := unalias(kids[1])
	if err != nil {
		return nil, err
	}
	tx, ty := ts[0], ts[1]
	var a, b *G.Node
	sym, _, _ := strings.Cut(n.Op().String(), " ")
	switch sym {
	case "+":
		a, b = tx, ty
	case "-":
		a = tx
		if ty != nil {
			if b, err = G.Neg(ty); err != nil {
				return nil, err
			}
		}
	case "⊙":
		if tx != nil {
			if a, err = G.HadamardProd(tx, y); err != nil {
				return nil, err
			}
		}
		if ty != nil {
			b, err = G.HadamardProd(ty, x)
		}
	case "÷": // ż = ẋ/y − z·ẏ/y
		if tx != nil {
			if a, err = G.HadamardDiv(tx, y); err != nil {
				return nil, err
			}
		}
		if ty != nil {
			var q *G.Node
			if q, err = G.HadamardDiv(n, y); err == nil {
				if q, err = G.HadamardProd(ty, q); err == nil {
					b, err = G.Neg(q)
				}
			}
		}
	case "^": // ż = y·x^(y−1)·ẋ + z·ln x·ẏ
		if tx != nil {
			var one, ym1, pw, q *G.Node
			if one, err = scalarConst(n.Graph(), y.Dtype(), 1); err != nil {
				return nil, err
			}
			if ym1, err = G.Sub(y, one); err != nil {
				return nil, err
			}
			if pw, err = G.Pow(x, ym1); err != nil {
				return nil, err
			}
			if q, err = G.HadamardProd(tx, y); err != nil {
				return nil, err
			}
			if a, err = G.HadamardProd(q, pw); err != nil {
				return nil, err
			}
		}
		if ty != nil {
			var lx, q *G.Node
			if lx, err = G.Log(x); err == nil {
				if q, err = G.HadamardProd(ty, n); err == nil {
					b, err = G.HadamardProd(q, lx)
				}
			}
		}
	default:
		return nil, errorf(ErrUnsupported, "op %s is not differentiable", opName(n))
	}
	if err != nil {
		return nil, err
	}
	r, err := sumTerms(a, b)
	if err != nil {
		return nil, err
	}
	return broadcastLike(r, n)
}

// broadcastLike returns r, a scalar tangent of a tensor node n, as a tensor
// of n's shape.
func broadcastLike(r, n *G.Node) (*G.Node, error) {
	if !r.IsScalar() || n.IsScalar() {
		return r, nil
	}
	o, err := ones(n, n.Shape())
	if err != nil {
		return nil, err
	}
	return G.HadamardProd(o, r)
}

// linAlgTangent: the product rule, with the node's own product and
// transposes.
func linAlgTangent(n *G.Node, kids, ts []*G.Node) (*G.Node, error) {
	op := n.Op()
	kind, ok1 := intField(op, "āBinaryOperator")
	tA, ok2 := boolField(op, "transA")
	tB, ok3 := boolField(op, "transB")
	if !ok1 || !ok2 || !ok3 {
		return nil, errorf(ErrUnsupported, "op %s: cannot read its operator and transposes", opName(n))
	}
	apply := func(a, b *G.Node) (*G.Node, error) {
		switch kind {
		case vecDot:
			return G.Mul(a, b)
		case outerProd:
			return G.OuterProd(a, b)
		}
		return product(op, kind, a, b, tA, tB)
	}
	var a, b *G.Node
	var err error
	if ts[0] != nil {
		if a, err = apply(ts[0], kids[1]); err != nil {
			return nil, err
		}
	}
	if ts[1] != nil {
		if b, err = apply(kids[0], ts[1]); err != nil {
			return nil, err
		}
	}
	return sumTerms(a, b)
}

// concatTangent concatenates the inputs' tangents (zeros for inputs that do
// not depend on x) with the core's put op (gorgonia's Concat would be
// differentiated by G.Grad with slices that merge 256 rows apart).
func concatTangent(n *G.Node, kids, ts []*G.Node) (*G.Node, error) {
	axis, ok := intField(n.Op(), "axis")
	if !ok {
		return nil, errorf(ErrUnsupported, "op %s: cannot read its axis", opName(n))
	}
	var terms []*G.Node
	start := 0
	for i, c := range kids {
		cs := c.Shape()
		end := start + cs[axis]
		if ts[i] != nil {
			b, err := newBlock(n.Shape(), axis, start, end, 1, cs)
			if err != nil {
				return nil, errorf(ErrUnsupported, "op %s: %v", opName(n), err)
			}
			q, err := put(ts[i], b)
			if err != nil {
				return nil, err
			}
			terms = append(terms, q)
		}
		start = end
	}
	return sumTerms(terms...)
}

// softmaxTangent: for s = softmax(x), ṡ = s ⊙ (ẋ − Σ s⊙ẋ) (the Jacobian is
// symmetric, so it is the adjoint rule); for y = log softmax(x),
// ẏ = ẋ − Σ eʸ⊙ẋ (sums along the axis, broadcast back).
func softmaxTangent(n *G.Node, kids []*G.Node, t *G.Node) (*G.Node, error) {
	isLog, ok := boolField(n.Op(), "isLog")
	if !ok {
		return nil, errorf(ErrUnsupported, "op %s: cannot read it", opName(n))
	}
	if !isLog {
		rs, err := softmaxAdjoint(n, kids, t)
		if err != nil {
			return nil, err
		}
		return rs[0], nil
	}
	axis, _ := intField(n.Op(), "axis")
	if axis < 0 {
		axis = kids[0].Dims() - 1
	}
	s, err := G.Exp(n)
	if err != nil {
		return nil, err
	}
	st, err := G.HadamardProd(s, t)
	if err != nil {
		return nil, err
	}
	sum, err := G.Sum(st, axis)
	if err != nil {
		return nil, err
	}
	if sum.IsScalar() {
		return G.Sub(t, sum)
	}
	return G.BroadcastSub(t, sum, nil, []byte{byte(axis)})
}

// intsField reads an []int-like field (gorgonia's axes).
func intsField(op G.Op, name string) ([]int, bool) {
	f, ok := field(op, name)
	if !ok || f.Kind() != reflect.Slice {
		return nil, false
	}
	out := make([]int, f.Len())
	for i := range out {
		e := f.Index(i)
		switch e.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			out[i] = int(e.Int())
		default:
			return nil, false
		}
	}
	return out, true
}
