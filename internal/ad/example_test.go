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

// A PINN's u, u_t, u_x and u_xx from one forward-jet pass, for a network
// with one sine unit, u(t, x) = v·sin(a·t + c·x + b), next to the closed
// forms u_t = a·v·cos(·), u_x = c·v·cos(·), u_xx = −c²·v·sin(·).
func ExampleMLP_Derivatives() {
	g := G.NewGraph()
	m, err := ad.NewMLP(g, "u", []int{2, 1, 1}, ad.Sin, 7)
	if err != nil {
		fmt.Println(err)
		return
	}
	tx := []float64{0.3, -0.6} // (t, x)
	x := G.NewMatrix(g, G.Float64, G.WithShape(1, 2), G.WithName("tx"),
		G.WithValue(tensor.New(tensor.WithShape(1, 2), tensor.WithBacking(tx))))
	d, err := m.Derivatives(x, []int{1}) // second derivative in x only
	if err != nil {
		fmt.Println(err)
		return
	}
	var u, ut, ux, uxx G.Value
	G.Read(d.Value, &u)
	G.Read(d.First[0], &ut)
	G.Read(d.First[1], &ux)
	G.Read(d.Second[0], &uxx)
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	p := m.Params()
	W := p[0].Value().Data().([]float64) // (a, c)
	v := p[2].Value().Data().([]float64)[0]
	s, c := math.Sincos(W[0]*tx[0] + W[1]*tx[1]) // biases start at zero
	at := func(n G.Value) float64 { return n.Data().([]float64)[0] }
	fmt.Printf("u    % .6f  closed form % .6f\n", at(u), v*s)
	fmt.Printf("u_t  % .6f  closed form % .6f\n", at(ut), W[0]*v*c)
	fmt.Printf("u_x  % .6f  closed form % .6f\n", at(ux), W[1]*v*c)
	fmt.Printf("u_xx % .6f  closed form % .6f\n", at(uxx), -W[1]*W[1]*v*s)
	// Output:
	// u     0.049817  closed form  0.049817
	// u_t  -0.051109  closed form -0.051109
	// u_x  -0.108184  closed form -0.108184
	// u_xx -0.003417  closed form -0.003417
}

// After training, Snapshot copies the weights into a Dense, which evaluates
// the network and its input derivatives point by point without a graph (for
// rollouts and plots); wrong buffer sizes are errors.
func ExampleMLP_Snapshot() {
	g := G.NewGraph()
	m, err := ad.NewMLP(g, "L", []int{2, 8, 1}, ad.Softplus, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := m.Snapshot()
	if err != nil {
		fmt.Println(err)
		return
	}
	x := []float64{0.2, -0.4}
	y, grad, h := make([]float64, 1), make([]float64, 2), make([]float64, 4)
	if err := d.Forward(x, y); err != nil {
		fmt.Println(err)
		return
	}
	if err := d.InputGrad(x, grad); err != nil {
		fmt.Println(err)
		return
	}
	if err := d.Hessian(x, h); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("f = %.4f, ∇f = [%.4f %.4f]\n", y[0], grad[0], grad[1])
	fmt.Printf("H = [[%.4f %.4f] [%.4f %.4f]], symmetric: %v\n", h[0], h[1], h[2], h[3], math.Abs(h[1]-h[2]) < 1e-15)
	fmt.Println(d.Forward(x, make([]float64, 3)))
	// Output:
	// f = 0.3379, ∇f = [0.1390 -0.7876]
	// H = [[-0.0150 0.0644] [0.0644 0.0041]], symmetric: true
	// ad: Dense.Forward: output has length 3, want 1
}
