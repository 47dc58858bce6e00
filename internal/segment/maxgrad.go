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

// maxGradOp is the backward op of maxOp: from x (E, F) and the upstream
// gradient ḡ (n, F) it returns dx (E, F) with dx[e,f] = ḡ[seg[e],f] where
// e is the row that attains its segment's maximum in feature f (the first
// on ties), zero elsewhere.
type maxGradOp struct {
	seg []int
	n   int
}

var (
	_ G.Op              = maxGradOp{}
	_ G.UsePreallocDoer = maxGradOp{}
)

func (op maxGradOp) Arity() int { return 2 }

func (op maxGradOp) Type() hm.Type {
	t := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 2, Of: t}, G.TensorType{Dims: 2, Of: t}, G.TensorType{Dims: 2, Of: t})
}

func (op maxGradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	const fn = "MaxGrad"
	if len(ds) != 2 {
		return nil, fmt.Errorf("segment: %s: %d inputs, want 2", fn, len(ds))
	}
	xs, err := matShape(fn, ds[0])
	if err != nil {
		return nil, err
	}
	gs, err := matShape(fn, ds[1])
	if err != nil {
		return nil, err
	}
	if xs[0] != len(op.seg) || gs[0] != op.n || xs[1] != gs[1] {
		return nil, fmt.Errorf("segment: %s: x has shape %v and the gradient %v, want (%d, F) and (%d, F)", fn, xs, gs, len(op.seg), op.n)
	}
	return xs.Clone(), nil
}

func (op maxGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo writes into prealloc when it fits, allocating otherwise.
func (op maxGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	const fn = "MaxGrad"
	if len(in) != 2 {
		return nil, fmt.Errorf("segment: %s: %d inputs, want 2", fn, len(in))
	}
	s, err := op.InferShape(in[0].Shape(), in[1].Shape())
	if err != nil {
		return nil, err
	}
	f := s[1]
	x, err := opbuf.Input("segment", fn, 0, in[0], s)
	if err != nil {
		return nil, err
	}
	g, err := opbuf.Input("segment", fn, 1, in[1], tensor.Shape{op.n, f})
	if err != nil {
		return nil, err
	}
	out, dx := opbuf.Output(prealloc, s, x, g)
	clear(dx)
	arg := make([]int, op.n*f)
	argmax(x, op.seg, f, arg)
	for i, e := range arg {
		if e >= 0 {
			dx[e*f+i%f] = g[i]
		}
	}
	return out, nil
}

func (op maxGradOp) ReturnsPtr() bool     { return false }
func (op maxGradOp) CallsExtern() bool    { return false }
func (op maxGradOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, the number of segments and every index
// into h.
func (op maxGradOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "segment.maxGradOp{n=%d}", op.n)
	hashInts(h, op.seg)
}

func (op maxGradOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op maxGradOp) String() string { return fmt.Sprintf("SegmentMaxGrad(%d→%d)", len(op.seg), op.n) }
