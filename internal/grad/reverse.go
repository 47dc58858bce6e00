package grad

import (
	"fmt"
	"strings"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// backward is the core's reverse pass. It returns, for each w in wrt, the
// adjoint Σₖ seedsₖ·∂outsₖ/∂w as a node of the same graph: the vector-Jacobian
// product of the outputs with the seeds. It keeps the adjoint terms of every
// node in a map of its own, never touching gorgonia's cached Node.Deriv, so its
// results can be differentiated again, by backward or by G.Grad.
//
// A w on which no output depends differentiably is an error matching
// ErrNoPath, unless zero is set: then its adjoint is a zero constant of its
// shape (the right answer when a derivative has become independent of w, as the
// Hessian of a linear function).
func backward(outs, seeds, wrt []*G.Node, zero bool) ([]*G.Node, error) {
	r, _, err := backwardFound(outs, seeds, wrt, zero)
	return r, err
}

// backwardFound is backward that also says, for each w, whether a path was
// found (false: its result is a zero constant).
func backwardFound(outs, seeds, wrt []*G.Node, zero bool) ([]*G.Node, []bool, error) {
	if len(outs) == 0 || len(outs) != len(seeds) {
		return nil, nil, inputf("%d outputs and %d seeds", len(outs), len(seeds))
	}
	if len(wrt) == 0 {
		return nil, nil, inputf("no nodes to differentiate with respect to")
	}
	var g *G.ExprGraph
	outs, seeds, wrt = canonical(outs), canonical(seeds), canonical(wrt)
	check := func(what string, i int, n *G.Node) error {
		if n == nil {
			return inputf("%s[%d] is nil", what, i)
		}
		if n.Graph() == nil {
			return inputf("%s[%d] (%s) belongs to no graph", what, i, label(n))
		}
		if g == nil {
			g = n.Graph()
		}
		if n.Graph() != g {
			return inputf("%s[%d] (%s) belongs to another graph", what, i, label(n))
		}
		if !isFloat(n) {
			return inputf("%s[%d] (%s) has type %v, want float64 or float32", what, i, label(n), n.Dtype())
		}
		return nil
	}
	for i, n := range outs {
		if err := check("output", i, n); err != nil {
			return nil, nil, err
		}
	}
	for i, n := range seeds {
		if err := check("seed", i, n); err != nil {
			return nil, nil, err
		}
		if !sameShape(n.Shape(), outs[i].Shape()) {
			return nil, nil, inputf("seed %d has shape %v, its output %v", i, n.Shape(), outs[i].Shape())
		}
	}
	wrtSet := make(map[*G.Node]bool, len(wrt))
	for i, n := range wrt {
		if err := check("wrt", i, n); err != nil {
			return nil, nil, err
		}
		wrtSet[n] = true
	}

	// Children-first order of every node the outputs depend on (a
	// topological order of that subgraph), and which of them depend
	// differentiably on some w ("active").
	p := &pass{g: g, wrt: wrtSet, seen: map[*G.Node]bool{}, active: map[*G.Node]bool{}, kids: map[*G.Node][]*G.Node{}, diff: map[*G.Node][]bool{}, blocked: map[*G.Node]int{}}
	for _, o := range outs {
		if err := p.visit(o); err != nil {
			return nil, nil, err
		}
	}

	adj := make(map[*G.Node][]*G.Node)
	for i, o := range outs {
		if p.active[o] {
			adj[o] = append(adj[o], seeds[i])
		}
	}
	total := make(map[*G.Node]*G.Node)
	for i := len(p.order) - 1; i >= 0; i-- {
		n := p.order[i]
		terms := adj[n]
		if !p.active[n] || len(terms) == 0 {
			continue
		}
		delete(adj, n)
		if j := p.blocked[n]; j > 0 {
			return nil, nil, errorf(ErrUnsupported, "op %s is not differentiable with respect to its input %d, which depends on the nodes differentiated for", opName(n), j-1)
		}
		sum, err := addAll(terms)
		if err == nil {
			sum, err = unalias(sum)
		}
		if err != nil {
			return nil, nil, errorf(ErrUnsupported, "summing the adjoint terms of %s: %v", label(n), err)
		}
		total[n] = sum
		kids := p.kids[n]
		if len(kids) == 0 {
			continue
		}
		need := make([]bool, len(kids))
		any := false
		for j, c := range kids {
			need[j] = p.diff[n][j] && p.active[c]
			any = any || need[j]
		}
		if !any {
			continue
		}
		cadj, err := adjoints(n, kids, sum, need)
		if err != nil {
			return nil, nil, err
		}
		for j, c := range kids {
			if !need[j] || cadj[j] == nil {
				continue
			}
			a, err := fitShape(cadj[j], c)
			if err != nil {
				return nil, nil, errorf(ErrUnsupported, "op %s: adjoint of input %d: %v", opName(n), j, err)
			}
			adj[c] = append(adj[c], a)
		}
	}

	res := make([]*G.Node, len(wrt))
	found := make([]bool, len(wrt))
	for i, w := range wrt {
		if t, ok := total[w]; ok {
			res[i], found[i] = t, true
			continue
		}
		if !zero {
			return nil, nil, errorf(ErrNoPath, "the output does not depend on wrt[%d] (%s)", i, label(w))
		}
		z, err := zerosLike(w)
		if err != nil {
			return nil, nil, err
		}
		res[i] = z
	}
	return res, found, nil
}

// pass holds the forward analysis of one backward call.
type pass struct {
	g      *G.ExprGraph
	wrt    map[*G.Node]bool
	seen   map[*G.Node]bool
	active map[*G.Node]bool
	kids   map[*G.Node][]*G.Node
	diff   map[*G.Node][]bool
	// blocked[n] = j+1 when n's op claims no derivative in its input j,
	// which depends on a w, without being one of the piecewise-constant
	// ops whose derivative is zero
	blocked map[*G.Node]int
	order   []*G.Node // children before parents
}

// visit appends n and everything below it to p.order, children first, and
// marks n active when it is a w or has an active child it is differentiable
// with respect to.
func (p *pass) visit(n *G.Node) error {
	// An explicit stack: graphs of nested derivatives are deep.
	type frame struct {
		n *G.Node
		i int
	}
	if p.seen[n] {
		return nil
	}
	p.seen[n] = true
	stack := []frame{{n: n}}
	p.kids[n] = children(p.g, n)
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		ks := p.kids[f.n]
		if f.i < len(ks) {
			c := ks[f.i]
			f.i++
			if !p.seen[c] {
				p.seen[c] = true
				p.kids[c] = children(p.g, c)
				stack = append(stack, frame{n: c})
			}
			continue
		}
		// all children done
		m := f.n
		stack = stack[:len(stack)-1]
		if err := inPlaceOverReshape(p.g, m, ks); err != nil {
			return err
		}
		d, err := diffWRT(m, len(ks))
		if err != nil {
			return err
		}
		p.diff[m] = d
		act := p.wrt[m]
		for j, c := range ks {
			if d[j] && p.active[c] {
				act = true
			}
			if !d[j] && p.active[c] && !zeroDerivative(m, j, c) {
				// the op says it is not differentiable in an input
				// that depends on a w: refuse rather than drop the
				// path (a backward-only op of a custom package)
				p.blocked[m] = j + 1
				act = true
			}
		}
		p.active[m] = act
		p.order = append(p.order, m)
	}
	return nil
}

