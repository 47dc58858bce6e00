package segment

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/opbuf"
)

// Part is one block of columns of GatherConcat: the rows Idx of X, or all
// of X's rows in order when Idx is nil.
type Part struct {
	X   *G.Node
	Idx []int
}

// GatherConcat returns the matrix whose row r is the concatenation of
// parts[p].X[parts[p].Idx[r]] over p (or of parts[p].X[r] for a nil Idx):
// the input of a graph network's edge update [e_k, v_receiver, v_sender,
// u] in one op. Every part must give the same number of rows. The gradient
// of each part is the segment sum of its block of columns of ḡ over Idx
// (its block itself for a nil Idx); that backward op is not differentiable
// again. It replaces gorgonia's Gather-then-Concat, whose backward slices
// hash their bounds modulo 256 (DESIGN.md).
func GatherConcat(parts ...Part) (*G.Node, error) {
	const fn = "GatherConcat"
	if len(parts) == 0 {
		return nil, fmt.Errorf("segment: %s: no parts", fn)
	}
	op := concatOp{idx: make([][]int, len(parts)), n: make([]int, len(parts)), f: make([]int, len(parts)), rows: -1, buf: newBuf()}
	nodes := make([]*G.Node, len(parts))
	for p, pt := range parts {
		if err := checkMatrix(fn, pt.X, -1); err != nil {
			return nil, fmt.Errorf("%w (part %d)", err, p)
		}
		s := pt.X.Shape()
		op.n[p], op.f[p] = s[0], s[1]
		rows := s[0]
		if pt.Idx != nil {
			c, err := checkIndex(fn, fmt.Sprintf("part %d's index", p), pt.Idx, s[0])
			if err != nil {
				return nil, err
			}
			op.idx[p], rows = c, len(c)
		}
		if op.rows >= 0 && rows != op.rows {
			return nil, fmt.Errorf("segment: %s: part %d gives %d rows, part 0 %d", fn, p, rows, op.rows)
		}
		op.rows = rows
		if p > 0 && pt.X.Graph() != parts[0].X.Graph() {
			return nil, fmt.Errorf("segment: %s: parts belong to different graphs", fn)
		}
		nodes[p] = pt.X
	}
	out, err := G.ApplyOp(op, nodes...)
	if err != nil {
		return nil, fmt.Errorf("segment: %s: %w", fn, err)
	}
	return out, nil
}

// concatOp is GatherConcat: out[r] = [x_0[idx_0[r]], x_1[idx_1[r]], ...].
type concatOp struct {
	idx  [][]int // nil entries: identity
	n, f []int   // rows and columns of each input
	rows int
	buf  *outBuf // the output between runs (not hashed)
}

var (
	_ G.SDOp            = concatOp{}
	_ G.UsePreallocDoer = concatOp{}
)

func (op concatOp) Arity() int { return len(op.f) }

func (op concatOp) Type() hm.Type {
	t := hm.TypeVariable('a')
	ts := make([]hm.Type, len(op.f)+1)
	for i := range ts {
		ts[i] = G.TensorType{Dims: 2, Of: t}
	}
	return hm.NewFnType(ts...)
}

func (op concatOp) width() int {
	w := 0
	for _, f := range op.f {
		w += f
	}
	return w
}

func (op concatOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	const fn = "GatherConcat"
	if len(ds) != len(op.f) {
		return nil, fmt.Errorf("segment: %s: %d inputs, want %d", fn, len(ds), len(op.f))
	}
	for p, d := range ds {
		s, err := matShape(fn, d)
		if err != nil {
			return nil, err
		}
		if s[0] != op.n[p] || s[1] != op.f[p] {
			return nil, fmt.Errorf("segment: %s: input %d has shape %v, want (%d, %d)", fn, p, s, op.n[p], op.f[p])
		}
	}
	return tensor.Shape{op.rows, op.width()}, nil
}

func (op concatOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo writes into prealloc when it fits, allocating otherwise.
func (op concatOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	const fn = "GatherConcat"
	shapes := make([]G.DimSizer, len(in))
	for i, v := range in {
		shapes[i] = v.Shape()
	}
	s, err := op.InferShape(shapes...)
	if err != nil {
		return nil, err
	}
	xs := make([][]float64, len(in))
	for p, v := range in {
		if xs[p], err = opbuf.Input("segment", fn, p, v, tensor.Shape{op.n[p], op.f[p]}); err != nil {
			return nil, err
		}
	}
	out, y := op.buf.output(prealloc, s, xs...)
	w := s[1]
	off := 0
	for p, x := range xs {
		f, idx := op.f[p], op.idx[p]
		for r := range op.rows {
			src := r
			if idx != nil {
				src = idx[r]
			}
			copy(y[r*w+off:r*w+off+f], x[src*f:src*f+f])
		}
		off += f
	}
	return out, nil
}

func (op concatOp) ReturnsPtr() bool     { return false }
func (op concatOp) CallsExtern() bool    { return false }
func (op concatOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, the rows, every input's size and every
// index in full into h.
func (op concatOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "segment.concatOp{rows=%d,parts=%d}", op.rows, len(op.f))
	for p := range op.f {
		fmt.Fprintf(h, "{n=%d,f=%d,idx=%v}", op.n[p], op.f[p], op.idx[p] != nil)
		hashInts(h, op.idx[p])
	}
}

func (op concatOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op concatOp) String() string {
	return fmt.Sprintf("GatherConcat(%d parts, %d rows)", len(op.f), op.rows)
}

func (op concatOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	for i := range d {
		d[i] = true
	}
	return d
}

// SymDiff: part p's gradient is columns [off_p, off_p+f_p) of ḡ, summed
// over its index into the part's rows.
func (op concatOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if len(in) != len(op.f) {
		return nil, fmt.Errorf("segment: GatherConcat: SymDiff with %d inputs, want %d", len(in), len(op.f))
	}
	ds := make(G.Nodes, len(in))
	off := 0
	for p := range in {
		d, err := G.ApplyOp(columnSumOp{off: off, f: op.f[p], width: op.width(), rows: op.rows, idx: op.idx[p], n: op.n[p], buf: newBuf()}, grad)
		if err != nil {
			return nil, fmt.Errorf("segment: GatherConcat: derivative: %w", err)
		}
		ds[p] = d
		off += op.f[p]
	}
	return ds, nil
}
