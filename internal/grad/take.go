package grad

import (
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// takeOp is the core's slice: it takes block b of its input. Its derivative
// is putOp of the same block.
type takeOp struct{ b block }

var _ G.SDOp = takeOp{}

// take returns the block b of x.
func take(x *G.Node, b block) (*G.Node, error) { return G.ApplyOp(takeOp{b}, x) }

func (op takeOp) Arity() int { return 1 }
func (op takeOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(nodeType(op.b.in, a), nodeType(op.b.out, a))
}
func (op takeOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return op.b.out.Clone(), nil }
func (op takeOp) Do(inputs ...G.Value) (G.Value, error) {
	return runBlock(op.b, true, op.String(), inputs)
}
func (op takeOp) ReturnsPtr() bool      { return false }
func (op takeOp) CallsExtern() bool     { return false }
func (op takeOp) OverwritesInput() int  { return -1 }
func (op takeOp) WriteHash(h hash.Hash) { op.b.writeHash(h, "take") }
func (op takeOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}
func (op takeOp) String() string     { return "take" + op.b.String() }
func (op takeOp) DiffWRT(int) []bool { return []bool{true} }
func (op takeOp) SymDiff(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	r, err := put(grad, op.b)
	return G.Nodes{r}, err
}
