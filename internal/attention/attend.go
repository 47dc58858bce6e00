package attention

import (
	"fmt"
	"hash"
	"hash/fnv"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/blas"
	"github.com/physbias/physbias/internal/vmath"
)

// Attend returns Z = softmax(β Q Kᵀ) V for every batch item, of shape (B,
// S, dv): q (B, S, k) holds the queries (state patterns), k (B, N, k) the
// keys (stored patterns) and v (B, N, dv) their values, the softmax over
// the N keys. All nodes are float64 in one graph (k and v may be the same
// node); β must be positive and finite. Like Pool it is one Op forward
// and one backward (with copy Ops), differentiable once.
func Attend(q, k, v *G.Node, beta float64) (*G.Node, error) {
	if q == nil || k == nil || v == nil {
		return nil, fmt.Errorf("attention: Attend of a nil node")
	}
	if !(beta > 0) || math.IsInf(beta, 0) {
		return nil, fmt.Errorf("attention: Attend: β must be positive and finite, got %v", beta)
	}
	if k.Graph() != q.Graph() || v.Graph() != q.Graph() {
		return nil, fmt.Errorf("attention: Attend of nodes from different graphs")
	}
	for _, n := range []*G.Node{q, k, v} {
		if n.Dtype() != tensor.Float64 {
			return nil, fmt.Errorf("attention: Attend: %s is %v, want float64", n.Name(), n.Dtype())
		}
	}
	qs, ks, vs := q.Shape(), k.Shape(), v.Shape()
	if len(qs) != 3 || len(ks) != 3 || len(vs) != 3 || qs[0] != ks[0] || ks[0] != vs[0] || qs[2] != ks[2] || ks[1] != vs[1] ||
		qs[0] <= 0 || qs[1] <= 0 || qs[2] <= 0 || ks[1] <= 0 || vs[2] <= 0 {
		return nil, fmt.Errorf("attention: Attend shapes q %v, k %v, v %v; want (B,S,k), (B,N,k), (B,N,dv)", qs, ks, vs)
	}
	op := attendOp{adims: adims{b: qs[0], s: qs[1], n: ks[1], k: qs[2], dv: vs[2], beta: beta}, c: &attCache{id: ids.Add(1)}}
	z, err := G.ApplyOp(op, q, k, v)
	if err != nil {
		return nil, fmt.Errorf("attention: Attend: %w", err)
	}
	return z, nil
}

// adims are the sizes of an Attend: B batch items, S queries and N keys of
// dimension k, values of dimension dv, and β.
type adims struct {
	b, s, n, k, dv int
	beta           float64
}

func (m adims) shapes() []tensor.Shape {
	return []tensor.Shape{{m.b, m.s, m.k}, {m.b, m.n, m.k}, {m.b, m.n, m.dv}}
}

func (m adims) gradLen() int { return m.b * (m.s*m.k + m.n*m.k + m.n*m.dv) }

func (m adims) writeHash(h hash.Hash, name string, id uint64) {
	dims{b: m.b, n: m.n, d: m.k, s: m.s, k: m.k, dv: m.dv, beta: m.beta}.writeHash(h, name, id)
}

// attCache holds the weights A (B, S, N) of a forward pass for the
// backward Op of the same node, and the nodes' output tensors (see cache).
type attCache struct {
	id      uint64
	a, da   []float64
	q, z    uintptr
	outZ    *tensor.Dense
	outG    *tensor.Dense
	outPart [4]*tensor.Dense
}

func (c *attCache) forward(m adims, q, k, v, z []float64) {
	B, S, N, K, dv := m.b, m.s, m.n, m.k, m.dv
	c.a = grow(c.a, B*S*N)
	for b := 0; b < B; b++ {
		ab := c.a[b*S*N : (b+1)*S*N]
		blas.Gemm(false, true, S, N, K, q[b*S*K:(b+1)*S*K], K, k[b*N*K:(b+1)*N*K], K, ab, N, false) // Q Kᵀ
		for s := 0; s < S; s++ {
			row := ab[s*N : (s+1)*N]
			mx := math.Inf(-1)
			for _, x := range row {
				if x > mx {
					mx = x
				}
			}
			if math.IsInf(mx, 0) { // all −Inf, or an infinite score: let NaN through
				mx = 0
			}
			for i, x := range row {
				row[i] = m.beta * (x - mx)
			}
			inv := 1 / vmath.ExpSum(row, row)
			for i := range row {
				row[i] *= inv
			}
		}
		blas.Gemm(false, false, S, dv, N, ab, N, v[b*N*dv:(b+1)*N*dv], dv, z[b*S*dv:(b+1)*S*dv], dv, false) // A V
	}
	c.q, c.z = addr(q), addr(z)
}

