package ad_test

import (
	"fmt"
	"math"

	"github.com/physbias/physbias/internal/ad"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The input Hessian of a one-hidden-layer tanh network, f(x) = Σ_k v_k
// tanh(w_kᵀx + b_k), as a graph node, next to its closed form
// H = Σ_k v_k tanh″(w_kᵀx + b_k) w_k w_kᵀ.
func ExampleMLP_Hessian() {
	g := G.NewGraph()
	m, err := ad.NewMLP(g, "f", []int{2, 3, 1}, ad.Tanh, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	xv := []float64{0.5, -1}
	x := G.NewMatrix(g, G.Float64, G.WithShape(1, 2), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(1, 2), tensor.WithBacking(xv))))
	h, err := m.Hessian(x) // (1, 2, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	var hv G.Value
	G.Read(h, &hv)
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		fmt.Println(err)
		return
	}

	// The closed form from the parameters (biases start at zero).
	p := m.Params()
	W := p[0].Value().Data().([]float64) // (2, 3)
	v := p[2].Value().Data().([]float64) // (3, 1)
	var want [4]float64
	for k := 0; k < 3; k++ {
		th := math.Tanh(W[k]*xv[0] + W[3+k]*xv[1])
		t2 := -2 * th * (1 - th*th)
		for i := 0; i < 2; i++ {
			for j := 0; j < 2; j++ {
				want[i*2+j] += v[k] * t2 * W[i*3+k] * W[j*3+k]
			}
		}
	}
	got := hv.Data().([]float64)
	for i := 0; i < 2; i++ {
		fmt.Printf("graph  [% .4f % .4f]   closed form [% .4f % .4f]\n",
			got[2*i], got[2*i+1], want[2*i], want[2*i+1])
	}
	diff := 0.0
	for i := range want {
		diff = math.Max(diff, math.Abs(got[i]-want[i]))
	}
	fmt.Println("agree to 1e-12:", diff < 1e-12)
	// Output:
	// graph  [-0.1310  0.5686]   closed form [-0.1310  0.5686]
	// graph  [ 0.5686  1.1297]   closed form [ 0.5686  1.1297]
	// agree to 1e-12: true
}
