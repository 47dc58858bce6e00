package build

import (
	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/linalg"
)

// MatVec returns the batched product A·u of A (B, n, m) and u (B, m).
func (b *B) MatVec(a, u *G.Node) *G.Node {
	return b.binary("batched matrix-vector product", linalg.MatVec, a, u)
}

// MatTVec returns the batched product Aᵀ·u of A (B, n, m) and u (B, n).
func (b *B) MatTVec(a, u *G.Node) *G.Node {
	return b.binary("batched transposed matrix-vector product", linalg.MatTVec, a, u)
}

// Outer returns the batched outer products u·vᵀ of u (B, n) and v (B, m).
func (b *B) Outer(u, v *G.Node) *G.Node {
	return b.binary("batched outer product", linalg.Outer, u, v)
}

// Solve returns the batched solution x of A·x = r for A (B, n, n) and r
// (B, n). A singular A is reported when the graph runs, as a
// *linalg.SingularError inside the VM's error.
func (b *B) Solve(a, r *G.Node) *G.Node {
	return b.binary("batched solve", linalg.Solve, a, r)
}
