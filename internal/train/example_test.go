package train_test

import (
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
