package grad_test

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/grad"
)

// Derivatives of x³ at 2 to the third order, each the Grad of the one
// before (gorgonia's nested G.Grad gives 4 for the second).
func ExampleGrad() {
	g := G.NewGraph()
	x := G.NewScalar(g, G.Float64, G.WithName("x"), G.WithValue(2.0))
	xx, _ := G.HadamardProd(x, x)
	f, _ := G.HadamardProd(xx, x)
	d := []*G.Node{f}
	for k := 0; k < 3; k++ {
		r, err := grad.Grad(d[k], x)
		if err != nil {
			fmt.Println(err)
			return
		}
		d = append(d, r[0])
	}
	vals := make([]G.Value, len(d))
	for i, n := range d {
		G.Read(n, &vals[i])
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(vals[1], vals[2], vals[3])
	// Output: 12 12 6
}

// Per-sample Laplacians of f(x) = Σⱼ xⱼ³ over a batch of two rows: 6·Σⱼ xⱼ.
func ExampleBatchLaplacian() {
	g := G.NewGraph()
	x := G.NewMatrix(g, G.Float64, G.WithShape(2, 3), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{1, 2, 3, -1, 0, 0.5}))))
	c, _ := G.Cube(x)
	f, _ := G.Sum(c, 1) // (2): one value per row
	lap, err := grad.BatchLaplacian(f, x)
	if err != nil {
		fmt.Println(err)
		return
	}
	var v G.Value
	G.Read(lap, &v)
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Data())
	// Output: [36 -3]
}

// The Hessian of f(x) = x₀²·x₁ + sin x₁ at (1, 0): [[2x₁, 2x₀], [2x₀, −sin x₁]].
func ExampleHessian() {
	g := G.NewGraph()
	x := G.NewVector(g, G.Float64, G.WithShape(2), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(2), tensor.WithBacking([]float64{1, 0}))))
	x0, _ := G.Slice(x, G.S(0))
	x1, _ := G.Slice(x, G.S(1))
	sq, _ := G.Square(x0)
	p, _ := G.HadamardProd(sq, x1)
	s, _ := G.Sin(x1)
	f, _ := G.Add(p, s)
	H, err := grad.Hessian(f, x)
	if err != nil {
		fmt.Println(err)
		return
	}
	var v G.Value
	G.Read(H, &v)
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Shape(), v.Data())
	// Output: (2, 2) [0 2 2 0]
}
