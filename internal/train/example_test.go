package train_test

import (
	"bytes"
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/train"
)

// Fit y = 2x + 1 with Adam on minibatches of 8 out of 64 points.
func Example() {
	const n, batch = 64, 8
	xs, ys := make([]float64, n), make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)/n*2 - 1
		ys[i] = 2*xs[i] + 1
	}

	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(batch, 1), G.WithName("x"))
	y := G.NewMatrix(g, tensor.Float64, G.WithShape(batch, 1), G.WithName("y"))
	w := G.NewMatrix(g, tensor.Float64, G.WithShape(1, 1), G.WithName("w"), G.WithInit(G.Zeroes()))
	b := G.NewScalar(g, tensor.Float64, G.WithName("b"), G.WithValue(0.0))
	pred := G.Must(G.Add(G.Must(G.Mul(x, w)), b))
	loss := G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(pred, y))))))
	// Do not call G.Grad: Run does.

	xb, yb := make([]float64, batch), make([]float64, batch)
	feed := func(idx []int) error {
		for k, i := range idx {
			xb[k], yb[k] = xs[i], ys[i]
		}
		if err := G.Let(x, tensor.New(tensor.WithShape(batch, 1), tensor.WithBacking(xb))); err != nil {
			return err
		}
		return G.Let(y, tensor.New(tensor.WithShape(batch, 1), tensor.WithBacking(yb)))
	}

	p := train.Problem{Graph: g, Loss: loss, Params: []*G.Node{w, b}, N: n, Feed: feed}
	h, err := train.Run(p, train.Adam{LR: 0.05}, train.Config{Steps: 2000, BatchSize: batch, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := train.Values(p.Params)
	fmt.Printf("w = %.4f, b = %.4f after %d steps; final loss below 1e-12: %v\n", v[0], v[1], h.Steps, h.Loss[h.Steps-1] < 1e-12)
	// Output:
	// w = 2.0000, b = 1.0000 after 2000 steps; final loss below 1e-12: true
}

// Minimise the Rosenbrock function (1−x)² + 100(y−x²)² over two scalar
// parameters with L-BFGS, from the classic start (−1.2, 1).
func ExampleLBFGS() {
	g := G.NewGraph()
	x := G.NewScalar(g, tensor.Float64, G.WithName("x"), G.WithValue(-1.2))
	y := G.NewScalar(g, tensor.Float64, G.WithName("y"), G.WithValue(1.0))
	a := G.Must(G.Square(G.Must(G.Sub(G.NewConstant(1.0), x))))
	b := G.Must(G.Mul(G.NewConstant(100.0), G.Must(G.Square(G.Must(G.Sub(y, G.Must(G.Square(x))))))))
	p := train.Problem{Graph: g, Loss: G.Must(G.Add(a, b)), Params: []*G.Node{x, y}}

	h, err := train.Run(p, train.LBFGS{GradTol: 1e-10}, train.Config{Steps: 200})
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := train.Values(p.Params)
	fmt.Printf("minimum at (%.6f, %.6f) in under 50 iterations: %v\n", v[0], v[1], h.Steps < 50)
	// Output:
	// minimum at (1.000000, 1.000000) in under 50 iterations: true
}

// Save parameters and load them into a freshly built model with the same
// parameter names.
func ExampleSave() {
	build := func(w0 float64) []*G.Node {
		g := G.NewGraph()
		w := G.NewVector(g, tensor.Float64, G.WithShape(3), G.WithName("w"),
			G.WithValue(tensor.New(tensor.WithShape(3), tensor.WithBacking([]float64{w0, 2 * w0, 3 * w0}))))
		nu := G.NewScalar(g, tensor.Float64, G.WithName("nu"), G.WithValue(w0/10))
		return []*G.Node{w, nu}
	}
	var buf bytes.Buffer
	if err := train.Save(&buf, build(0.5)); err != nil {
		fmt.Println(err)
		return
	}
	fresh := build(0)
	if err := train.Load(&buf, fresh); err != nil {
		fmt.Println(err)
		return
	}
	v, _ := train.Values(fresh)
	fmt.Println(v)
	// Output:
	// [0.5 1 1.5 0.05]
}
