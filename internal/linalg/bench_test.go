package linalg

import (
	"fmt"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// BenchmarkSolve times one tape-machine run of x = Solve(A, b) for a batch
// of 256 systems (forward only), and of the forward and backward pass of
// L = Σx with respect to A and b (".../grad").
func BenchmarkSolve(b *testing.B) {
	for _, n := range []int{2, 16} {
		for _, grad := range []bool{false, true} {
			name := fmt.Sprintf("B=256/n=%d", n)
			if grad {
				name += "/grad"
			}
			b.Run(name, func(b *testing.B) {
				const nb = 256
				a, rhs := wellConditioned(newRand(1), nb, n)
				g := G.NewGraph()
				an := input(g, "A", a, nb, n, n)
				bn := input(g, "b", rhs, nb, n)
				x, err := Solve(an, bn)
				if err != nil {
					b.Fatal(err)
				}
				if grad {
					loss, err := G.Sum(x)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := G.Grad(loss, an, bn); err != nil {
						b.Fatal(err)
					}
				}
				m := G.NewTapeMachine(g)
				defer m.Close()
				b.ResetTimer()
				for b.Loop() {
					if err := m.RunAll(); err != nil {
						b.Fatal(err)
					}
					m.Reset()
				}
			})
		}
	}
}

// BenchmarkSolveOp times the Op's kernel alone (LU and solve of 256
// systems into a reused output), without the tape machine's overhead.
func BenchmarkSolveOp(b *testing.B) {
	for _, n := range []int{2, 16} {
		b.Run(fmt.Sprintf("B=256/n=%d", n), func(b *testing.B) {
			const nb = 256
			a, rhs := wellConditioned(newRand(1), nb, n)
			at := tensor.New(tensor.WithShape(nb, n, n), tensor.WithBacking(a))
			bt := tensor.New(tensor.WithShape(nb, n), tensor.WithBacking(rhs))
			out := tensor.New(tensor.WithShape(nb, n), tensor.Of(tensor.Float64))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := (solveOp{}).UsePreallocDo(out, at, bt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
