package ad

// The reference implementation: the same derivatives built from gorgonia's
// own ops (explicit reverse pass and forward tangents as ordinary nodes),
// kept to cross-check the fused ops (TestFusedMatchesReference).

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// pass is one forward evaluation: the output and, per hidden layer, σ and its
// derivatives at the pre-activations.
type pass struct {
	out *G.Node
	hid []actDerivs
}

func (m *MLP) refForwardPass(b *builder, x *G.Node, order int) pass {
	var p pass
	a := x
	for l := 0; l < m.layers()-1; l++ {
		z := b.addBias(b.matmul(a, m.w[l]), m.b[l])
		d := b.activate(m.act, z, order)
		p.hid = append(p.hid, d)
		a = d.S0
	}
	p.out = b.addBias(b.matmul(a, m.w[m.layers()-1]), m.b[m.layers()-1])
	return p
}

// basis returns the constant (B, in) matrix whose column i is ones: the
// tangent e_i for every row of a batch.
func (b *builder) basis(batch, in, i int) *G.Node {
	d := make([]float64, batch*in)
	for r := 0; r < batch; r++ {
		d[r*in+i] = 1
	}
	return b.constMatrix(batch, in, d)
}

// jets carries first-order tangents zd (pre-activation tangents at the first
// layer, ż₀ = vW₀) and second-order tangents zdd (z̈₀; nil is zero) through
// the network. pair[j] names the first-order tangent that second-order
// tangent j goes with: ä_j = σ″ ż_pair² + σ′ z̈_j. It returns the output
// tangents and, per hidden layer, the pre-activation first-order tangents.
func (m *MLP) refJets(b *builder, p pass, zd, zdd []*G.Node, pair []int) (first, second []*G.Node, perLayer [][]*G.Node) {
	zd = append([]*G.Node(nil), zd...)
	zdd = append([]*G.Node(nil), zdd...)
	for l, h := range p.hid {
		perLayer = append(perLayer, append([]*G.Node(nil), zd...))
		ndd := make([]*G.Node, len(zdd))
		for j := range zdd {
			var t *G.Node
			if h.S2 != nil {
				u := zd[pair[j]]
				t = b.mul(h.S2, b.mul(u, u))
			}
			ndd[j] = b.add(t, b.scale(h.S1, zdd[j]))
		}
		w := m.w[l+1]
		for i := range zd {
			zd[i] = b.matmul(b.scale(h.S1, zd[i]), w)
		}
		for j := range ndd {
			if ndd[j] != nil {
				ndd[j] = b.matmul(ndd[j], w)
			}
		}
		zdd = ndd
	}
	return zd, zdd, perLayer
}

// reverse runs the explicit reverse pass from the output cotangent u (B,out).
// It returns, per hidden layer, the cotangent of the activation g_a, and the
// input cotangent uᵀJ.
func (m *MLP) refReverse(b *builder, p pass, u *G.Node) (ga []*G.Node, gx *G.Node) {
	L := m.layers()
	ga = make([]*G.Node, L-1)
	g := b.matmulT(u, m.w[L-1])
	for l := L - 2; l >= 0; l-- {
		ga[l] = g
		g = b.matmulT(b.scale(p.hid[l].S1, g), m.w[l])
	}
	return ga, g
}

// reverseTangent is the tangent of the reverse pass along the direction whose
// hidden pre-activation tangents are zd[l] (the output cotangent is held
// fixed). It returns the tangent of the input cotangent: H·v for a scalar
// output, or nil if it is identically zero.
func (m *MLP) refReverseTangent(b *builder, p pass, q []*G.Node, zd []*G.Node) *G.Node {
	var dga *G.Node
	for l := len(p.hid) - 1; l >= 0; l-- {
		dgz := b.scale(p.hid[l].S1, dga)
		if q[l] != nil {
			dgz = b.add(dgz, b.mul(q[l], zd[l]))
		}
		if dgz == nil {
			dga = nil
			continue
		}
		dga = b.matmulT(dgz, m.w[l])
	}
	return dga
}

