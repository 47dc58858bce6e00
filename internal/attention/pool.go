package attention

import (
	"encoding/binary"
	"fmt"
	"hash"
	"hash/fnv"
	"math"
	"sync/atomic"
	"unsafe"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/blas"
	"github.com/physbias/physbias/internal/opbuf"
	"github.com/physbias/physbias/internal/vmath"
)

// Pool returns Z = softmax_N(β Q (Y W_K)ᵀ) Y W_V of shape (B, S, dv) for
// sets y (B, N, d), queries q (S, k), key projection wk (d, k) and value
// projection wv (d, dv): for every set b and query s, the weights
// softmax over the N elements of β·q_s·(W_Kᵀ y_bn), and the output the
// weighted sum of the values W_Vᵀ y_bn. All nodes are float64 in one graph;
// β must be positive and finite.
func Pool(y, q, wk, wv *G.Node, beta float64) (*G.Node, error) {
	if y == nil || q == nil || wk == nil || wv == nil {
		return nil, fmt.Errorf("attention: Pool of a nil node")
	}
	if !(beta > 0) || math.IsInf(beta, 0) {
		return nil, fmt.Errorf("attention: Pool: β must be positive and finite, got %v", beta)
	}
	g := y.Graph()
	for _, n := range []*G.Node{q, wk, wv} {
		if n.Graph() != g {
			return nil, fmt.Errorf("attention: Pool of nodes from different graphs")
		}
	}
	for _, n := range []*G.Node{y, q, wk, wv} {
		if n.Dtype() != tensor.Float64 {
			return nil, fmt.Errorf("attention: Pool: %s is %v, want float64", n.Name(), n.Dtype())
		}
	}
	ys, qs, ks, vs := y.Shape(), q.Shape(), wk.Shape(), wv.Shape()
	if len(ys) != 3 || len(qs) != 2 || len(ks) != 2 || len(vs) != 2 ||
		ks[0] != ys[2] || vs[0] != ys[2] || qs[1] != ks[1] ||
		ys[0] <= 0 || ys[1] <= 0 || ys[2] <= 0 || qs[0] <= 0 || qs[1] <= 0 || vs[1] <= 0 {
		return nil, fmt.Errorf("attention: Pool shapes y %v, q %v, wk %v, wv %v; want (B,N,d), (S,k), (d,k), (d,dv)", ys, qs, ks, vs)
	}
	op := poolOp{dims: dims{b: ys[0], n: ys[1], d: ys[2], s: qs[0], k: qs[1], dv: vs[1], beta: beta},
		c: &cache{id: ids.Add(1)}}
	z, err := G.ApplyOp(op, y, q, wk, wv)
	if err != nil {
		return nil, fmt.Errorf("attention: Pool: %w", err)
	}
	return z, nil
}

// dims are the sizes of a Pool: B sets of N elements of dimension d, S
// queries of dimension k, values of dimension dv, and β.
type dims struct {
	b, n, d, s, k, dv int
	beta              float64
}

func (m dims) shapes() []tensor.Shape {
	return []tensor.Shape{{m.b, m.n, m.d}, {m.s, m.k}, {m.d, m.k}, {m.d, m.dv}}
}

// gradLen is the length of the backward Op's flat output: dY, dQ, dW_K, dW_V.
func (m dims) gradLen() int { return m.b*m.n*m.d + m.s*m.k + m.d*m.k + m.d*m.dv }

// writeHash writes the sizes and β's bits into h.
func (m dims) writeHash(h hash.Hash, name string, id uint64) {
	fmt.Fprintf(h, "attention.%s{%d,%d,%d,%d,%d,%d,%d}", name, m.b, m.n, m.d, m.s, m.k, m.dv, id)
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], math.Float64bits(m.beta))
	h.Write(buf[:])
}

// cache holds a forward pass's intermediates for the backward Op of the
// same node (which takes the forward's output as an input, so it runs
// after it in a machine): Wᵀ = β Q W_Kᵀ (S, d), the weights A (B, N, S)
// and the pooled sets P = Aᵀ Y (B, S, d), with the addresses of the Y and
// Z they belong to. It also owns the nodes' output tensors: allocated on
// the first run and rewritten by every later one (gorgonia's tape machine
// calls Do without a preallocated value), so that, as with gorgonia's
// memory reuse, a value read from a node is only valid until the next run.
type cache struct {
	id       uint64
	wt, a, p []float64
	dp, ds   []float64 // backward scratch: dP (B, S, d), dS (B, N, S)
	dwt      []float64 // dWᵀ (S, d)
	y, z     uintptr
	outZ     *tensor.Dense // the forward's output
	outG     *tensor.Dense // the backward's flat output
	outPart  [4]*tensor.Dense
}

var ids atomic.Uint64

func addr(x []float64) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(x))) }

func grow(x []float64, n int) []float64 {
	if cap(x) < n {
		return make([]float64, n)
	}
	return x[:n]
}

