package ad

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Derivs holds a network's value and its input derivatives from one
// forward-jet pass (see MLP.Derivatives).
type Derivs struct {
	Value  *G.Node   // f(x), (B, Out())
	First  []*G.Node // First[i] = ∂f/∂x_i, (B, Out()), for every input i
	Second []*G.Node // Second[k] = ∂²f/∂x_{second[k]}², (B, Out())
}

// revEntry is a forward-over-reverse pass already built for an input node:
// gx is the stacked input cotangent (S·B, In()): block 0 is ∇ₓf and block
// 1+t is the Hessian column cols[t].
type revEntry struct {
	gx   *G.Node
	cols []int
	b    int
}

// jetPass builds the forward jet of x: block 0 the value, then one
// first-order tangent per direction (input index d ≥ 0, or the tangent v for
// d < 0), then one second-order tangent per entry of pairs (the index, in
// dirs, of the direction it is the second derivative along). It returns the
// stacked output (S·B, Out()).
func (m *MLP) jetPass(x, v *G.Node, batch int, dirs, pairs []int) (*G.Node, error) {
	s := 1 + len(dirs) + len(pairs)
	a := x
	var err error
	if s > 1 {
		in := []*G.Node{x}
		if v != nil {
			in = append(in, v)
		}
		if a, err = apply(fop{kind: kStackIn, b: batch, s: s, ints: dirs}, in...); err != nil {
			return nil, err
		}
	}
	// The derivatives of σ the layer's ops will use, forward and backward.
	ord := 3
	switch {
	case len(dirs) == 0 && len(pairs) == 0:
		ord = 1
	case len(pairs) == 0:
		ord = 2
	}
	L := m.layers()
	for l := 0; l < L-1; l++ {
		z, err := apply(fop{kind: kLin, b: batch}, a, m.w[l], m.b[l])
		if err != nil {
			return nil, err
		}
		if a, err = apply(fop{kind: kAct, act: m.act, b: batch, s: s, nf: len(dirs), ints: pairs, cache: newActCacheOrder(ord)}, z); err != nil {
			return nil, err
		}
	}
	return apply(fop{kind: kLin, b: batch}, a, m.w[L-1], m.b[L-1])
}

