package linalg_test

import (
	"fmt"

	"github.com/physbias/physbias/internal/linalg"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Solve two 2×2 systems in one node and take the gradient of Σx with
// respect to b, which is A⁻ᵀ·1.
func ExampleSolve() {
	g := G.NewGraph()
	a := G.NewTensor(g, tensor.Float64, 3, G.WithName("A"), G.WithValue(tensor.New(
		tensor.WithShape(2, 2, 2),
		tensor.WithBacking([]float64{
			2, 1, 1, 3, // A[0]
			0, 1, 1, 0, // A[1]: needs a row swap
		}))))
	b := G.NewTensor(g, tensor.Float64, 2, G.WithName("b"), G.WithValue(tensor.New(
		tensor.WithShape(2, 2),
		tensor.WithBacking([]float64{3, 5, 2, 3}))))
	x, err := linalg.Solve(a, b)
	if err != nil {
		fmt.Println(err)
		return
	}
	sum, err := G.Sum(x)
	if err != nil {
		fmt.Println(err)
		return
	}
	grads, err := G.Grad(sum, b)
	if err != nil {
		fmt.Println(err)
		return
	}
	var xv, gb G.Value
	G.Read(x, &xv)
	G.Read(grads[0], &gb)
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("x     = %.2f\n", xv.Data())
	fmt.Printf("∂Σx/∂b = %.2f\n", gb.Data())
	// Output:
	// x     = [0.80 1.40 3.00 2.00]
	// ∂Σx/∂b = [0.40 0.20 1.00 1.00]
}

// A singular system makes the run fail with an error that names the batch
// element.
func ExampleAsSingular() {
	g := G.NewGraph()
	a := G.NewTensor(g, tensor.Float64, 3, G.WithName("A"), G.WithValue(tensor.New(
		tensor.WithShape(2, 2, 2),
		tensor.WithBacking([]float64{1, 0, 0, 1, 1, 2, 2, 4}))))
	b := G.NewTensor(g, tensor.Float64, 2, G.WithName("b"), G.WithValue(tensor.New(
		tensor.WithShape(2, 2),
		tensor.WithBacking([]float64{1, 1, 1, 1}))))
	if _, err := linalg.Solve(a, b); err != nil {
		fmt.Println(err)
		return
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	err := m.RunAll()
	if se, ok := linalg.AsSingular(err); ok {
		fmt.Println(se)
		fmt.Println("batch element:", se.Batch)
	}
	// Output:
	// linalg: Solve: batch element 1: matrix is singular (pivot 0 at column 1, max|A| 4)
	// batch element: 1
}
