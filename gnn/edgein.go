package gnn

import (
	"encoding/binary"
	"fmt"
	"hash"
	"hash/fnv"
	"math"

	"github.com/chewxy/hm"
	"gonum.org/v1/gonum/floats"
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
	rows       int // rows of the part's input
}

// edgeInState is what the forward and backward ops of one layer share:
// σ′ at the last forward run and the ops' output and scratch buffers
// (not hashed; see segment's outBuf for why they are kept).
type edgeInState struct {
	ds   []float64   // σ′(z), edges × hidden (not for ReLU)
	mask []uint64    // ReLU: bit i is σ′ at entry i (z_i > 0)
	proj [][]float64 // per part: X_p·W_p forward, the segment sum of dz backward
	dz   []float64   // dz, kept only when a part is per-edge
	h, w *tensor.Dense
	b    *tensor.Dense
}

// scratch returns st.proj[p] of length n.
func (st *edgeInState) scratch(p, n int) []float64 {
	for len(st.proj) <= p {
		st.proj = append(st.proj, nil)
	}
	if cap(st.proj[p]) < n {
		st.proj[p] = make([]float64, n)
	}
	return st.proj[p][:n]
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
		p.rows = rows
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
	// The per-edge parts' products go straight into h; the gathered
	// parts' products are taken at their rows, then one pass over the
	// edges adds b and the gathered rows and applies σ.
	perEdge := false
	var gp [][]float64 // products of the gathered parts
	var gi [][]int     // their indices
	for k, p := range op.parts {
		x, wp := xs[p.in], w[p.off*H:]
		if p.idx == nil {
			blas.Gemm(false, false, op.edges, H, p.f, x, p.f, wp, H, h, H, perEdge)
			perEdge = true
			continue
		}
		rows := len(x) / max(1, p.f)
		pr := st.scratch(k, rows*H)
		blas.Gemm(false, false, rows, H, p.f, x, p.f, wp, H, pr, H, false)
		gp, gi = append(gp, pr), append(gi, p.idx)
	}
	// b goes into the first gathered product's rows (all of them: each
	// edge reads one), or, with none, into every edge's row.
	if len(gp) > 0 {
		for t := 0; t+H <= len(gp[0]); t += H {
			floats.Add(gp[0][t:t+H], b)
		}
	}
	relu := op.act == ad.ReLU
	var mask []uint64
	if relu {
		n := (len(h) + 63) / 64
		if len(st.mask) != n {
			st.mask = make([]uint64, n)
		}
		mask = st.mask
		clear(mask)
	}
	for e := range op.edges {
		row := h[e*H : e*H+H]
		switch {
		case len(gp) == 0:
			floats.Add(row, b)
		case perEdge:
			t := gi[0][e]
			floats.Add(row, gp[0][t*H:t*H+H])
		default:
			t := gi[0][e]
			copy(row, gp[0][t*H:t*H+H])
		}
		for q := 1; q < len(gp); q++ {
			t := gi[q][e]
			floats.Add(row, gp[q][t*H:t*H+H])
		}
		if relu {
			// Branch-free on the sign, 0 at ±0 and NaN, as ad's ReLU;
			// σ′ goes into one bit an entry (the backward pass reads
			// 1/64 of what h would be).
			i := e * H
			for j, zj := range row {
				var m uint64
				if zj > 0 { // a conditional move, not a branch; false at ±0 and NaN
					m = ^uint64(0)
				}
				row[j] = math.Float64frombits(math.Float64bits(zj) & m)
				k := uint(i + j)
				mask[k>>6] |= (m & 1) << (k & 63)
			}
		}
	}
	if !relu {
		if len(st.ds) != len(h) {
			st.ds = make([]float64, len(h))
		}
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

// SymDiff: with dz = ḡ ⊙ σ′(z), ∂b = Σ_k dz_k and the rows of ∂W0 of part
// p are X_pᵀ·S_p, S_p[i] = Σ_{k: idx_p[k]=i} dz_k (X_pᵀ·dz for a per-edge
// part). One pass over the edges makes ∂b and every S_p (the ∂b op, which
// leaves the S_p in the shared state); the ∂W0 op, ordered after it by
// taking ∂b as an input, multiplies.
func (op edgeInOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if len(in) != op.nx+2 {
		return nil, fmt.Errorf("gnn: edge first layer: SymDiff with %d inputs, want %d", len(in), op.nx+2)
	}
	db, err := G.ApplyOp(edgeInGradOp{fwd: op, which: gradB}, out, grad)
	if err != nil {
		return nil, fmt.Errorf("gnn: edge first layer: derivative: %w", err)
	}
	dw, err := G.ApplyOp(edgeInGradOp{fwd: op, which: gradW}, append(G.Nodes{db}, in[:op.nx]...)...)
	if err != nil {
		return nil, fmt.Errorf("gnn: edge first layer: derivative: %w", err)
	}
	res := make(G.Nodes, len(in))
	res[op.nx], res[op.nx+1] = dw, db
	return res, nil
}

// The backward ops of edgeInOp.
const (
	gradB = iota // ∂b from (h, ḡ), leaving the S_p (and dz) in the state
	gradW        // ∂W0 from (∂b, X_0, ..., X_{n-1}); ∂b only orders it after gradB
)

// edgeInGradOp is one of edgeInOp's backward ops.
type edgeInGradOp struct {
	fwd   edgeInOp
	which int
}

var _ G.UsePreallocDoer = edgeInGradOp{}

func (op edgeInGradOp) Arity() int {
	if op.which == gradW {
		return 1 + op.fwd.nx
	}
	return 2
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
	if op.which == gradW {
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
	if op.which == gradB {
		return op.sums(prealloc, in)
	}
	xs := make([][]float64, f.nx)
	var err error
	for i := range f.nx {
		if xs[i], err = opbuf.Input("gnn", fn, 1+i, in[1+i], in[1+i].Shape()); err != nil {
			return nil, err
		}
	}
	out, dw := keep(&st.w, prealloc, op.shape(), xs...)
	clear(dw) // rows of W0 no part reads get 0
	for k, p := range f.parts {
		x, wp := xs[p.in], dw[p.off*H:]
		if p.idx == nil {
			blas.Gemm(true, false, p.f, H, E, x, p.f, st.dz, H, wp, H, true)
			continue
		}
		rows := len(x) / max(1, p.f)
		blas.Gemm(true, false, p.f, H, rows, x, p.f, st.scratch(k, rows*H), H, wp, H, true)
	}
	return out, nil
}

// sums is the gradB op: from h and ḡ, one pass over the edges gives
// dz_k = ḡ_k ⊙ σ′(z_k), ∂b = Σ_k dz_k and, into the state, every gathered
// part's segment sum S_p (and dz itself when a part is per-edge).
func (op edgeInGradOp) sums(prealloc G.Value, in []G.Value) (G.Value, error) {
	const fn = "edge first layer gradient"
	f, st := op.fwd, op.fwd.st
	E, H := f.edges, f.hidden
	h, err := opbuf.Input("gnn", fn, 0, in[0], tensor.Shape{E, H})
	if err != nil {
		return nil, err
	}
	g, err := opbuf.Input("gnn", fn, 1, in[1], tensor.Shape{E, H})
	if err != nil {
		return nil, err
	}
	relu := f.act == ad.ReLU
	if (!relu && len(st.ds) != E*H) || (relu && len(st.mask) != (E*H+63)/64) {
		return nil, fmt.Errorf("gnn: %s: ran before the forward op", fn)
	}
	out, db := keep(&st.b, prealloc, op.shape(), h, g)
	clear(db)
	perEdge := false
	var ss [][]float64 // segment sums of the gathered parts
	var si [][]int
	for k, p := range f.parts {
		if p.idx == nil {
			perEdge = true
			continue
		}
		rows := f.rowsOf(k)
		s := st.scratch(k, rows*H)
		clear(s)
		ss, si = append(ss, s), append(si, p.idx)
	}
	if perEdge && len(st.dz) != E*H {
		st.dz = make([]float64, E*H)
	}
	var tmp []float64
	if !perEdge {
		if len(st.dz) < H {
			st.dz = make([]float64, H)
		}
		tmp = st.dz[:H]
	}
	for e := range E {
		gr := g[e*H : e*H+H]
		dz := tmp
		if perEdge {
			dz = st.dz[e*H : e*H+H]
		}
		dz = dz[:len(gr)]
		if relu {
			// σ′ = 1 where z > 0, else 0: the forward pass's bits.
			i := e * H
			for j, gj := range gr {
				bit := st.mask[(i+j)>>6] >> uint((i+j)&63) & 1
				dz[j] = gj * math.Float64frombits(0x3FF0000000000000&-bit)
			}
		} else {
			for j, d := range st.ds[e*H : e*H+H] {
				dz[j] = gr[j] * d
			}
		}
		if len(ss) == 0 {
			floats.Add(db, dz)
		}
		for q, s := range ss {
			t := si[q][e]
			floats.Add(s[t*H:t*H+H], dz)
		}
	}
	// Every edge lands in one row of a gathered part's segment sum: ∂b is
	// the sum of its rows.
	if len(ss) > 0 {
		for t := 0; t+H <= len(ss[0]); t += H {
			floats.Add(db, ss[0][t:t+H])
		}
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
	return [...]string{"EdgeFirstLayerGradB", "EdgeFirstLayerGradW"}[op.which]
}

// rowsOf returns the rows of part k's input.
func (op edgeInOp) rowsOf(k int) int { return op.parts[k].rows }
