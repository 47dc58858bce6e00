package conv

import (
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ReLU returns max(x, 0) elementwise, for a float32 or float64 tensor. Its
// derivative passes the upstream gradient where the output is positive
// (zero at x = 0, as gorgonia's Rectify). It writes into gorgonia's
// preallocated output and reads only the output in the backward pass,
// where Rectify allocates masks on every run.
func ReLU(x *G.Node) (*G.Node, error) {
	if x == nil {
		return nil, fmt.Errorf("conv: ReLU: nil input")
	}
	if dt := x.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("conv: ReLU: dtype %v, want float32 or float64", dt)
	}
	if len(x.Shape()) == 0 {
		return nil, fmt.Errorf("conv: ReLU: scalar input, want a tensor")
	}
	y, err := G.ApplyOp(reluOp{dims: len(x.Shape()), out: new(keep)}, x)
	if err != nil {
		return nil, fmt.Errorf("conv: ReLU: %w", err)
	}
	return y, nil
}

// reluOp is the forward ReLU; with grad set, the backward op of (y, ḡ).
type reluOp struct {
	dims int
	grad bool
	out  *keep // the output from run to run (not hashed)
}

var (
	_ G.SDOp            = reluOp{}
	_ G.UsePreallocDoer = reluOp{}
)

func (op reluOp) Arity() int {
	if op.grad {
		return 2
	}
	return 1
}

func (op reluOp) Type() hm.Type {
	t := G.TensorType{Dims: op.dims, Of: hm.TypeVariable('a')}
	if op.grad {
		return hm.NewFnType(t, t, t)
	}
	return hm.NewFnType(t, t)
}

func (op reluOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) != op.Arity() {
		return nil, fmt.Errorf("conv: ReLU: %d inputs, want %d", len(ds), op.Arity())
	}
	s, err := shapeOf("ReLU", ds[0], op.dims)
	if err != nil {
		return nil, err
	}
	if op.grad {
		if g, ok := ds[1].(tensor.Shape); !ok || !g.Eq(s) {
			return nil, fmt.Errorf("conv: ReLU gradient: shapes %v and %v", s, ds[1])
		}
	}
	return s.Clone(), nil
}

func (op reluOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op reluOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("conv: ReLU: %d inputs, want %d", len(in), op.Arity())
	}
	dt, err := dtypeOf("ReLU", in[0])
	if err != nil {
		return nil, err
	}
	if dt == tensor.Float32 {
		return relu[float32](op, prealloc, in)
	}
	return relu[float64](op, prealloc, in)
}

func relu[T float](op reluOp, prealloc G.Value, in []G.Value) (G.Value, error) {
	s := in[0].Shape()
	x, err := dataOf[T]("ReLU", 0, in[0], s)
	if err != nil {
		return nil, err
	}
	if !op.grad {
		out, y := outputKeep[T](op.out, prealloc, s, x)
		switch x := any(x).(type) {
		case []float32:
			relu32(any(y).([]float32), x)
		case []float64:
			relu64(any(y).([]float64), x)
		}
		return out, nil
	}
	g, err := dataOf[T]("ReLU gradient", 1, in[1], s)
	if err != nil {
		return nil, err
	}
	out, dx := outputKeep[T](op.out, prealloc, s, x, g)
	switch y := any(x).(type) {
	case []float32:
		maskGrad32(any(dx).([]float32), y, any(g).([]float32))
	case []float64:
		maskGrad64(any(dx).([]float64), y, any(g).([]float64))
	}
	return out, nil
}

// relu32 sets y = x where x's sign bit is clear and +0 elsewhere, without
// branches (as gorgonia's Rectify, a NaN with the sign bit set becomes 0).
func relu32(y, x []float32) {
	y = y[:len(x)]
	if n := len(x) &^ 7; haveVec && n > 0 {
		relu8(&y[0], &x[0], n)
		y, x = y[n:], x[n:]
	}
	for i, v := range x {
		b := math.Float32bits(v)
		y[i] = math.Float32frombits(b &^ uint32(int32(b)>>31))
	}
}

