package linalg

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MatVec returns the batched product y[i] = M[i]·u[i] of float64 nodes
// M (B, n, m) and u (B, m), a node of shape (B, n). It is differentiable with
// respect to both inputs (∂M = ȳuᵀ as an Outer node, ∂u = Mᵀȳ).
func MatVec(m, u *G.Node) (*G.Node, error) { return matVec(m, u, false) }

// MatTVec returns the batched product y[i] = M[i]ᵀ·u[i] of float64 nodes
// M (B, n, m) and u (B, n), a node of shape (B, m), differentiable like
// MatVec.
func MatTVec(m, u *G.Node) (*G.Node, error) { return matVec(m, u, true) }

func matVec(m, u *G.Node, trans bool) (*G.Node, error) {
	return applyBinary(matVecOp{trans: trans, scale: 1}, "M", m, 3, "u", u, 2)
}

// matVecOp is the scaled batched matrix–vector product
// y[i] = scale·M[i]·u[i], or scale·M[i]ᵀ·u[i] when trans is set.
type matVecOp struct {
	binaryOp
	trans bool
	scale float64
}

func (op matVecOp) Type() hm.Type { return binaryType(3, 2, 2) }

func (op matVecOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) { return inferShape(op, ds) }

// outShape checks the shapes of M and u and returns y's.
func (op matVecOp) outShape(ms, us tensor.Shape) (tensor.Shape, error) {
	fn := op.String()
	if len(ms) != 3 || ms[0] < 1 || ms[1] < 1 || ms[2] < 1 {
		return nil, fmt.Errorf("linalg: %s: M has shape %v, want (B, n, m)", fn, ms)
	}
	in, out := ms[2], ms[1]
	if op.trans {
		in, out = out, in
	}
	if len(us) != 2 || us[0] != ms[0] || us[1] != in {
		return nil, fmt.Errorf("linalg: %s: u has shape %v, want (%d, %d) to match M %v", fn, us, ms[0], in, ms)
	}
	return tensor.Shape{ms[0], out}, nil
}

func (op matVecOp) Do(inputs ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, inputs...) }

// UsePreallocDo writes into prealloc when it fits, allocating otherwise.
func (op matVecOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (G.Value, error) {
	_, mat, u, out, y, err := binaryArgs(op, prealloc, inputs)
	if err != nil {
		return nil, err
	}
	ms := inputs[0].Shape()
	nb, n, m := ms[0], ms[1], ms[2]
	for i := range nb {
		mi := mat[i*n*m : (i+1)*n*m]
		if !op.trans {
			ui, yi := u[i*m:i*m+m], y[i*n:i*n+n]
			for r := range n {
				var acc float64
				for k, v := range mi[r*m : r*m+m] {
					acc += v * ui[k]
				}
				yi[r] = op.scale * acc
			}
			continue
		}
		ui, yi := u[i*n:i*n+n], y[i*m:i*m+m]
		clear(yi)
		for r, ur := range ui {
			f := op.scale * ur
			for k, v := range mi[r*m : r*m+m] {
				yi[k] += f * v
			}
		}
	}
	return out, nil
}

func (op matVecOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "linalg.matVecOp{trans=%t,scale=%016x}", op.trans, math.Float64bits(op.scale))
}

func (op matVecOp) Hashcode() uint32 { return hashOf(op) }

func (op matVecOp) String() string {
	name := "MatVec"
	if op.trans {
		name = "MatTVec"
	}
	if op.scale != 1 {
		name += fmt.Sprintf("(×%g)", op.scale)
	}
	return name
}

// SymDiff: for y = s·M u, ∂M = s·ȳ uᵀ and ∂u = s·Mᵀȳ; for y = s·Mᵀu,
// ∂M = s·u ȳᵀ and ∂u = s·M ȳ.
func (op matVecOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if err := symDiffArgs(op, inputs); err != nil {
		return nil, err
	}
	m, u := inputs[0], inputs[1]
	p, q := grad, u
	if op.trans {
		p, q = u, grad
	}
	dm, err := G.ApplyOp(outerOp{scale: op.scale}, p, q)
	if err != nil {
		return nil, fmt.Errorf("linalg: %s: derivative: %w", op, err)
	}
	du, err := G.ApplyOp(matVecOp{trans: !op.trans, scale: op.scale}, m, grad)
	if err != nil {
		return nil, fmt.Errorf("linalg: %s: derivative: %w", op, err)
	}
	return G.Nodes{dm, du}, nil
}
