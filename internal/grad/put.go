package grad

import (
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// putOp writes its input into block b of a zero tensor: the adjoint of a
// slice. Its derivative is takeOp of the same block.
type putOp struct{ b block }

var _ G.SDOp = putOp{}

// put returns zeros of shape b.in with x written into block b.
func put(x *G.Node, b block) (*G.Node, error) { return G.ApplyOp(putOp{b}, x) }

func (op putOp) Arity() int { return 1 }
func (op putOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(nodeType(op.b.out, a), nodeType(op.b.in, a))
}
func (op putOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return op.b.in.Clone(), nil }
func (op putOp) Do(inputs ...G.Value) (G.Value, error) {
	return runBlock(op.b, false, op.String(), inputs)
}
func (op putOp) ReturnsPtr() bool      { return false }
func (op putOp) CallsExtern() bool     { return false }
func (op putOp) OverwritesInput() int  { return -1 }
func (op putOp) WriteHash(h hash.Hash) { op.b.writeHash(h, "put") }
func (op putOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}
func (op putOp) String() string     { return "put" + op.b.String() }
func (op putOp) DiffWRT(int) []bool { return []bool{true} }
func (op putOp) SymDiff(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	r, err := take(grad, op.b)
	return G.Nodes{r}, err
}
