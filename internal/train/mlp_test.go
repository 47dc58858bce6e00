package train

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/rng"
)

// TestMLPAdamThenLBFGS: the PINN recipe on a small tanh network (1-16-1,
// 49 parameters with broadcast biases) fitting sin(πx) on 64 points: Adam
// then L-BFGS on the same Problem. A 16-unit tanh net fits this smooth
// target far below 1e-5 in mean squared error (seen: 3e-7 after 500
// L-BFGS iterations); 500 Adam steps reach only about 5e-4, so the L-BFGS
// stage must bring a drop of 100× or more.
func TestMLPAdamThenLBFGS(t *testing.T) {
	const n, h = 64, 16
	xs, ys := make([]float64, n), make([]float64, n)
	for i := range xs {
		xs[i] = -1 + 2*float64(i)/(n-1)
		ys[i] = math.Sin(math.Pi * xs[i])
	}
	r := rng.New(1)
	randn := func(k int, scale float64) []float64 {
		out := make([]float64, k)
		for i := range out {
			out[i] = scale * r.NormFloat64()
		}
		return out
	}
	g := G.NewGraph()
	dense := func(v []float64, shape ...int) *tensor.Dense {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
	}
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(n, 1), G.WithName("x"), G.WithValue(dense(xs, n, 1)))
	y := G.NewMatrix(g, tensor.Float64, G.WithShape(n, 1), G.WithName("y"), G.WithValue(dense(ys, n, 1)))
	W1 := G.NewMatrix(g, tensor.Float64, G.WithShape(1, h), G.WithName("W1"), G.WithValue(dense(randn(h, 1), 1, h)))
	b1 := G.NewMatrix(g, tensor.Float64, G.WithShape(1, h), G.WithName("b1"), G.WithValue(dense(make([]float64, h), 1, h)))
	W2 := G.NewMatrix(g, tensor.Float64, G.WithShape(h, 1), G.WithName("W2"), G.WithValue(dense(randn(h, 1/math.Sqrt(h)), h, 1)))
	b2 := G.NewScalar(g, tensor.Float64, G.WithName("b2"), G.WithValue(0.0))
	a := G.Must(G.Tanh(G.Must(G.BroadcastAdd(G.Must(G.Mul(x, W1)), b1, nil, []byte{0}))))
	pred := G.Must(G.Add(G.Must(G.Mul(a, W2)), b2))
	loss := G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(pred, y))))))
	p := Problem{Graph: g, Loss: loss, Params: []*G.Node{W1, b1, W2, b2}}

	ha, err := Run(p, Adam{LR: 0.01}, Config{Steps: 500})
	if err != nil {
		t.Fatal(err)
	}
	hl, err := Run(p, LBFGS{}, Config{Steps: 500})
	if err != nil {
		t.Fatal(err)
	}
	adam, final := ha.Loss[len(ha.Loss)-1], hl.Loss[len(hl.Loss)-1]
	t.Logf("MSE: start %.3g, after Adam %.3g, after L-BFGS %.3g (%d iterations, %s)", ha.Loss[0], adam, final, hl.Steps, hl.Stop)
	if !(final < 1e-5) || !(final < adam/100) {
		t.Errorf("MSE after Adam %.3g, after L-BFGS %.3g; want L-BFGS below 1e-5 and 100× below Adam", adam, final)
	}
}
