package linalg

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Outer returns the batched outer product C[i] = u[i]·v[i]ᵀ of float64 nodes
// u (B, n) and v (B, m), a node of shape (B, n, m). It is differentiable with
// respect to both inputs (∂u = C̄v, ∂v = C̄ᵀu, as MatVec and MatTVec nodes).
func Outer(u, v *G.Node) (*G.Node, error) {
	return applyBinary(outerOp{scale: 1}, "u", u, 2, "v", v, 2)
}

// outerOp is the scaled batched outer product C[i] = scale·u[i]·v[i]ᵀ.
type outerOp struct {
	binaryOp
	scale float64
}

func (op outerOp) Type() hm.Type { return binaryType(2, 2, 3) }

func (op outerOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) { return inferShape(op, ds) }

// outShape checks the shapes of u and v and returns C's.
func (op outerOp) outShape(us, vs tensor.Shape) (tensor.Shape, error) {
	fn := op.String()
	if len(us) != 2 || len(vs) != 2 || us[0] != vs[0] || us[0] < 1 || us[1] < 1 || vs[1] < 1 {
		return nil, fmt.Errorf("linalg: %s: u has shape %v and v %v, want (B, n) and (B, m)", fn, us, vs)
	}
	return tensor.Shape{us[0], us[1], vs[1]}, nil
}

func (op outerOp) Do(inputs ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, inputs...) }

// UsePreallocDo writes into prealloc when it fits, allocating otherwise.
func (op outerOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (G.Value, error) {
	s, u, v, out, c, err := binaryArgs(op, prealloc, inputs)
	if err != nil {
		return nil, err
	}
	nb, n, m := s[0], s[1], s[2]
	for i := range nb {
		ui, vi := u[i*n:i*n+n], v[i*m:i*m+m]
		ci := c[i*n*m : (i+1)*n*m]
		for r, ur := range ui {
			f := op.scale * ur
			row := ci[r*m : r*m+m]
			for k, vk := range vi {
				row[k] = f * vk
			}
		}
	}
	return out, nil
}

func (op outerOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "linalg.outerOp{scale=%016x}", math.Float64bits(op.scale))
}

func (op outerOp) Hashcode() uint32 { return hashOf(op) }

func (op outerOp) String() string {
	if op.scale == 1 {
		return "Outer"
	}
	return fmt.Sprintf("Outer(×%g)", op.scale)
}

// SymDiff: for C = s·u vᵀ, ∂u = s·C̄ v and ∂v = s·C̄ᵀ u.
func (op outerOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if err := symDiffArgs(op, inputs); err != nil {
		return nil, err
	}
	du, err := G.ApplyOp(matVecOp{scale: op.scale}, grad, inputs[1])
	if err != nil {
		return nil, fmt.Errorf("linalg: %s: derivative: %w", op, err)
	}
	dv, err := G.ApplyOp(matVecOp{trans: true, scale: op.scale}, grad, inputs[0])
	if err != nil {
		return nil, fmt.Errorf("linalg: %s: derivative: %w", op, err)
	}
	return G.Nodes{du, dv}, nil
}
