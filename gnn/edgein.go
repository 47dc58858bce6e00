package gnn

import (
	"encoding/binary"
	"fmt"
	"hash"
	"hash/fnv"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/blas"
	"github.com/physbias/physbias/internal/opbuf"
)

// The edge network's first layer, computed at the nodes. On the
// concatenated input [e_k, v_{r_k}, v_{s_k}, u] the first layer is
//
//	z_k = e_k·Wₑ + (V·W_r)[r_k] + (V·W_s)[s_k] + (U·W_u)[g_k] + b,
//
// where W_r, W_s, W_u, Wₑ are row blocks of W0: the products of the node
// and global parts are taken once per node (graph) and gathered per edge,
// not once per edge (Battaglia et al. 2018 note the same split). With 10
// edges a node this cuts the layer's products tenfold, and the
// concatenated (edges, 2·NodeIn) input, its copy and the gradient of the
// (constant) input that the fused MLP would compute go away. The op applies
// the hidden activation too and keeps σ′ for its backward pass; the rest of
// the edge network runs as an ad.MLP on its output.

// edgePart is one part of the edge network's input: input matrix in of the
// op, multiplying rows off..off+f of W0, gathered with idx (nil: one row an
// edge, the part is per-edge).
type edgePart struct {
	in, off, f int
	idx        []int
}

// edgeInState is what the forward and backward ops of one layer share:
// σ′ at the last forward run and the ops' output and scratch buffers
// (not hashed; see segment's outBuf for why they are kept).
type edgeInState struct {
	ds       []float64 // σ′(z), edges × hidden
	proj     []float64 // scratch: one part's product or segment sum
	h, dz, w *tensor.Dense
	b        *tensor.Dense
}

// edgeInOp is h = σ(Σ_p (X_p·W0[off_p:off_p+f_p])[idx_p] + b) from inputs
// X_0..X_{n-1}, W0 (K, hidden), b (1, hidden).
type edgeInOp struct {
	parts         []edgePart
	nx            int // number of X inputs
	edges, hidden int
	k             int // rows of W0
	act           ad.Activation
	st            *edgeInState
}

// edgeFirstLayer adds the op to the graph: xs are the distinct input
// matrices, parts say how each multiplies W0 (shape (k, hidden)) and b (1,
// hidden).
func edgeFirstLayer(xs []*G.Node, parts []edgePart, w0, b0 *G.Node, edges int, act ad.Activation) (*G.Node, error) {
	ws := w0.Shape()
	if len(ws) != 2 {
		return nil, errorf(ErrInput, "edge first layer: W0 of shape %v", ws)
	}
	op := edgeInOp{nx: len(xs), edges: edges, k: ws[0], hidden: ws[1], act: act, st: &edgeInState{}}
	for _, p := range parts {
		if p.in < 0 || p.in >= len(xs) || p.off < 0 || p.off+p.f > op.k {
			return nil, errorf(ErrInput, "edge first layer: part %+v out of range", p)
		}
		rows := xs[p.in].Shape()[0]
		if p.idx == nil && rows != edges {
			return nil, errorf(ErrInput, "edge first layer: per-edge part has %d rows for %d edges", rows, edges)
		}
		if p.idx != nil && len(p.idx) != edges {
			return nil, errorf(ErrInput, "edge first layer: %d indices for %d edges", len(p.idx), edges)
		}
		for _, t := range p.idx {
			if t < 0 || t >= rows {
				return nil, errorf(ErrInput, "edge first layer: index %d outside %d rows", t, rows)
			}
		}
		if xs[p.in].Shape()[1] != p.f {
			return nil, errorf(ErrInput, "edge first layer: part of width %d, input of %d", p.f, xs[p.in].Shape()[1])
		}
		if p.idx != nil {
			p.idx = append([]int(nil), p.idx...)
		}
		op.parts = append(op.parts, p)
	}
	in := append(append([]*G.Node(nil), xs...), w0, b0)
	return G.ApplyOp(op, in...)
}

var (
	_ G.SDOp            = edgeInOp{}
	_ G.UsePreallocDoer = edgeInOp{}
)

func (op edgeInOp) Arity() int { return op.nx + 2 }

func (op edgeInOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t := make([]hm.Type, 0, op.nx+3)
	for range op.nx + 2 {
		t = append(t, G.TensorType{Dims: 2, Of: a})
	}
	t = append(t, G.TensorType{Dims: 2, Of: a})
	return hm.NewFnType(t...)
}

func (op edgeInOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != op.nx+2 {
		return nil, fmt.Errorf("gnn: edge first layer: %d inputs, want %d", len(ds), op.nx+2)
	}
	return tensor.Shape{op.edges, op.hidden}, nil
}