// output returns *t when it is a free buffer of shape s (see opbuf.Output),
// a new tensor otherwise, and keeps it in *t.
func output(t **tensor.Dense, s tensor.Shape, inputs ...[]float64) []float64 {
	var pre G.Value
	if *t != nil {
		pre = *t
	}
	o, d := opbuf.Output(pre, s, inputs...)
	*t = o
	return d
}

// forward computes Wᵀ, A, P into the cache and Z into z.
func (c *cache) forward(m dims, y, q, wk, wv, z []float64) {
	B, N, d, S, k, dv := m.b, m.n, m.d, m.s, m.k, m.dv
	c.wt, c.a, c.p = grow(c.wt, S*d), grow(c.a, B*N*S), grow(c.p, B*S*d)
	wt, a, p := c.wt, c.a, c.p
	blas.Gemm(false, true, S, d, k, q, k, wk, k, wt, d, false) // Q W_Kᵀ
	for i := range wt {
		wt[i] *= m.beta
	}
	// Scores a[b,n,s] = y_bn · w_s, less each (b, s)'s maximum over n.
	mx := make([]float64, S)
	for b := 0; b < B; b++ {
		ab, yb := a[b*N*S:(b+1)*N*S], y[b*N*d:(b+1)*N*d]
		for s := range mx {
			mx[s] = math.Inf(-1)
		}
		for n := 0; n < N; n++ {
			yn := yb[n*d : (n+1)*d]
			for s := 0; s < S; s++ {
				v := dot(yn, wt[s*d:(s+1)*d])
				ab[n*S+s] = v
				if v > mx[s] {
					mx[s] = v
				}
			}
		}
		for s, v := range mx {
			if math.IsInf(v, 0) { // all −Inf, or an infinite score: let NaN through
				mx[s] = 0
			}
		}
		for n := 0; n < N; n++ {
			for s := 0; s < S; s++ {
				ab[n*S+s] -= mx[s]
			}
		}
	}
	vmath.Exp(a, a)
	sum := mx
	for b := 0; b < B; b++ {
		ab, yb, pb := a[b*N*S:(b+1)*N*S], y[b*N*d:(b+1)*N*d], p[b*S*d:(b+1)*S*d]
		clear(sum)
		for n := 0; n < N; n++ {
			for s := 0; s < S; s++ {
				sum[s] += ab[n*S+s]
			}
		}
		for n := 0; n < N; n++ {
			for s := 0; s < S; s++ {
				ab[n*S+s] /= sum[s]
			}
		}
		// P_b = A_bᵀ Y_b (S×d)
		clear(pb)
		for n := 0; n < N; n++ {
			yn := yb[n*d : (n+1)*d]
			for s := 0; s < S; s++ {
				axpy(pb[s*d:(s+1)*d], ab[n*S+s], yn)
			}
		}
	}
	blas.Gemm(false, false, B*S, dv, d, p, d, wv, dv, z, dv, false) // Z = P W_V
	c.y, c.z = addr(y), addr(z)
}

// backward writes dY, dQ, dW_K, dW_V (flat, in that order) into out for
// the upstream gradient dz, from the cache of the forward pass at y, z.
func (c *cache) backward(m dims, y, q, wk, wv, z, dz, out []float64) {
	if c.y != addr(y) || c.z != addr(z) || len(c.a) != m.b*m.n*m.s {
		c.forward(m, y, q, wk, wv, make([]float64, len(z)))
	}
	B, N, d, S, k, dv := m.b, m.n, m.d, m.s, m.k, m.dv
	dy := out[:B*N*d]
	dq := out[B*N*d : B*N*d+S*k]
	dwk := out[B*N*d+S*k : B*N*d+S*k+d*k]
	dwv := out[B*N*d+S*k+d*k:]
	c.dp, c.ds, c.dwt = grow(c.dp, B*S*d), grow(c.ds, B*N*S), grow(c.dwt, S*d)
	wt, a, p, dp, ds, dwt := c.wt, c.a, c.p, c.dp, c.ds, c.dwt
	blas.Gemm(true, false, d, dv, B*S, p, d, dz, dv, dwv, dv, false) // dW_V = Pᵀ dZ
	blas.Gemm(false, true, B*S, d, dv, dz, dv, wv, dv, dp, d, false) // dP = dZ W_Vᵀ
	clear(dwt)
	t := make([]float64, S)
	for b := 0; b < B; b++ {
		yb, dyb, dpb := y[b*N*d:(b+1)*N*d], dy[b*N*d:(b+1)*N*d], dp[b*S*d:(b+1)*S*d]
		ab, dsb := a[b*N*S:(b+1)*N*S], ds[b*N*S:(b+1)*N*S]
		// dA = Y_b dP_bᵀ, then dS = A ⊙ (dA − Σ_N A ⊙ dA).
		clear(t)
		for n := 0; n < N; n++ {
			yn := yb[n*d : (n+1)*d]
			for s := 0; s < S; s++ {
				v := dot(yn, dpb[s*d:(s+1)*d])
				dsb[n*S+s] = v
				t[s] += ab[n*S+s] * v
			}
		}
		for n := 0; n < N; n++ {
			yn, dyn := yb[n*d:(n+1)*d], dyb[n*d:(n+1)*d]
			clear(dyn)
			for s := 0; s < S; s++ {
				as := ab[n*S+s]
				g := as * (dsb[n*S+s] - t[s])
				dsb[n*S+s] = g
				axpy(dyn, as, dpb[s*d:(s+1)*d]) // dY = A dP + dS Wᵀ
				axpy(dyn, g, wt[s*d:(s+1)*d])
				axpy(dwt[s*d:(s+1)*d], g, yn) // dWᵀ = dSᵀ Y
			}
		}
	}
	blas.Gemm(true, false, d, k, S, dwt, d, q, k, dwk, k, false)  // dW_K = β dW Q
	blas.Gemm(false, false, S, k, d, dwt, d, wk, k, dq, k, false) // dQ = β dWᵀ W_K
	for i := range dwk {
		dwk[i] *= m.beta
	}
	for i := range dq {
		dq[i] *= m.beta
	}
}

