package segment

import (
	"fmt"
	"hash"
	"hash/fnv"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/opbuf"
)

// Sum returns the segment sum (scatter-add) of the rows of x (E, F):
// out[s] = Σ_{e: seg[e]=s} x[e], of shape (n, F). len(seg) must be E and
// every seg[e] in [0, n). Segments with no rows are zero. Its gradient is
// the row gather of the upstream gradient, Gather(ḡ, seg).
func Sum(x *G.Node, seg []int, n int) (*G.Node, error) {
	return WeightedSum(x, seg, nil, n)
}

// WeightedSum returns out[s] = Σ_{e: seg[e]=s} w[e]·x[e], of shape (n, F);
// nil w means every weight is 1. Weights must be finite.
func WeightedSum(x *G.Node, seg []int, w []float64, n int) (*G.Node, error) {
	const fn = "Sum"
	s, err := checkIndex(fn, "seg", seg, n)
	if err != nil {
		return nil, err
	}
	if err := checkMatrix(fn, x, len(seg)); err != nil {
		return nil, err
	}
	wc, err := checkWeights(fn, w, len(seg))
	if err != nil {
		return nil, err
	}
	out, err := G.ApplyOp(sumOp{seg: s, w: wc, n: n, buf: newBuf()}, x)
	if err != nil {
		return nil, fmt.Errorf("segment: %s: %w", fn, err)
	}
	return out, nil
}

// checkWeights checks that w is nil or holds rows finite weights, and
// returns a copy.
func checkWeights(fn string, w []float64, rows int) ([]float64, error) {
	if w == nil {
		return nil, nil
	}
	if len(w) != rows {
		return nil, fmt.Errorf("segment: %s: %d weights for %d rows", fn, len(w), rows)
	}
	for i, v := range w {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("segment: %s: weight %d is %v", fn, i, v)
		}
	}
	return append([]float64(nil), w...), nil
}

// sumOp is the weighted segment sum out[seg[e]] += w[e]·x[e].
type sumOp struct {
	seg []int
	w   []float64 // nil: all ones
	n   int
	buf *outBuf // the output between runs (not hashed)
}

var (
	_ G.SDOp            = sumOp{}
	_ G.UsePreallocDoer = sumOp{}
)

func (op sumOp) Arity() int { return 1 }

func (op sumOp) Type() hm.Type {
	t := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 2, Of: t}, G.TensorType{Dims: 2, Of: t})
}

func (op sumOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("segment: Sum: %d inputs, want 1", len(ds))
	}
	s, err := matShape("Sum", ds[0])
	if err != nil {
		return nil, err
	}
	if s[0] != len(op.seg) {
		return nil, fmt.Errorf("segment: Sum: x has %d rows, the index %d entries", s[0], len(op.seg))
	}
	return tensor.Shape{op.n, s[1]}, nil
}

func (op sumOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo writes into prealloc when it fits, allocating otherwise.
func (op sumOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("segment: Sum: %d inputs, want 1", len(in))
	}
	s, err := op.InferShape(in[0].Shape())
	if err != nil {
		return nil, err
	}
	f := s[1]
	x, err := opbuf.Input("segment", "Sum", 0, in[0], tensor.Shape{len(op.seg), f})
	if err != nil {
		return nil, err
	}
	out, y := op.buf.output(prealloc, s, x)
	clear(y)
	for e, t := range op.seg {
		dst, src := y[t*f:t*f+f], x[e*f:e*f+f]
		if op.w == nil {
			for k, v := range src {
				dst[k] += v
			}
			continue
		}
		we := op.w[e]
		for k, v := range src {
			dst[k] += we * v
		}
	}
	return out, nil
}

func (op sumOp) ReturnsPtr() bool     { return false }
func (op sumOp) CallsExtern() bool    { return false }
func (op sumOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, the number of segments, every index and
// every weight into h.
func (op sumOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "segment.sumOp{n=%d}", op.n)
	hashInts(h, op.seg)
	hashFloats(h, op.w)
}

func (op sumOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op sumOp) String() string {
	if op.w != nil {
		return fmt.Sprintf("SegmentWeightedSum(%d→%d)", len(op.seg), op.n)
	}
	return fmt.Sprintf("SegmentSum(%d→%d)", len(op.seg), op.n)
}

func (op sumOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff: for out[s] = Σ w[e] x[e] over seg[e] = s, ∂x[e] = w[e]·ḡ[seg[e]],
// a weighted row gather.
func (op sumOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("segment: Sum: SymDiff with %d inputs, want 1", len(in))
	}
	dx, err := G.ApplyOp(gatherOp{idx: op.seg, w: op.w, n: op.n, buf: newBuf()}, grad)
	if err != nil {
		return nil, fmt.Errorf("segment: Sum: derivative: %w", err)
	}
	return G.Nodes{dx}, nil
}