func (op edgeInOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// inputs reads the op's X inputs, W0 and b.
func (op edgeInOp) inputs(in []G.Value) (xs [][]float64, w, b []float64, err error) {
	xs = make([][]float64, op.nx)
	for i := range op.nx {
		if xs[i], err = opbuf.Input("gnn", "edge first layer", i, in[i], in[i].Shape()); err != nil {
			return nil, nil, nil, err
		}
	}
	if w, err = opbuf.Input("gnn", "edge first layer", op.nx, in[op.nx], tensor.Shape{op.k, op.hidden}); err != nil {
		return nil, nil, nil, err
	}
	if b, err = opbuf.Input("gnn", "edge first layer", op.nx+1, in[op.nx+1], tensor.Shape{1, op.hidden}); err != nil {
		return nil, nil, nil, err
	}
	return xs, w, b, nil
}

// keep returns the kept tensor *t (or prealloc) of shape s, making it on
// the first run.
func keep(t **tensor.Dense, prealloc G.Value, s tensor.Shape, inputs ...[]float64) (*tensor.Dense, []float64) {
	if prealloc == nil && *t != nil {
		prealloc = *t
	}
	out, d := opbuf.Output(prealloc, s, inputs...)
	*t = out
	return out, d
}

func (op edgeInOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != op.nx+2 {
		return nil, fmt.Errorf("gnn: edge first layer: %d inputs, want %d", len(in), op.nx+2)
	}
	xs, w, b, err := op.inputs(in)
	if err != nil {
		return nil, err
	}
	H, st := op.hidden, op.st
	out, h := keep(&st.h, prealloc, tensor.Shape{op.edges, H}, append(xs, w, b)...)
	for e := range op.edges {
		copy(h[e*H:e*H+H], b)
	}
	for _, p := range op.parts {
		x, wp := xs[p.in], w[p.off*H:]
		if p.idx == nil {
			blas.Gemm(false, false, op.edges, H, p.f, x, p.f, wp, H, h, H, true)
			continue
		}
		rows := len(x) / max(1, p.f)
		if cap(st.proj) < rows*H {
			st.proj = make([]float64, rows*H)
		}
		pr := st.proj[:rows*H]
		blas.Gemm(false, false, rows, H, p.f, x, p.f, wp, H, pr, H, false)
		for e, t := range p.idx {
			dst, src := h[e*H:e*H+H], pr[t*H:t*H+H]
			for j, v := range src {
				dst[j] += v
			}
		}
	}
	if len(st.ds) != len(h) {
		st.ds = make([]float64, len(h))
	}
	if op.act == ad.ReLU {
		// Branch-free on the sign, 0 at ±0 and NaN, as ad's ReLU.
		for i, zi := range h {
			bits := math.Float64bits(zi)
			m := uint64(int64(^bits) >> 63)
			if zi == 0 || zi != zi {
				m = 0
			}
			h[i] = math.Float64frombits(bits & m)
			st.ds[i] = math.Float64frombits(0x3FF0000000000000 & m)
		}
	} else {
		op.act.Apply(h, h, st.ds)
	}
	return out, nil
}

func (op edgeInOp) ReturnsPtr() bool     { return false }
func (op edgeInOp) CallsExtern() bool    { return false }
func (op edgeInOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, sizes, activation and every part with
// all its indices.
func (op edgeInOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "gnn.edgeInOp{nx=%d,edges=%d,k=%d,hidden=%d,act=%d}", op.nx, op.edges, op.k, op.hidden, int(op.act))
	var buf [8]byte
	for _, p := range op.parts {
		fmt.Fprintf(h, "[%d,%d,%d,%d]", p.in, p.off, p.f, len(p.idx))
		for _, t := range p.idx {
			binary.LittleEndian.PutUint64(buf[:], uint64(t))
			h.Write(buf[:])
		}
	}
}

func (op edgeInOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op edgeInOp) String() string {
	return fmt.Sprintf("EdgeFirstLayer(%d parts→%d×%d)", len(op.parts), op.edges, op.hidden)
}

// DiffWRT: W0 and b; the X inputs are the batch's constant features.
func (op edgeInOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	if n >= 2 {
		d[n-2], d[n-1] = true, true
	}
	return d
}

// SymDiff: dz = ḡ ⊙ σ′(z); ∂W0 rows of part p = X_pᵀ·(Σ_{k: idx_p[k]=i} dz_k)_i;
// ∂b = Σ_k dz_k.
func (op edgeInOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if len(in) != op.nx+2 {
		return nil, fmt.Errorf("gnn: edge first layer: SymDiff with %d inputs, want %d", len(in), op.nx+2)
	}
	dz, err := G.ApplyOp(edgeInGradOp{fwd: op, which: gradZ}, out, grad)
	if err != nil {
		return nil, fmt.Errorf("gnn: edge first layer: derivative: %w", err)
	}
	dw, err := G.ApplyOp(edgeInGradOp{fwd: op, which: gradW}, append(G.Nodes{dz}, in[:op.nx]...)...)
	if err != nil {
		return nil, fmt.Errorf("gnn: edge first layer: derivative: %w", err)
	}
	db, err := G.ApplyOp(edgeInGradOp{fwd: op, which: gradB}, dz)
	if err != nil {
		return nil, fmt.Errorf("gnn: edge first layer: derivative: %w", err)
	}
	res := make(G.Nodes, len(in))
	res[op.nx], res[op.nx+1] = dw, db
	return res, nil
}

// The backward ops of edgeInOp.
const (
	gradZ = iota // dz = ḡ ⊙ σ′ from (h, ḡ); h only orders it after the forward op
	gradW        // ∂W0 from (dz, X_0, ..., X_{n-1})
	gradB        // ∂b from dz
)

// edgeInGradOp is one of edgeInOp's backward ops.
type edgeInGradOp struct {
	fwd   edgeInOp
	which int
}

var _ G.UsePreallocDoer = edgeInGradOp{}

func (op edgeInGradOp) Arity() int {
	switch op.which {
	case gradZ:
		return 2
	case gradW:
		return 1 + op.fwd.nx
	}
	return 1
}

func (op edgeInGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t := make([]hm.Type, 0, op.Arity()+1)
	for range op.Arity() + 1 {
		t = append(t, G.TensorType{Dims: 2, Of: a})
	}
	return hm.NewFnType(t...)
}

func (op edgeInGradOp) shape() tensor.Shape {
	switch op.which {
	case gradZ:
		return tensor.Shape{op.fwd.edges, op.fwd.hidden}
	case gradW:
		return tensor.Shape{op.fwd.k, op.fwd.hidden}
	}
	return tensor.Shape{1, op.fwd.hidden}
}

func (op edgeInGradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != op.Arity() {
		return nil, fmt.Errorf("gnn: edge first layer gradient: %d inputs, want %d", len(ds), op.Arity())
	}
	return op.shape(), nil
}

func (op edgeInGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op edgeInGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	const fn = "edge first layer gradient"
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("gnn: %s: %d inputs, want %d", fn, len(in), op.Arity())
	}
	f, st := op.fwd, op.fwd.st
	E, H := f.edges, f.hidden
	switch op.which {
	case gradZ:
		g, err := opbuf.Input("gnn", fn, 1, in[1], tensor.Shape{E, H})
		if err != nil {
			return nil, err
		}
		if len(st.ds) != E*H {
			return nil, fmt.Errorf("gnn: %s: ran before the forward op", fn)
		}
		out, dz := keep(&st.dz, prealloc, op.shape(), g)
		for i, v := range g {
			dz[i] = v * st.ds[i]
		}
		return out, nil
	case gradB:
		dz, err := opbuf.Input("gnn", fn, 0, in[0], tensor.Shape{E, H})
		if err != nil {
			return nil, err
		}
		out, db := keep(&st.b, prealloc, op.shape(), dz)
		clear(db)
		for e := range E {
			for j, v := range dz[e*H : e*H+H] {
				db[j] += v
			}
		}
		return out, nil
	}
	dz, err := opbuf.Input("gnn", fn, 0, in[0], tensor.Shape{E, H})
	if err != nil {
		return nil, err
	}
	xs := make([][]float64, f.nx)
	for i := range f.nx {
		if xs[i], err = opbuf.Input("gnn", fn, 1+i, in[1+i], in[1+i].Shape()); err != nil {
			return nil, err
		}
	}
	out, dw := keep(&st.w, prealloc, op.shape(), append(xs, dz)...)
	clear(dw) // rows of W0 no part reads get 0
	for _, p := range f.parts {
		x, wp := xs[p.in], dw[p.off*H:]
		if p.idx == nil {
			blas.Gemm(true, false, p.f, H, E, x, p.f, dz, H, wp, H, true)
			continue
		}
		rows := len(x) / max(1, p.f)
		if cap(st.proj) < rows*H {
			st.proj = make([]float64, rows*H)
		}
		s := st.proj[:rows*H]
		clear(s)
		for e, t := range p.idx {
			dst, src := s[t*H:t*H+H], dz[e*H:e*H+H]
			for j, v := range src {
				dst[j] += v
			}
		}
		blas.Gemm(true, false, p.f, H, rows, x, p.f, s, H, wp, H, true)
	}
	return out, nil
}

func (op edgeInGradOp) ReturnsPtr() bool     { return false }
func (op edgeInGradOp) CallsExtern() bool    { return false }
func (op edgeInGradOp) OverwritesInput() int { return -1 }

// WriteHash writes the forward op's hash and which gradient this is.
func (op edgeInGradOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "gnn.edgeInGradOp{%d}", op.which)
	op.fwd.WriteHash(h)
}

func (op edgeInGradOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op edgeInGradOp) String() string {
	return [...]string{"EdgeFirstLayerGradZ", "EdgeFirstLayerGradW", "EdgeFirstLayerGradB"}[op.which]
}
