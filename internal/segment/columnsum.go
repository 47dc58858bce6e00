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

// columnSumOp is the backward op of one part of concatOp: from ḡ (rows,
// width) it returns the (n, f) matrix out[idx[r]] += ḡ[r, off:off+f] (for
// a nil idx, out[r] = ḡ[r, off:off+f]).
type columnSumOp struct {
	off, f, width, rows int
	idx                 []int // nil: identity (then n == rows)
	n                   int
	buf                 *outBuf // the output between runs (not hashed)
}

var (
	_ G.Op              = columnSumOp{}
	_ G.UsePreallocDoer = columnSumOp{}
)

func (op columnSumOp) Arity() int { return 1 }

func (op columnSumOp) Type() hm.Type {
	t := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 2, Of: t}, G.TensorType{Dims: 2, Of: t})
}

func (op columnSumOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	const fn = "GatherConcatGrad"
	if len(ds) != 1 {
		return nil, fmt.Errorf("segment: %s: %d inputs, want 1", fn, len(ds))
	}
	s, err := matShape(fn, ds[0])
	if err != nil {
		return nil, err
	}
	if s[0] != op.rows || s[1] != op.width {
		return nil, fmt.Errorf("segment: %s: gradient has shape %v, want (%d, %d)", fn, s, op.rows, op.width)
	}
	return tensor.Shape{op.n, op.f}, nil
}

func (op columnSumOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo writes into prealloc when it fits, allocating otherwise.
func (op columnSumOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	const fn = "GatherConcatGrad"
	if len(in) != 1 {
		return nil, fmt.Errorf("segment: %s: %d inputs, want 1", fn, len(in))
	}
	s, err := op.InferShape(in[0].Shape())
	if err != nil {
		return nil, err
	}
	g, err := opbuf.Input("segment", fn, 0, in[0], tensor.Shape{op.rows, op.width})
	if err != nil {
		return nil, err
	}
	out, y := op.buf.output(prealloc, s, g)
	f, w := op.f, op.width
	if op.idx == nil {
		for r := range op.rows {
			copy(y[r*f:r*f+f], g[r*w+op.off:r*w+op.off+f])
		}
		return out, nil
	}
	clear(y)
	for r, t := range op.idx {
		dst, src := y[t*f:t*f+f], g[r*w+op.off:r*w+op.off+f]
		for k, v := range src {
			dst[k] += v
		}
	}
	return out, nil
}

func (op columnSumOp) ReturnsPtr() bool     { return false }
func (op columnSumOp) CallsExtern() bool    { return false }
func (op columnSumOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, its offsets and sizes and every index in
// full into h.
func (op columnSumOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "segment.columnSumOp{off=%d,f=%d,width=%d,rows=%d,n=%d,idx=%v}", op.off, op.f, op.width, op.rows, op.n, op.idx != nil)
	hashInts(h, op.idx)
}

func (op columnSumOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op columnSumOp) String() string {
	return fmt.Sprintf("GatherConcatGrad(cols %d:%d→%d rows)", op.off, op.off+op.f, op.n)
}