// revPass builds forward-over-reverse: the explicit reverse pass from the
// output cotangent u (nil: ones, for a scalar output) and its tangents along
// the inputs cols. It returns the stacked input cotangent (S·B, In()).
func (m *MLP) revPass(x, u *G.Node, batch int, cols []int) (*G.Node, error) {
	s := 1 + len(cols)
	a := x
	var err error
	if s > 1 {
		if a, err = apply(fop{kind: kStackIn, b: batch, s: s, ints: cols}, x); err != nil {
			return nil, err
		}
	}
	ord := 3 // the tangents' reverse pass uses σ‴ in its backward op
	if s == 1 {
		ord = 2
	}
	L := m.layers()
	zs, as, acts := make([]*G.Node, L-1), make([]*G.Node, L-1), make([]fop, L-1)
	for l := 0; l < L-1; l++ {
		if zs[l], err = apply(fop{kind: kLin, b: batch}, a, m.w[l], m.b[l]); err != nil {
			return nil, err
		}
		acts[l] = fop{kind: kAct, act: m.act, b: batch, s: s, nf: len(cols), cache: newActCacheOrder(ord)}
		if as[l], err = apply(acts[l], zs[l]); err != nil {
			return nil, err
		}
		a = as[l]
	}
	seedIn := []*G.Node{m.w[L-1]}
	if u != nil {
		seedIn = append(seedIn, u)
	}
	g, err := apply(fop{kind: kSeed, b: batch, s: s}, seedIn...)
	if err != nil {
		return nil, err
	}
	for l := L - 2; l >= 0; l-- {
		ro := acts[l]
		ro.kind, ro.nf = kRevAct, 0
		gz, err := apply(ro, zs[l], as[l], g)
		if err != nil {
			return nil, err
		}
		if g, err = apply(fop{kind: kLinT}, gz, m.w[l]); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// scalarRev returns a forward-over-reverse pass for x (scalar output, u = 1)
// whose tangent directions include want, reusing one built before.
func (m *MLP) scalarRev(x *G.Node, batch int, want []int) (*revEntry, error) {
	for _, e := range m.revCache[x] {
		if subset(want, e.cols) {
			return e, nil
		}
	}
	cols := unique(want)
	gx, err := m.revPass(x, nil, batch, cols)
	if err != nil {
		return nil, err
	}
	e := &revEntry{gx: gx, cols: cols, b: batch}
	if m.revCache == nil {
		m.revCache = map[*G.Node][]*revEntry{}
	}
	m.revCache[x] = append(m.revCache[x], e)
	return e, nil
}

func block(y *G.Node, batch, s, k int) (*G.Node, error) {
	if s == 1 {
		return y, nil
	}
	return apply(fop{kind: kBlock, b: batch, s: s, k: k}, y)
}

// InputGrad returns ∇ₓf, (B, In()), for a network with Out()==1, from an
// explicit reverse pass. It shares its graph nodes with Hessian and
// HessianBlock calls on the same x.
func (m *MLP) InputGrad(x *G.Node) (*G.Node, error) {
	if err := m.needScalar("InputGrad"); err != nil {
		return nil, err
	}
	B, err := m.checkBatch(x, "InputGrad input x", m.In())
	if err != nil {
		return nil, err
	}
	e, err := m.scalarRev(x, B, nil)
	if err != nil {
		return nil, err
	}
	return block(e.gx, B, 1+len(e.cols), 0)
}

// VJP returns the rows uᵀJ, (B, In()), for cotangents u of shape (B, Out()).
func (m *MLP) VJP(x, u *G.Node) (*G.Node, error) {
	B, err := m.checkBatch(x, "VJP input x", m.In())
	if err != nil {
		return nil, err
	}
	Bu, err := m.checkBatch(u, "VJP cotangent u", m.Out())
	if err != nil {
		return nil, err
	}
	if Bu != B {
		return nil, fmt.Errorf("ad: %s: VJP cotangent u has %d rows, input x has %d", m.name, Bu, B)
	}
	return m.revPass(x, u, B, nil)
}

// JVP returns the rows Jv, (B, Out()), for tangents v of shape (B, In()).
func (m *MLP) JVP(x, v *G.Node) (*G.Node, error) {
	B, err := m.checkBatch(x, "JVP input x", m.In())
	if err != nil {
		return nil, err
	}
	Bv, err := m.checkBatch(v, "JVP tangent v", m.In())
	if err != nil {
		return nil, err
	}
	if Bv != B {
		return nil, fmt.Errorf("ad: %s: JVP tangent v has %d rows, input x has %d", m.name, Bv, B)
	}
	y, err := m.jetPass(x, v, B, []int{-1}, nil)
	if err != nil {
		return nil, err
	}
	return block(y, B, 2, 1)
}

// Jacobian returns ∂f/∂x, (B, Out(), In()), from one forward tangent per
// input.
func (m *MLP) Jacobian(x *G.Node) (*G.Node, error) {
	B, err := m.checkBatch(x, "Jacobian input x", m.In())
	if err != nil {
		return nil, err
	}
	in, out := m.In(), m.Out()
	y, err := m.jetPass(x, nil, B, allDims(in), nil)
	if err != nil {
		return nil, err
	}
	blk, col := make([]int, out*in), make([]int, out*in)
	for o := 0; o < out; o++ {
		for i := 0; i < in; i++ {
			blk[o*in+i], col[o*in+i] = 1+i, o
		}
	}
	return apply(fop{kind: kGather, b: B, s: 1 + in, k: out, nr: out, nc: in, blk: blk, col: col}, y)
}

// Hessian returns ∇ₓ∇ₓᵀf, (B, In(), In()), for a network with Out()==1.
func (m *MLP) Hessian(x *G.Node) (*G.Node, error) {
	all := allDims(m.In())
	return m.hessianBlock(x, all, all, "Hessian")
}

// HessianBlock returns the block ∂²f/∂x_r∂x_c for r in rows and c in cols,
// (B, len(rows), len(cols)), for a network with Out()==1, by
// forward-over-reverse: one tangent of the explicit reverse pass per column.
// A new pass takes its tangents along the shorter of rows and cols (the
// Hessian is symmetric). Calls on the same x share one pass when they can: a
// block whose rows or columns were already computed costs no new pass, so
// for an LNN, HessianBlock(x, q̇, q̇), HessianBlock(x, q̇, q) and InputGrad(x)
// (or HessianBlock(x, q̇, all) and InputGrad(x)), in this order, run the
// network once with one tangent per q̇. InputGrad called first builds a
// pass without tangents of its own.
func (m *MLP) HessianBlock(x *G.Node, rows, cols []int) (*G.Node, error) {
	return m.hessianBlock(x, rows, cols, "HessianBlock")
}

func (m *MLP) hessianBlock(x *G.Node, rows, cols []int, what string) (*G.Node, error) {
	if err := m.needScalar(what); err != nil {
		return nil, err
	}
	B, err := m.checkBatch(x, what+" input x", m.In())
	if err != nil {
		return nil, err
	}
	if err := m.checkDims(what+" rows", rows, false); err != nil {
		return nil, err
	}
	if err := m.checkDims(what+" cols", cols, false); err != nil {
		return nil, err
	}
	var e *revEntry
	transposed := false
	for _, c := range m.revCache[x] {
		if subset(cols, c.cols) {
			e = c
			break
		}
		if subset(rows, c.cols) {
			e, transposed = c, true
			break
		}
	}
	if e == nil {
		// A new pass: tangents along the shorter side, using H = Hᵀ.
		dirs := cols
		if len(unique(rows)) < len(unique(cols)) {
			dirs, transposed = rows, true
		}
		if e, err = m.scalarRev(x, B, dirs); err != nil {
			return nil, err
		}
	}
	pos := make(map[int]int, len(e.cols))
	for t, c := range e.cols {
		pos[c] = 1 + t
	}
	nr, nc := len(rows), len(cols)
	blk, col := make([]int, nr*nc), make([]int, nr*nc)
	for r, ri := range rows {
		for c, ci := range cols {
			if transposed { // H[r,c] = H[c,r]: column r of the Hessian, entry c
				blk[r*nc+c], col[r*nc+c] = pos[ri], ci
			} else {
				blk[r*nc+c], col[r*nc+c] = pos[ci], ri
			}
		}
	}
	return apply(fop{kind: kGather, b: B, s: 1 + len(e.cols), k: m.In(), nr: nr, nc: nc, blk: blk, col: col}, e.gx)
}

// Laplacian returns Σ_{i∈dims} ∂²f/∂x_i², (B,1), for a network with
// Out()==1; nil dims means every input.
func (m *MLP) Laplacian(x *G.Node, dims []int) (*G.Node, error) {
	if err := m.needScalar("Laplacian"); err != nil {
		return nil, err
	}
	if dims == nil {
		dims = allDims(m.In())
	}
	if err := m.checkDims("Laplacian dims", dims, false); err != nil {
		return nil, err
	}
	B, err := m.checkBatch(x, "Laplacian input x", m.In())
	if err != nil {
		return nil, err
	}
	dirs := unique(dims)
	pairs, blocks := make([]int, len(dims)), make([]int, len(dims))
	for k, d := range dims {
		for t, u := range dirs {
			if u == d {
				pairs[k] = t
			}
		}
		blocks[k] = 1 + len(dirs) + k
	}
	y, err := m.jetPass(x, nil, B, dirs, pairs)
	if err != nil {
		return nil, err
	}
	return apply(fop{kind: kBlockSum, b: B, s: 1 + len(dirs) + len(dims), ints: blocks}, y)
}

// Derivatives returns f(x), every first derivative ∂f/∂x_i and the pure
// second derivatives ∂²f/∂x_k² for k in second, from one forward-jet pass
// (a PINN's u, u_t, u_x, u_xx). second may be empty.
func (m *MLP) Derivatives(x *G.Node, second []int) (*Derivs, error) {
	B, err := m.checkBatch(x, "Derivatives input x", m.In())
	if err != nil {
		return nil, err
	}
	if err := m.checkDims("Derivatives second", second, true); err != nil {
		return nil, err
	}
	in := m.In()
	s := 1 + in + len(second)
	y, err := m.jetPass(x, nil, B, allDims(in), append([]int{}, second...))
	if err != nil {
		return nil, err
	}
	d := &Derivs{}
	if d.Value, err = block(y, B, s, 0); err != nil {
		return nil, err
	}
	for i := 0; i < in; i++ {
		n, err := block(y, B, s, 1+i)
		if err != nil {
			return nil, err
		}
		d.First = append(d.First, n)
	}
	for k := range second {
		n, err := block(y, B, s, 1+in+k)
		if err != nil {
			return nil, err
		}
		d.Second = append(d.Second, n)
	}
	return d, nil
}

// checkDims checks that dims are valid input indices (and non-empty unless
// emptyOK).
func (m *MLP) checkDims(what string, dims []int, emptyOK bool) error {
	if len(dims) == 0 && !emptyOK {
		return fmt.Errorf("ad: %s: %s is empty", m.name, what)
	}
	for k, i := range dims {
		if i < 0 || i >= m.In() {
			return fmt.Errorf("ad: %s: %s[%d] = %d is out of range [0, %d)", m.name, what, k, i, m.In())
		}
	}
	return nil
}

func allDims(n int) []int {
	d := make([]int, n)
	for i := range d {
		d[i] = i
	}
	return d
}

// unique returns the distinct values of d in order of first appearance.
func unique(d []int) []int {
	out := []int{}
	seen := map[int]bool{}
	for _, v := range d {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// subset reports whether every value of a is in b.
func subset(a, b []int) bool {
	for _, v := range a {
		found := false
		for _, w := range b {
			if v == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func ones(n int) []float64 {
	o := make([]float64, n)
	for i := range o {
		o[i] = 1
	}
	return o
}
