package energy_test

import (
	"fmt"

	"github.com/physbias/physbias/energy"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// A user's own energy as a gorgonia graph: E(x) = ½‖x − μ‖² with a
// trainable μ, sampled by Langevin dynamics with the exact ∇ₓE of the
// core's autodiff.
func ExampleNewNetwork() {
	net := energy.NetworkFunc(func(g *G.ExprGraph, x *G.Node) (*G.Node, []*G.Node, error) {
		mu := G.NewMatrix(g, tensor.Float64, G.WithShape(1, 2), G.WithName("mu"),
			G.WithValue(tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float64{3, -1}))))
		half := G.NewConstant(tensor.New(tensor.WithShape(2, 1), tensor.WithBacking([]float64{0.5, 0.5})), G.WithName("half"))
		d, err := G.BroadcastSub(x, mu, nil, []byte{0})
		if err != nil {
			return nil, nil, err
		}
		sq, err := G.Square(d)
		if err != nil {
			return nil, nil, err
		}
		e, err := G.Mul(sq, half) // (B, 1)
		return e, []*G.Node{mu}, err
	})
	m, err := energy.NewNetwork(2, net)
	if err != nil {
		fmt.Println(err)
		return
	}
	g, _ := m.Grad([][]float64{{0, 0}})
	fmt.Printf("∇E(0) = %.1f\n", g[0])
	x0 := make([][]float64, 1000)
	for i := range x0 {
		x0[i] = []float64{0, 0}
	}
	res, err := m.Langevin(x0, energy.LangevinConfig{Steps: 500, StepSize: 0.1, Metropolis: true, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	mean, _ := moments(res.X)
	fmt.Printf("sample mean ≈ %.1f (μ = [3 -1])\n", mean)
	// Output:
	// ∇E(0) = [-3.0 1.0]
	// sample mean ≈ [3.0 -1.0] (μ = [3 -1])
}