// assemble stacks n blocks of shape (B,k) into (B,k,n), block j at [:,:,j].
// It reshapes to (1,B,k) and concatenates on axis 0, never slicing rows (see
// the package doc on gorgonia's slice hashing).
func (b *builder) assemble(blocks []*G.Node, batch, k int) *G.Node {
	rs := make([]*G.Node, len(blocks))
	for j, bl := range blocks {
		rs[j] = b.reshape(bl, 1, batch, k)
	}
	if !b.ok(rs...) {
		return nil
	}
	c := rs[0]
	if len(rs) > 1 {
		var err error
		c, err = G.Concat(0, rs...)
		if err != nil {
			b.fail(err, "concat")
			return nil
		}
	}
	t, err := G.Transpose(c, 1, 2, 0)
	b.fail(err, "transpose")
	return t
}

// InputGrad returns ∇ₓf, (B, In()), for a network with Out()==1, by an
// explicit reverse pass built from graph ops.
func (m *MLP) refInputGrad(x *G.Node) (*G.Node, error) {
	if err := m.needScalar("InputGrad"); err != nil {
		return nil, err
	}
	B, err := m.checkBatch(x, "InputGrad input x", m.In())
	if err != nil {
		return nil, err
	}
	b := &builder{g: m.g}
	p := m.refForwardPass(b, x, 1)
	_, gx := m.refReverse(b, p, b.constMatrix(B, 1, ones(B)))
	if b.err != nil {
		return nil, b.err
	}
	return gx, nil
}

// VJP returns the rows uᵀJ, (B, In()), for cotangents u of shape (B, Out()).
func (m *MLP) refVJP(x, u *G.Node) (*G.Node, error) {
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
	b := &builder{g: m.g}
	p := m.refForwardPass(b, x, 1)
	_, gx := m.refReverse(b, p, u)
	if b.err != nil {
		return nil, b.err
	}
	return gx, nil
}

// JVP returns the rows Jv, (B, Out()), for tangents v of shape (B, In()).
func (m *MLP) refJVP(x, v *G.Node) (*G.Node, error) {
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
	b := &builder{g: m.g}
	p := m.refForwardPass(b, x, 1)
	first, _, _ := m.refJets(b, p, []*G.Node{b.matmul(v, m.w[0])}, nil, nil)
	if b.err != nil {
		return nil, b.err
	}
	return first[0], nil
}

// basisTangents returns ż₀ = e_iW₀ for each i in dims.
func (m *MLP) refBasisTangents(b *builder, batch int, dims []int) []*G.Node {
	zd := make([]*G.Node, len(dims))
	for k, i := range dims {
		zd[k] = b.matmul(b.basis(batch, m.In(), i), m.w[0])
	}
	return zd
}

// Jacobian returns ∂f/∂x, (B, Out(), In()), one forward tangent per input.
func (m *MLP) refJacobian(x *G.Node) (*G.Node, error) {
	B, err := m.checkBatch(x, "Jacobian input x", m.In())
	if err != nil {
		return nil, err
	}
	b := &builder{g: m.g}
	p := m.refForwardPass(b, x, 1)
	first, _, _ := m.refJets(b, p, m.refBasisTangents(b, B, allDims(m.In())), nil, nil)
	j := b.assemble(first, B, m.Out())
	if b.err != nil {
		return nil, b.err
	}
	return j, nil
}

// Hessian returns ∇ₓ∇ₓᵀf, (B, In(), In()), for a network with Out()==1.
func (m *MLP) refHessian(x *G.Node) (*G.Node, error) {
	all := allDims(m.In())
	return m.refHessianBlockImpl(x, all, all, "Hessian")
}

// HessianBlock returns the block ∂²f/∂x_r∂x_c for r in rows and c in cols,
// (B, len(rows), len(cols)), for a network with Out()==1, by
// forward-over-reverse: one tangent of the reverse pass per column.
func (m *MLP) refHessianBlock(x *G.Node, rows, cols []int) (*G.Node, error) {
	return m.refHessianBlockImpl(x, rows, cols, "HessianBlock")
}

