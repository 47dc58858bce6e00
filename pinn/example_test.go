package pinn_test

import (
	"bytes"
	"context"
	"fmt"
	"math"

	"github.com/physbias/physbias/pinn"
)

// Solve the heat equation u_t = 0.1 u_xx on [0, 1] × [0, 1] with
// u(0,t) = u(1,t) = 0 and u(x,0) = sin πx, and compare with the closed form.
func Example() {
	const kappa = 0.1
	p := pinn.Problem{
		Domain: pinn.Domain{Space: []pinn.Interval{{Lo: 0, Hi: 1}}, Time: pinn.Interval{Lo: 0, Hi: 1}},
		Residual: func(f *pinn.Fields) (*pinn.Node, error) {
			return f.Sub(f.Ut(), f.Scale(kappa, f.Uxx(0))), nil
		},
		Conditions: []pinn.Condition{
			{Kind: pinn.Dirichlet, Dim: 0}, // u = 0 on both faces
			{Kind: pinn.Initial, Value: func(p []float64) float64 { return math.Sin(math.Pi * p[0]) }},
		},
	}
	m, err := pinn.New(p, pinn.Config{Hidden: []int{16, 16}, Collocation: 300, BoundaryPoints: 50, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := m.Train(context.Background(), pinn.TrainConfig{Phases: []pinn.Phase{pinn.Adam{Steps: 300, LR: 1e-2}, pinn.LBFGS{MaxIter: 500}}}); err != nil {
		fmt.Println(err)
		return
	}
	exact := pinn.Heat{Kappa: kappa}
	u, _ := m.Predict([][]float64{{0.5, 0.5}})
	fmt.Printf("u(0.5, 0.5) = %.3f (exact %.3f)\n", u[0], exact.U(0.5, 0.5))
	// Output:
	// u(0.5, 0.5) = 0.610 (exact 0.610)
}

// Learn the diffusivity κ of u_t = κ u_xx from observations of the solution.
func Example_inverse() {
	truth := pinn.Heat{Kappa: 0.1}
	dom := pinn.Domain{Space: []pinn.Interval{{Lo: 0, Hi: 1}}, Time: pinn.Interval{Lo: 0, Hi: 1}}
	x, _ := dom.Sample(200, pinn.LatinHypercube, 7)
	data := &pinn.Data{X: x}
	for _, q := range x {
		data.U = append(data.U, truth.U(q[0], q[1]))
	}
	p := pinn.Problem{
		Domain: dom,
		Residual: func(f *pinn.Fields) (*pinn.Node, error) {
			return f.Sub(f.Ut(), f.Mul(f.Coef("kappa"), f.Uxx(0))), nil
		},
		Data:     data,
		Unknowns: []pinn.Unknown{{Name: "kappa", Init: 0.03, Positive: true}},
	}
	m, err := pinn.New(p, pinn.Config{Hidden: []int{16, 16}, Collocation: 300, Seed: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := m.Train(context.Background(), pinn.TrainConfig{Phases: []pinn.Phase{pinn.Adam{Steps: 300, LR: 1e-2}, pinn.LBFGS{MaxIter: 500}}}); err != nil {
		fmt.Println(err)
		return
	}
	k, _ := m.Coef("kappa")
	fmt.Printf("κ = %.3f\n", k)
	// Output:
	// κ = 0.100
}

// The exact Burgers solution of the benchmark, by the Cole–Hopf transform.
func ExampleBurgers() {
	b, err := pinn.NewBurgers(pinn.BurgersNu, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("u(0.5, 0.5) = %.6f, u_x(0, 1.6037/π) = %.3f\n", b.U(0.5, 0.5), b.Ux(0, 1.6037/math.Pi))
	// Output:
	// u(0.5, 0.5) = -0.592770, u_x(0, 1.6037/π) = -152.005
}

// Solve a steady problem of one's own, ask for derivatives at new points,
// and save and load the trained model: −u″ = π² sin πx on [0, 1] with
// u(0) = u(1) = 0 built into the output, whose solution is sin πx.
func ExampleModel_Save() {
	p := pinn.Problem{
		Domain: pinn.Domain{Space: []pinn.Interval{{Lo: 0, Hi: 1}}},
		Residual: func(f *pinn.Fields) (*pinn.Node, error) {
			src := f.Scale(math.Pi*math.Pi, f.Sin(f.Scale(math.Pi, f.X(0))))
			return f.Add(f.Uxx(0), src), nil
		},
		Conditions: []pinn.Condition{{Kind: pinn.Dirichlet, Dim: 0}},
	}
	m, err := pinn.New(p, pinn.Config{Hidden: []int{12, 12}, Collocation: 50, Constraints: pinn.Hard, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := m.Train(context.Background(), pinn.TrainConfig{Phases: []pinn.Phase{pinn.Adam{Steps: 200, LR: 1e-2}, pinn.LBFGS{MaxIter: 300}}}); err != nil {
		fmt.Println(err)
		return
	}
	d, err := m.Derivatives([][]float64{{0}, {0.5}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("u(0.5) = %.3f, u'(0) = %.3f (π), u''(0.5) = %.2f (−π²)\n", d.U[1], d.Ux(0)[0], d.Uxx(0)[1])

	var file bytes.Buffer
	if err := m.Save(&file); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := pinn.Load(&file, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := m.Predict([][]float64{{0.3}})
	b, _ := loaded.Predict([][]float64{{0.3}})
	fmt.Println("loaded model predicts the same bits:", a[0] == b[0])
	// Output:
	// u(0.5) = 1.000, u'(0) = 3.142 (π), u''(0.5) = -9.87 (−π²)
	// loaded model predicts the same bits: true
}
