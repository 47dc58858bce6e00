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

// Max returns the segment maximum of the rows of x (E, F), taken per
// feature: out[s,f] = max_{e: seg[e]=s} x[e,f], of shape (n, F); segments
// with no rows are zero. Its gradient sends ḡ[s,f] to the row that attained
// the maximum of (s, f) (the first such row in index order on ties) and zero
// to the others; that backward op is not differentiable again. A NaN in x
// is never chosen over a number; a segment of NaNs gives NaN.
func Max(x *G.Node, seg []int, n int) (*G.Node, error) {
	const fn = "Max"
	s, err := checkIndex(fn, "seg", seg, n)
	if err != nil {
		return nil, err
	}
	if err := checkMatrix(fn, x, len(seg)); err != nil {
		return nil, err
	}
	out, err := G.ApplyOp(maxOp{seg: s, n: n}, x)
	if err != nil {
		return nil, fmt.Errorf("segment: %s: %w", fn, err)
	}
	return out, nil
}

// argmax writes into arg[s*f+k] the first row e of segment s with the
// largest x[e,k], or −1 for an empty segment.
func argmax(x []float64, seg []int, f int, arg []int) {
	for i := range arg {
		arg[i] = -1
	}
	for e, s := range seg {
		row := x[e*f : e*f+f]
		a := arg[s*f : s*f+f]
		for k, v := range row {
			// v > best, or the slot is empty, or the best so far is NaN
			// and v is a number.
			if b := a[k]; b < 0 || v > x[b*f+k] || (x[b*f+k] != x[b*f+k] && v == v) {
				a[k] = e
			}
		}
	}
}

// maxOp is the per-feature segment maximum.
type maxOp struct {
	seg []int
	n   int
}

var (
	_ G.SDOp            = maxOp{}
	_ G.UsePreallocDoer = maxOp{}
)

func (op maxOp) Arity() int { return 1 }

func (op maxOp) Type() hm.Type {
	t := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 2, Of: t}, G.TensorType{Dims: 2, Of: t})
}

func (op maxOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("segment: Max: %d inputs, want 1", len(ds))
	}
	s, err := matShape("Max", ds[0])
	if err != nil {
		return nil, err
	}
	if s[0] != len(op.seg) {
		return nil, fmt.Errorf("segment: Max: x has %d rows, the index %d entries", s[0], len(op.seg))
	}
	return tensor.Shape{op.n, s[1]}, nil
}

func (op maxOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo writes into prealloc when it fits, allocating otherwise.
func (op maxOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("segment: Max: %d inputs, want 1", len(in))
	}
	s, err := op.InferShape(in[0].Shape())
	if err != nil {
		return nil, err
	}
	f := s[1]
	x, err := opbuf.Input("segment", "Max", 0, in[0], tensor.Shape{len(op.seg), f})
	if err != nil {
		return nil, err
	}
	out, y := opbuf.Output(prealloc, s, x)
	arg := make([]int, op.n*f)
	argmax(x, op.seg, f, arg)
	for i, e := range arg {
		if e < 0 {
			y[i] = 0
			continue
		}
		y[i] = x[e*f+i%f]
	}
	return out, nil
}

func (op maxOp) ReturnsPtr() bool     { return false }
func (op maxOp) CallsExtern() bool    { return false }
func (op maxOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, the number of segments and every index
// into h.
func (op maxOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "segment.maxOp{n=%d}", op.n)
	hashInts(h, op.seg)
}

func (op maxOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op maxOp) String() string { return fmt.Sprintf("SegmentMax(%d→%d)", len(op.seg), op.n) }

func (op maxOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff: ∂x[e,f] = ḡ[seg[e],f] where e attains the maximum of its
// segment in feature f, zero elsewhere.
func (op maxOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("segment: Max: SymDiff with %d inputs, want 1", len(in))
	}
	dx, err := G.ApplyOp(maxGradOp(op), in[0], grad)
	if err != nil {
		return nil, fmt.Errorf("segment: Max: derivative: %w", err)
	}
	return G.Nodes{dx}, nil
}