// dot is Σ x[i]·y[i] over len(x).
func dot(x, y []float64) float64 {
	y = y[:len(x)]
	s := 0.0
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

// axpy sets y += α·x.
func axpy(y []float64, alpha float64, x []float64) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// poolOp is Pool's forward Op: inputs Y, Q, W_K, W_V; output Z.
type poolOp struct {
	dims
	c *cache
}

var (
	_ G.SDOp            = poolOp{}
	_ G.UsePreallocDoer = poolOp{}
)

func tt(d int) G.TensorType { return G.TensorType{Dims: d, Of: hm.TypeVariable('a')} }

func (op poolOp) Arity() int { return 4 }

func (op poolOp) Type() hm.Type { return hm.NewFnType(tt(3), tt(2), tt(2), tt(2), tt(3)) }

func (op poolOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 4 {
		return nil, fmt.Errorf("attention: Pool: %d inputs, want 4", len(ds))
	}
	return tensor.Shape{op.b, op.s, op.dv}, nil
}

func (op poolOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// inputs reads the Op's first len(want) inputs.
func inputs(name string, in []G.Value, want []tensor.Shape) ([][]float64, error) {
	if len(in) < len(want) {
		return nil, fmt.Errorf("attention: %s: %d inputs, want %d", name, len(in), len(want))
	}
	x := make([][]float64, len(want))
	for i, s := range want {
		var err error
		if x[i], err = opbuf.Input("attention", name, i, in[i], s); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// UsePreallocDo writes Z into the node's own output buffer (prealloc is
// not used: the buffer outlives the machine's registers).
func (op poolOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 4 {
		return nil, fmt.Errorf("attention: Pool: %d inputs, want 4", len(in))
	}
	x, err := inputs("Pool", in, op.shapes())
	if err != nil {
		return nil, err
	}
	z := output(&op.c.outZ, tensor.Shape{op.b, op.s, op.dv}, x...)
	op.c.forward(op.dims, x[0], x[1], x[2], x[3], z)
	return op.c.outZ, nil
}

func (op poolOp) ReturnsPtr() bool     { return false }
func (op poolOp) CallsExtern() bool    { return false }
func (op poolOp) OverwritesInput() int { return -1 }

// WriteHash writes the sizes, β and the node's cache id (each Pool is its
// own node).
func (op poolOp) WriteHash(h hash.Hash) { op.writeHash(h, "Pool", op.c.id) }

func (op poolOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op poolOp) String() string {
	return fmt.Sprintf("HopfieldPool(B%d N%d d%d S%d k%d dv%d β=%g)", op.b, op.n, op.d, op.s, op.k, op.dv, op.beta)
}

func (op poolOp) DiffWRT(int) []bool { return []bool{true, true, true, true} }

// SymDiff: one backward Op (the gradients in one flat vector), cut into
// dY, dQ, dW_K, dW_V by copy Ops.
func (op poolOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if len(in) != 4 {
		return nil, fmt.Errorf("attention: Pool: SymDiff with %d inputs, want 4", len(in))
	}
	flat, err := G.ApplyOp(gradOp(op), in[0], in[1], in[2], in[3], out, grad)
	if err != nil {
		return nil, fmt.Errorf("attention: Pool: derivative: %w", err)
	}
	res := make(G.Nodes, 4)
	off := 0
	for i, s := range op.shapes() {
		p := partOp{off: off, total: op.gradLen(), shape: s, id: op.c.id, out: &op.c.outPart[i]}
		if res[i], err = G.ApplyOp(p, flat); err != nil {
			return nil, fmt.Errorf("attention: Pool: derivative: %w", err)
		}
		off += s.TotalSize()
	}
	return res, nil
}
