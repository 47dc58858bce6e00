package segment

import (
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/opbuf"
)

// outBuf keeps an op's output tensor from one run to the next. Gorgonia's
// tape machine calls Do without a preallocated value for many nodes
// (gradient nodes among them), so an op would otherwise allocate (and the
// runtime zero) its output on every run: 1.6 MB a step in gnn's
// BenchmarkStepGNN. Like a preallocated value, the kept tensor is
// overwritten by the next run; every op writes all of it. Each node gets
// its own outBuf (made where the op is applied), so one graph must not run
// on two machines at once (as with gorgonia's bound values).
type outBuf struct{ t *tensor.Dense }

// newBuf returns an empty outBuf.
func newBuf() *outBuf { return &outBuf{} }

// output returns the tensor of shape s to write into: prealloc when it
// fits, else the kept tensor when it fits, else a new one, which is kept.
// A nil b keeps nothing.
func (b *outBuf) output(prealloc G.Value, s tensor.Shape, inputs ...[]float64) (*tensor.Dense, []float64) {
	if prealloc == nil && b != nil && b.t != nil {
		prealloc = b.t
	}
	t, d := opbuf.Output(prealloc, s, inputs...)
	if b != nil {
		b.t = t
	}
	return t, d
}
