package grad

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/ad"
)

// primitiveForward is the forward pass of an ad.MLP written with gorgonia's
// own ops on the MLP's parameter nodes.
func primitiveForward(t testing.TB, m *ad.MLP, x *G.Node, act func(*G.Node) (*G.Node, error)) *G.Node {
	must := must(t)
	ps := m.Params()
	a := x
	L := len(ps) / 2
	for l := 0; l < L; l++ {
		z := must(G.BroadcastAdd(must(G.Mul(a, ps[2*l])), ps[2*l+1], nil, []byte{0}))
		if l < L-1 {
			z = must(act(z))
		}
		a = z
	}
	return a
}

// TestAgreesWithFused: on the same network, this package's derivatives agree
// with internal/ad's fused ones: the input gradient of ad's own Forward graph
// (its fused ops are differentiable once), and gradient, Hessian and
// Laplacian of the same network written with gorgonia's ops.
func TestAgreesWithFused(t *testing.T) {
	acts := []struct {
		a  ad.Activation
		fn func(*G.Node) (*G.Node, error)
	}{{ad.Tanh, G.Tanh}, {ad.Softplus, G.Softplus}, {ad.Sin, G.Sin}}
	for _, ac := range acts {
		t.Run(ac.a.String(), func(t *testing.T) {
			must := must(t)
			const B, n = 7, 3
			g := G.NewGraph()
			m, err := ad.NewMLP(g, "m", []int{n, 16, 16, 1}, ac.a, 3)
			if err != nil {
				t.Fatal(err)
			}
			x := input(g, "x", tensor.Shape{B, n}, uniform(4, B*n, -1, 1))
			fg := must(m.InputGrad(x))
			fh := must(m.Hessian(x))
			fl := must(m.Laplacian(x, nil))
			g1 := must(BatchGrad(must(m.Forward(x)), x))
			y := primitiveForward(t, m, x, ac.fn)
			g2 := must(BatchGrad(y, x))
			h2 := must(BatchHessian(y, x))
			l2 := must(BatchLaplacian(y, x))
			v := newEvaluator(t, g, fg, fh, fl, g1, g2, h2, l2).run()
			pairs := []struct {
				name string
				a, b []float64
			}{{"gradient of ad's Forward", v[3], v[0]}, {"gradient", v[4], v[0]}, {"Hessian", v[5], v[1]}, {"Laplacian", v[6], v[2]}}
			for _, p := range pairs {
				worst := 0.0
				for i := range p.b {
					worst = math.Max(worst, math.Abs(p.a[i]-p.b[i]))
				}
				// measured: ≤ 4e-16
				if worst > 1e-12 || len(p.a) != len(p.b) {
					t.Errorf("%s: differs from the fused path by %.2g (%d vs %d values)", p.name, worst, len(p.a), len(p.b))
				}
				t.Logf("%s: largest difference from the fused path %.1e", p.name, worst)
			}
		})
	}
}