// children returns n's inputs in order (repeats kept: x·x has x twice).
func children(g *G.ExprGraph, n *G.Node) []*G.Node {
	it := g.From(n.ID())
	if it == nil {
		return nil
	}
	var ks []*G.Node
	for it.Next() {
		ks = append(ks, it.Node().(*G.Node))
	}
	return ks
}

// diffWRT says with respect to which of its k inputs n's op is
// differentiable. An op without SymDiff counts as differentiable in all of
// them, so that a path through it is an error (naming it) rather than a
// silent zero.
func diffWRT(n *G.Node, k int) (d []bool, err error) {
	d = make([]bool, k)
	if k == 0 {
		return d, nil
	}
	sd, ok := n.Op().(G.SDOp)
	if !ok {
		for i := range d {
			d[i] = true
		}
		return d, nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = errorf(ErrUnsupported, "op %s: DiffWRT panicked: %v", opName(n), r)
		}
	}()
	got := sd.DiffWRT(k)
	copy(d, got)
	if opType(n.Op()) == "gorgonia.sliceIncrOp" {
		// T[s] += v on zeros: depends on v, not on T (its DiffWRT says
		// the opposite; the core's rule differentiates it)
		d[0], d[1] = false, true
	}
	return d, nil
}

// zeroDerivative reports whether n's op, which claims no derivative with
// respect to its input j (c), is one whose derivative there is truly zero:
// comparisons, sign, ceil and floor (piecewise constant), shape and size
// inputs, integer indices.
func zeroDerivative(n *G.Node, j int, c *G.Node) bool {
	if !isFloat(c) {
		return true
	}
	op := n.Op()
	switch opType(op) {
	case "gorgonia.elemBinOp":
		sym, _, _ := strings.Cut(op.String(), " ")
		switch sym {
		case "<", ">", "<=", ">=", "==", "!=":
			return true
		}
	case "gorgonia.elemUnaryOp":
		switch op.String() {
		case "sign", "ceil", "floor":
			return true
		}
	case "gorgonia.sizeOp":
		return true
	case "*gorgonia.repeatOp":
		return j >= 1 // the repeat counts
	case "*gorgonia.byIndicesOp":
		return j == 1 // the indices
	case "gorgonia.sliceIncrOp":
		return j == 0 // only T's shape is used
	}
	return false
}