// backward writes dQ, dK, dV (flat, in that order) into out.
func (c *attCache) backward(m adims, q, k, v, z, dz, out []float64) {
	if c.q != addr(q) || c.z != addr(z) || len(c.a) != m.b*m.s*m.n {
		c.forward(m, q, k, v, make([]float64, len(z)))
	}
	B, S, N, K, dv := m.b, m.s, m.n, m.k, m.dv
	dq := out[:B*S*K]
	dk := out[B*S*K : B*S*K+B*N*K]
	dvv := out[B*S*K+B*N*K:]
	c.da = grow(c.da, S*N)
	da := c.da
	for b := 0; b < B; b++ {
		ab := c.a[b*S*N : (b+1)*S*N]
		qb, kb, vb := q[b*S*K:(b+1)*S*K], k[b*N*K:(b+1)*N*K], v[b*N*dv:(b+1)*N*dv]
		dzb := dz[b*S*dv : (b+1)*S*dv]
		blas.Gemm(true, false, N, dv, S, ab, N, dzb, dv, dvv[b*N*dv:(b+1)*N*dv], dv, false) // dV = Aᵀ dZ
		blas.Gemm(false, true, S, N, dv, dzb, dv, vb, dv, da, N, false)                     // dA = dZ Vᵀ
		for s := 0; s < S; s++ {                                                            // dS = β A ⊙ (dA − Σ_N A ⊙ dA)
			ar, dr := ab[s*N:(s+1)*N], da[s*N:(s+1)*N]
			t := 0.0
			for i, x := range ar {
				t += x * dr[i]
			}
			for i, x := range ar {
				dr[i] = m.beta * x * (dr[i] - t)
			}
		}
		blas.Gemm(false, false, S, K, N, da, N, kb, K, dq[b*S*K:(b+1)*S*K], K, false) // dQ = dS K
		blas.Gemm(true, false, N, K, S, da, N, qb, K, dk[b*N*K:(b+1)*N*K], K, false)  // dK = dSᵀ Q
	}
}

// attendOp is Attend's forward Op: inputs Q, K, V; output Z.
type attendOp struct {
	adims
	c *attCache
}

var (
	_ G.SDOp            = attendOp{}
	_ G.UsePreallocDoer = attendOp{}
)

func (op attendOp) Arity() int { return 3 }

func (op attendOp) Type() hm.Type { return hm.NewFnType(tt(3), tt(3), tt(3), tt(3)) }

func (op attendOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 3 {
		return nil, fmt.Errorf("attention: Attend: %d inputs, want 3", len(ds))
	}
	return tensor.Shape{op.b, op.s, op.dv}, nil
}

func (op attendOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo writes Z into the node's own output buffer.
func (op attendOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 3 {
		return nil, fmt.Errorf("attention: Attend: %d inputs, want 3", len(in))
	}
	x, err := inputs("Attend", in, op.shapes())
	if err != nil {
		return nil, err
	}
	z := output(&op.c.outZ, tensor.Shape{op.b, op.s, op.dv}, x...)
	op.c.forward(op.adims, x[0], x[1], x[2], z)
	return op.c.outZ, nil
}

func (op attendOp) ReturnsPtr() bool     { return false }
func (op attendOp) CallsExtern() bool    { return false }
func (op attendOp) OverwritesInput() int { return -1 }

func (op attendOp) WriteHash(h hash.Hash) { op.writeHash(h, "Attend", op.c.id) }

func (op attendOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op attendOp) String() string {
	return fmt.Sprintf("HopfieldAttend(B%d S%d N%d k%d dv%d β=%g)", op.b, op.s, op.n, op.k, op.dv, op.beta)
}

func (op attendOp) DiffWRT(int) []bool { return []bool{true, true, true} }

// SymDiff: one backward Op (dQ, dK, dV in one flat vector) cut by copy Ops.
func (op attendOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if len(in) != 3 {
		return nil, fmt.Errorf("attention: Attend: SymDiff with %d inputs, want 3", len(in))
	}
	flat, err := G.ApplyOp(attendGradOp(op), in[0], in[1], in[2], out, grad)
	if err != nil {
		return nil, fmt.Errorf("attention: Attend: derivative: %w", err)
	}
	res := make(G.Nodes, 3)
	off := 0
	for i, s := range op.shapes() {
		p := partOp{off: off, total: op.gradLen(), shape: s, id: op.c.id, out: &op.c.outPart[i]}
		if res[i], err = G.ApplyOp(p, flat); err != nil {
			return nil, fmt.Errorf("attention: Attend: derivative: %w", err)
		}
		off += s.TotalSize()
	}
	return res, nil
}

// attendGradOp is Attend's backward Op: inputs Q, K, V, the forward's Z
// and dZ; output dQ, dK, dV in one flat vector. It has no derivative.
type attendGradOp attendOp

var (
	_ G.SDOp            = attendGradOp{}
	_ G.UsePreallocDoer = attendGradOp{}
)

func (op attendGradOp) Arity() int { return 5 }

func (op attendGradOp) Type() hm.Type {
	return hm.NewFnType(tt(3), tt(3), tt(3), tt(3), tt(3), tt(1))
}

func (op attendGradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 5 {
		return nil, fmt.Errorf("attention: AttendGrad: %d inputs, want 5", len(ds))
	}
	return tensor.Shape{op.gradLen()}, nil
}

func (op attendGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op attendGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 5 {
		return nil, fmt.Errorf("attention: AttendGrad: %d inputs, want 5", len(in))
	}
	zs := tensor.Shape{op.b, op.s, op.dv}
	x, err := inputs("AttendGrad", in, append(op.shapes(), zs, zs))
	if err != nil {
		return nil, err
	}
	g := output(&op.c.outG, tensor.Shape{op.gradLen()}, x...)
	op.c.backward(op.adims, x[0], x[1], x[2], x[3], x[4], g)
	return op.c.outG, nil
}

func (op attendGradOp) ReturnsPtr() bool     { return false }
func (op attendGradOp) CallsExtern() bool    { return false }
func (op attendGradOp) OverwritesInput() int { return -1 }

func (op attendGradOp) WriteHash(h hash.Hash) { op.writeHash(h, "AttendGrad", op.c.id) }

func (op attendGradOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op attendGradOp) String() string { return "HopfieldAttendGrad" }

// DiffWRT claims every input, so that a second derivative reaches SymDiff
// and its error.
func (op attendGradOp) DiffWRT(n int) []bool { return gradOp{}.DiffWRT(n) }

// SymDiff reports that Attend has no second derivative.
func (op attendGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, errTwice
}
