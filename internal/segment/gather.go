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

// Gather returns the rows out[e] = x[idx[e]] of x (n, F), of shape
// (len(idx), F); indices may repeat. Its gradient is the segment sum of the
// upstream gradient, Sum(ḡ, idx, n), right for repeated indices (unlike
// gorgonia's ByIndices on anything but axis-0 row gathers, see DESIGN.md).
func Gather(x *G.Node, idx []int) (*G.Node, error) {
	return WeightedGather(x, idx, nil)
}

// WeightedGather returns out[e] = w[e]·x[idx[e]]; nil w means every weight
// is 1. It is the adjoint of WeightedSum with the same indices and weights.
func WeightedGather(x *G.Node, idx []int, w []float64) (*G.Node, error) {
	const fn = "Gather"
	if err := checkMatrix(fn, x, -1); err != nil {
		return nil, err
	}
	n := x.Shape()[0]
	c, err := checkIndex(fn, "idx", idx, n)
	if err != nil {
		return nil, err
	}
	wc, err := checkWeights(fn, w, len(idx))
	if err != nil {
		return nil, err
	}
	out, err := G.ApplyOp(gatherOp{idx: c, w: wc, n: n, buf: newBuf()}, x)
	if err != nil {
		return nil, fmt.Errorf("segment: %s: %w", fn, err)
	}
	return out, nil
}

// gatherOp is the weighted row gather out[e] = w[e]·x[idx[e]] from x of n
// rows.
type gatherOp struct {
	idx []int
	w   []float64 // nil: all ones
	n   int
	buf *outBuf // the output between runs (not hashed)
}

var (
	_ G.SDOp            = gatherOp{}
	_ G.UsePreallocDoer = gatherOp{}
)

func (op gatherOp) Arity() int { return 1 }

func (op gatherOp) Type() hm.Type {
	t := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 2, Of: t}, G.TensorType{Dims: 2, Of: t})
}

func (op gatherOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("segment: Gather: %d inputs, want 1", len(ds))
	}
	s, err := matShape("Gather", ds[0])
	if err != nil {
		return nil, err
	}
	if s[0] != op.n {
		return nil, fmt.Errorf("segment: Gather: x has %d rows, want %d", s[0], op.n)
	}
	return tensor.Shape{len(op.idx), s[1]}, nil
}

func (op gatherOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo writes into prealloc when it fits, allocating otherwise.
func (op gatherOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("segment: Gather: %d inputs, want 1", len(in))
	}
	s, err := op.InferShape(in[0].Shape())
	if err != nil {
		return nil, err
	}
	f := s[1]
	x, err := opbuf.Input("segment", "Gather", 0, in[0], tensor.Shape{op.n, f})
	if err != nil {
		return nil, err
	}
	out, y := op.buf.output(prealloc, s, x)
	for e, t := range op.idx {
		dst, src := y[e*f:e*f+f], x[t*f:t*f+f]
		if op.w == nil {
			copy(dst, src)
			continue
		}
		we := op.w[e]
		for k, v := range src {
			dst[k] = we * v
		}
	}
	return out, nil
}

func (op gatherOp) ReturnsPtr() bool     { return false }
func (op gatherOp) CallsExtern() bool    { return false }
func (op gatherOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, the number of rows of x, every index and
// every weight into h.
func (op gatherOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "segment.gatherOp{n=%d}", op.n)
	hashInts(h, op.idx)
	hashFloats(h, op.w)
}

func (op gatherOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op gatherOp) String() string {
	if op.w != nil {
		return fmt.Sprintf("WeightedGather(%d→%d)", op.n, len(op.idx))
	}
	return fmt.Sprintf("Gather(%d→%d)", op.n, len(op.idx))
}

func (op gatherOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff: for out[e] = w[e]·x[idx[e]], ∂x[s] = Σ_{e: idx[e]=s} w[e]·ḡ[e],
// a weighted segment sum.
func (op gatherOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("segment: Gather: SymDiff with %d inputs, want 1", len(in))
	}
	dx, err := G.ApplyOp(sumOp{seg: op.idx, w: op.w, n: op.n, buf: newBuf()}, grad)
	if err != nil {
		return nil, fmt.Errorf("segment: Gather: derivative: %w", err)
	}
	return G.Nodes{dx}, nil
}
