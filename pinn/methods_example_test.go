package pinn_test

import (
	"fmt"

	"github.com/physbias/physbias/pinn"
)

// The causal weights of three time slabs: the first always counts fully,
// each later one less the larger the loss before it.
func ExampleCausalWeights() {
	w, err := pinn.CausalWeights(1, []float64{0.5, 0.2, 0.1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.3f\n", w)
	// Output: [1.000 0.607 0.497]
}

// The Allen–Cahn reference: at t = 1 the solution has settled into the
// wells u = ±1 with sharp fronts between them.
func ExampleAllenCahn_Solve() {
	s, err := pinn.AllenCahn{}.Solve(pinn.AllenCahnInitial, 256, 1, 400, 100)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("saved times %v\n", s.T)
	fmt.Printf("u(0.25, 1) = %.2f, u(0.75, 1) = %.2f, u(1, 1) = %.2f\n", s.At(0.25, 1), s.At(0.75, 1), s.At(1, 1))
	// Output:
	// saved times [0 0.25 0.5 0.75 1]
	// u(0.25, 1) = 0.99, u(0.75, 1) = -1.00, u(1, 1) = -1.00
}