// addAll sums adjoint terms of one node.
func addAll(terms []*G.Node) (*G.Node, error) {
	sum := terms[0]
	for _, t := range terms[1:] {
		var err error
		if sum, err = G.Add(sum, t); err != nil {
			return nil, err
		}
	}
	return sum, nil
}

// fitShape returns a, the adjoint built for input c, in c's shape: summed
// when c is a scalar and a is not, reshaped when only the layout of unit
// dimensions differs.
func fitShape(a, c *G.Node) (*G.Node, error) {
	as, cs := a.Shape(), c.Shape()
	if sameShape(as, cs) {
		return a, nil
	}
	if c.IsScalar() {
		if as.TotalSize() == 1 || !a.IsScalar() {
			return G.Sum(a)
		}
	}
	if shapeSize(as) == shapeSize(cs) && !c.IsScalar() {
		return reshapeCopy(a, cs)
	}
	return nil, fmt.Errorf("has shape %v, the input %v", as, cs)
}

// sameShape compares shapes exactly: tensor.Shape.Eq holds a column (n, 1)
// equal to a vector (n).
func sameShape(a, b tensor.Shape) bool {
	if a.IsScalar() || b.IsScalar() {
		return a.IsScalar() && b.IsScalar()
	}
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func isFloat(n *G.Node) bool {
	dt := n.Dtype()
	return dt == tensor.Float64 || dt == tensor.Float32
}

// opName names n's op for error messages: its Go type and its text.
func opName(n *G.Node) string {
	if n.Op() == nil {
		return fmt.Sprintf("(input %s)", label(n))
	}
	return fmt.Sprintf("%q (%T) of node %s", n.Op().String(), n.Op(), label(n))
}

// isConstant reports whether n is a constant node (gorgonia's constant ops).
func isConstant(n *G.Node) bool {
	switch opType(n.Op()) {
	case "gorgonia.constantScalar", "gorgonia.constantTensor":
		return true
	}
	return false
}

// inPlaceOverReshape refuses a node m whose op the tape machine may run in
// place over its input, when that input is a gorgonia Reshape (of a tensor):
// a Reshape shares its source's memory, so the source would be overwritten,
// and derivatives read it afterwards (measured: gradients off by 30%).
func inPlaceOverReshape(g *G.ExprGraph, m *G.Node, ks []*G.Node) error {
	switch opType(m.Op()) {
	case "gorgonia.elemBinOp", "gorgonia.elemUnaryOp", "gorgonia.transposeOp":
	default:
		return nil
	}
	j := m.Op().OverwritesInput()
	if j < 0 || j >= len(ks) {
		return nil
	}
	r := ks[j]
	if opType(r.Op()) != "gorgonia.reshapeOp" {
		return nil
	}
	src := children(g, r)
	if len(src) != 1 || src[0].IsScalar() || shapeSize(r.Shape()) != shapeSize(m.Shape()) {
		return nil
	}
	return errorf(ErrUnsupported, "op %s may be run in place over its input %v, a G.Reshape that shares the memory of %v: "+
		"that node would be overwritten and derivatives reading it would be wrong (gorgonia v0.9.18); build the reshape with grad.Reshape",
		opName(m), r.Name(), src[0].Name())
}

// label names n for messages: its name (a constant's name is its value, so
// long names are cut) and its shape.
func label(n *G.Node) string {
	name := n.Name()
	if r := []rune(name); len(r) > 40 {
		name = string(r[:37]) + "..."
	}
	return fmt.Sprintf("%s %v", name, n.Shape())
}

// canonical returns ns with each constant replaced by the node its graph
// holds: G.NewConstant(v, G.In(g)) returns a copy of the node it adds.
func canonical(ns []*G.Node) []*G.Node {
	out := make([]*G.Node, len(ns))
	for i, n := range ns {
		out[i] = n
		if n != nil && n.Graph() != nil && isConstant(n) {
			out[i] = n.Graph().AddNode(n)
		}
	}
	return out
}