func (m *MLP) refHessianBlockImpl(x *G.Node, rows, cols []int, what string) (*G.Node, error) {
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
	b := &builder{g: m.g}
	p := m.refForwardPass(b, x, 2)
	ga, _ := m.refReverse(b, p, b.constMatrix(B, 1, ones(B)))
	q := make([]*G.Node, len(p.hid))
	for l, h := range p.hid {
		if h.S2 != nil {
			q[l] = b.mul(h.S2, ga[l])
		}
	}
	_, _, zd := m.refJets(b, p, m.refBasisTangents(b, B, cols), nil, nil)
	var sel *G.Node
	if !isAll(rows, m.In()) {
		s := make([]float64, m.In()*len(rows))
		for k, r := range rows {
			s[r*len(rows)+k] = 1
		}
		sel = b.constMatrix(m.In(), len(rows), s)
	}
	blocks := make([]*G.Node, len(cols))
	for c := range cols {
		dirs := make([]*G.Node, len(zd))
		for l := range zd {
			dirs[l] = zd[l][c]
		}
		hv := m.refReverseTangent(b, p, q, dirs)
		if hv == nil { // linear network: the Hessian is zero
			hv = b.constMatrix(B, m.In(), make([]float64, B*m.In()))
		}
		if sel != nil {
			hv = b.matmul(hv, sel)
		}
		blocks[c] = hv
	}
	h := b.assemble(blocks, B, len(rows))
	if b.err != nil {
		return nil, b.err
	}
	return h, nil
}

// Laplacian returns Σ_{i∈dims} ∂²f/∂x_i², (B,1), for a network with
// Out()==1; nil dims means every input.
func (m *MLP) refLaplacian(x *G.Node, dims []int) (*G.Node, error) {
	if err := m.needScalar("Laplacian"); err != nil {
		return nil, err
	}
	if dims == nil {
		dims = allDims(m.In())
	}
	if err := m.checkDims("Laplacian dims", dims, false); err != nil {
		return nil, err
	}
	d, err := m.refDerivativesImpl(x, dims, dims, "Laplacian")
	if err != nil {
		return nil, err
	}
	b := &builder{g: m.g}
	var s *G.Node
	for _, n := range d.Second {
		s = b.add(s, n)
	}
	if b.err != nil {
		return nil, b.err
	}
	return s, nil
}

// Derivatives returns f(x), every first derivative ∂f/∂x_i and the pure
// second derivatives ∂²f/∂x_k² for k in second, from one forward-jet pass
// (PINN's u, u_t, u_x, u_xx). second may be empty.
func (m *MLP) refDerivatives(x *G.Node, second []int) (*Derivs, error) {
	if err := m.checkDims("Derivatives second", second, true); err != nil {
		return nil, err
	}
	return m.refDerivativesImpl(x, allDims(m.In()), second, "Derivatives")
}

// derivatives computes first derivatives along firstDims and pure second
// derivatives along second (each in firstDims).
func (m *MLP) refDerivativesImpl(x *G.Node, firstDims, second []int, what string) (*Derivs, error) {
	B, err := m.checkBatch(x, what+" input x", m.In())
	if err != nil {
		return nil, err
	}
	pos := make(map[int]int, len(firstDims))
	for k, i := range firstDims {
		if _, ok := pos[i]; !ok {
			pos[i] = k
		}
	}
	pair := make([]int, len(second))
	zdd := make([]*G.Node, len(second))
	for j, i := range second {
		pair[j] = pos[i]
	}
	order := 1
	if len(second) > 0 {
		order = 2
	}
	b := &builder{g: m.g}
	p := m.refForwardPass(b, x, order)
	first, sec, _ := m.refJets(b, p, m.refBasisTangents(b, B, firstDims), zdd, pair)
	for j := range sec {
		if sec[j] == nil { // linear network
			sec[j] = b.constMatrix(B, m.Out(), make([]float64, B*m.Out()))
		}
	}
	if b.err != nil {
		return nil, b.err
	}
	return &Derivs{Value: p.out, First: first, Second: sec}, nil
}

// isAll reports whether d is 0, 1, …, n−1.
func isAll(d []int, n int) bool {
	if len(d) != n {
		return false
	}
	for i, v := range d {
		if v != i {
			return false
		}
	}
	return true
}
