package gnn

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

// meanAbs returns scale · mean|x| over every entry of the matrix x, as one
// op: the L1 loss on the accelerations and the L1 penalty on the messages.
// Gorgonia's Abs, Mean and their gradients (Sign, a broadcast, a product)
// allocate on every run; this op and its gradient, scale·sign(x)/N·ḡ, write
// into reused buffers. The gradient at x = 0 is 0, as Abs's.
func meanAbs(x *G.Node, scale float64) (*G.Node, error) {
	if s := x.Shape(); len(s) != 2 {
		return nil, errorf(ErrInput, "meanAbs: input of shape %v, want a matrix", s)
	}
	return G.ApplyOp(meanAbsOp{scale: scale}, x)
}

// meanAbsOp is scale · mean|x| of a matrix x.
type meanAbsOp struct{ scale float64 }

var _ G.SDOp = meanAbsOp{}

func (op meanAbsOp) Arity() int { return 1 }

func (op meanAbsOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 2, Of: a}, a)
}

func (op meanAbsOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 1 {
		return nil, fmt.Errorf("gnn: meanAbs: %d inputs, want 1", len(ds))
	}
	return tensor.ScalarShape(), nil
}

func (op meanAbsOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("gnn: meanAbs: %d inputs, want 1", len(in))
	}
	x, err := opbuf.Input("gnn", "meanAbs", 0, in[0], in[0].Shape())
	if err != nil {
		return nil, err
	}
	// Four partial sums: one chain of dependent additions would wait on
	// the adder's latency at every element.
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		v := x[i : i+4 : i+4]
		s0 += math.Abs(v[0])
		s1 += math.Abs(v[1])
		s2 += math.Abs(v[2])
		s3 += math.Abs(v[3])
	}
	for ; i < len(x); i++ {
		s0 += math.Abs(x[i])
	}
	s := (s0 + s1) + (s2 + s3)
	return G.NewF64(op.scale * s / float64(max(1, len(x)))), nil
}

func (op meanAbsOp) ReturnsPtr() bool     { return false }
func (op meanAbsOp) CallsExtern() bool    { return false }
func (op meanAbsOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name and its scale, bit for bit.
func (op meanAbsOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "gnn.meanAbsOp{%x}", math.Float64bits(op.scale))
}

func (op meanAbsOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op meanAbsOp) String() string { return fmt.Sprintf("%g·MeanAbs", op.scale) }

func (op meanAbsOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff: ∂x = scale·sign(x)/N·ḡ.
func (op meanAbsOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("gnn: meanAbs: SymDiff with %d inputs, want 1", len(in))
	}
	dx, err := G.ApplyOp(meanAbsGradOp{scale: op.scale, buf: new(*tensor.Dense)}, in[0], grad)
	if err != nil {
		return nil, fmt.Errorf("gnn: meanAbs: derivative: %w", err)
	}
	return G.Nodes{dx}, nil
}

// meanAbsGradOp is the gradient of meanAbsOp: from x and the scalar
// upstream gradient ḡ, scale·sign(x)/N·ḡ in x's shape. buf keeps the
// output between runs (not hashed): the tape machine calls Do without a
// preallocated value here, and a fresh (E, msg) matrix a step cost about 4%
// of BenchmarkStepGNN in allocation and zeroing. Every run overwrites all
// of it, like a preallocated value.
type meanAbsGradOp struct {
	scale float64
	buf   **tensor.Dense
}

var _ G.UsePreallocDoer = meanAbsGradOp{}

func (op meanAbsGradOp) Arity() int { return 2 }

func (op meanAbsGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 2, Of: a}, a, G.TensorType{Dims: 2, Of: a})
}

func (op meanAbsGradOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != 2 {
		return nil, fmt.Errorf("gnn: meanAbs gradient: %d inputs, want 2", len(ds))
	}
	s, ok := ds[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("gnn: meanAbs gradient: input shape is a %T", ds[0])
	}
	return s.Clone(), nil
}

func (op meanAbsGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo writes into prealloc when it fits, allocating otherwise.
func (op meanAbsGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("gnn: meanAbs gradient: %d inputs, want 2", len(in))
	}
	s := in[0].Shape()
	x, err := opbuf.Input("gnn", "meanAbs gradient", 0, in[0], s)
	if err != nil {
		return nil, err
	}
	var g float64
	switch d := in[1].Data().(type) {
	case float64:
		g = d
	case []float64:
		if len(d) != 1 {
			return nil, fmt.Errorf("gnn: meanAbs gradient: upstream gradient has %d values, want 1", len(d))
		}
		g = d[0]
	default:
		return nil, fmt.Errorf("gnn: meanAbs gradient: upstream gradient holds %T, want float64", d)
	}
	if prealloc == nil && op.buf != nil && *op.buf != nil {
		prealloc = *op.buf
	}
	out, dx := opbuf.Output(prealloc, s, x)
	if op.buf != nil {
		*op.buf = out
	}
	c := op.scale * g / float64(max(1, len(x)))
	cb := math.Float64bits(c)
	const sign = 1 << 63
	for i, v := range x {
		// c with v's sign (c's own sign flipped when v < 0), 0 at v = 0:
		// no branch on the sign.
		d := math.Float64frombits(cb ^ (math.Float64bits(v) & sign))
		if v == 0 {
			d = 0
		}
		dx[i] = d
	}
	return out, nil
}

func (op meanAbsGradOp) ReturnsPtr() bool     { return false }
func (op meanAbsGradOp) CallsExtern() bool    { return false }
func (op meanAbsGradOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name and its scale, bit for bit.
func (op meanAbsGradOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "gnn.meanAbsGradOp{%x}", math.Float64bits(op.scale))
}

func (op meanAbsGradOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op meanAbsGradOp) String() string { return fmt.Sprintf("%g·MeanAbsGrad", op.scale) }