// relu64 is relu32 for float64.
func relu64(y, x []float64) {
	y = y[:len(x)]
	for i, v := range x {
		b := math.Float64bits(v)
		y[i] = math.Float64frombits(b &^ uint64(int64(b)>>63))
	}
}

// maskGrad32 sets dx = g where y > 0 and 0 elsewhere, for y ≥ 0 (a ReLU's
// output, never −0), without branches: random signs would mispredict
// half of them. The bits of y are zero exactly where y = 0, and
// int32(−bits)>>31 is then 0, else all ones.
func maskGrad32(dx, y, g []float32) {
	g = g[:len(y)]
	dx = dx[:len(y)]
	if n := len(y) &^ 7; haveVec && n > 0 {
		mask8(&dx[0], &y[0], &g[0], n)
		dx, y, g = dx[n:], y[n:], g[n:]
	}
	for i, v := range y {
		m := uint32(int32(-math.Float32bits(v)) >> 31)
		dx[i] = math.Float32frombits(math.Float32bits(g[i]) & m)
	}
}

// maskGrad64 is maskGrad32 for float64.
func maskGrad64(dx, y, g []float64) {
	g = g[:len(y)]
	dx = dx[:len(y)]
	for i, v := range y {
		m := uint64(int64(-math.Float64bits(v)) >> 63)
		dx[i] = math.Float64frombits(math.Float64bits(g[i]) & m)
	}
}

func (op reluOp) ReturnsPtr() bool     { return false }
func (op reluOp) CallsExtern() bool    { return false }
func (op reluOp) OverwritesInput() int { return -1 }

// WriteHash writes the op's name, rank and direction.
func (op reluOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "conv.reluOp{dims=%d,grad=%t}", op.dims, op.grad)
}

func (op reluOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op reluOp) String() string {
	if op.grad {
		return "ReLUGrad"
	}
	return "ReLU"
}

func (op reluOp) DiffWRT(int) []bool {
	if op.grad {
		return []bool{false, false}
	}
	return []bool{true}
}

// SymDiff: ∂x = ḡ where y > 0, from the output y.
func (op reluOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if op.grad {
		return nil, errors.New("conv: the ReLU gradient has no derivative")
	}
	if len(in) != 1 {
		return nil, fmt.Errorf("conv: ReLU: SymDiff with %d inputs, want 1", len(in))
	}
	dx, err := G.ApplyOp(reluOp{dims: op.dims, grad: true, out: new(keep)}, out, grad)
	if err != nil {
		return nil, fmt.Errorf("conv: ReLU: derivative: %w", err)
	}
	return G.Nodes{dx}, nil
}

// reluInPlace sets x to max(x, 0) (relu32 and relu64 in place).
func reluInPlace[T float](x []T) {
	switch x := any(x).(type) {
	case []float32:
		relu32(x, x)
	case []float64:
		relu64(x, x)
	}
}

// maskInto sets dst = g where y > 0 and 0 elsewhere, for y ≥ 0 (a ReLU's
// output): maskGrad32 and maskGrad64.
func maskInto[T float](dst, g, y []T) {
	switch d := any(dst).(type) {
	case []float32:
		maskGrad32(d, any(y).([]float32), any(g).([]float32))
	case []float64:
		maskGrad64(d, any(y).([]float64), any(g).([]float64))
	}
}

// biasReLU32 sets dst = src + b, then max(·, 0) by relu32's rule with
// relu: the same float32 sums and bits as the loop, eight at a time where
// the CPU has AVX2.
func biasReLU32(dst, src []float32, b float32, relu bool) {
	dst = dst[:len(src)]
	if n := len(src) &^ 7; haveVec && n > 0 {
		r := 0
		if relu {
			r = 1
		}
		biasRelu8(&dst[0], &src[0], n, b, r)
		dst, src = dst[n:], src[n:]
	}
	for j, v := range src {
		dst[j] = v + b
	}
	if relu {
		relu32(dst, dst)
	}
}
