package train

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// adamProblem is L = Σ ½aᵢ(θᵢ−cᵢ)² + 0.1·Σ θᵢ⁴/4 over a 2×2 matrix W, a
// 2-vector v and a scalar s (θ = W's four entries, v's two, then s); its
// gradient is aᵢ(θᵢ−cᵢ) + 0.1θᵢ³.
var (
	adamA  = []float64{1, 2, 0.5, 3, 0.25, 4, 1.5}
	adamC  = []float64{1, -2, 0.5, 3, -1, 0.2, 2}
	adamX0 = []float64{0.3, 0.1, -0.4, 0.8, 0.05, -0.6, -1}
)

// adamSession is a session over adamProblem with the default Config,
// closed when the test ends.
func adamSession(t *testing.T) (*session, []*G.Node) {
	t.Helper()
	p, params := adamProblem(t)
	cfg, err := Config{}.withDefaults(&p)
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSession(p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.m.Close() })
	return s, params
}

func adamProblem(t *testing.T) (Problem, []*G.Node) {
	t.Helper()
	g := G.NewGraph()
	dense := func(vals []float64, shape ...int) *tensor.Dense {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), vals...)))
	}
	W := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 2), G.WithName("W"), G.WithValue(dense(adamX0[:4], 2, 2)))
	v := G.NewVector(g, tensor.Float64, G.WithShape(2), G.WithName("v"), G.WithValue(dense(adamX0[4:6], 2)))
	s := G.NewScalar(g, tensor.Float64, G.WithName("s"), G.WithValue(adamX0[6]))
	half, k := G.NewConstant(0.5), G.NewConstant(0.1/4)
	term := func(x, a, c *G.Node) *G.Node {
		q := G.Must(G.HadamardProd(a, G.Must(G.Square(G.Must(G.Sub(x, c))))))
		quart := G.Must(G.Square(G.Must(G.Square(x))))
		e := G.Must(G.Add(G.Must(G.Mul(half, q)), G.Must(G.Mul(k, quart))))
		if x.IsScalar() {
			return e
		}
		return G.Must(G.Sum(e))
	}
	lw := term(W, G.NewConstant(dense(adamA[:4], 2, 2)), G.NewConstant(dense(adamC[:4], 2, 2)))
	lv := term(v, G.NewConstant(dense(adamA[4:6], 2)), G.NewConstant(dense(adamC[4:6], 2)))
	ls := term(s, G.NewConstant(adamA[6]), G.NewConstant(adamC[6]))
	loss := G.Must(G.Add(G.Must(G.Add(lw, lv)), ls))
	params := []*G.Node{W, v, s}
	return Problem{Graph: g, Loss: loss, Params: params}, params
}

// torchAdam is torch.optim.Adam's single-tensor update (amsgrad off),
// written out from PyTorch's documentation and source, with gradient-norm
// clipping as torch.nn.utils.clip_grad_norm_ does it before the step.
func torchAdam(x []float64, steps int, lr, b1, b2, eps, wd, clip float64) []float64 {
	x = append([]float64(nil), x...)
	m := make([]float64, len(x))
	v := make([]float64, len(x))
	g := make([]float64, len(x))
	for t := 1; t <= steps; t++ {
		var ss float64
		for i := range x {
			g[i] = adamA[i]*(x[i]-adamC[i]) + 0.1*x[i]*x[i]*x[i]
			ss += g[i] * g[i]
		}
		if clip > 0 {
			if c := clip / (math.Sqrt(ss) + 1e-6); c < 1 {
				for i := range g {
					g[i] *= c
				}
			}
		}
		bc1 := 1 - math.Pow(b1, float64(t))
		bc2 := 1 - math.Pow(b2, float64(t))
		for i := range x {
			gi := g[i] + wd*x[i]
			m[i] += (gi - m[i]) * (1 - b1) // exp_avg.lerp_(grad, 1-beta1)
			v[i] = v[i]*b2 + (1-b2)*gi*gi
			denom := math.Sqrt(v[i])/math.Sqrt(bc2) + eps
			x[i] -= lr / bc1 * m[i] / denom
		}
	}
	return x
}

// TestAdamMatchesPyTorch: train's in-place Adam, as Run drives it, follows
// PyTorch's Adam step for step, with and without weight decay and norm
// clipping, on a matrix, a vector and a scalar parameter. The two differ only in
// rounding (PyTorch divides √v by √(1−β2ᵗ); the graph's gradient is not
// the closed-form one bit for bit), so after 200 steps they agree to
// 1e-12 (seen: ≤ 5e-16). Not longer: with β2 = 0.95 this problem enters
// Adam's unstable regime near step 250, where any rounding difference grows
// about 100× every 10 steps (seen: 4e-15 at step 250, 7e-9 at step 270).
func TestAdamMatchesPyTorch(t *testing.T) {
	for _, c := range []struct {
		name string
		opt  Adam
	}{
		{"defaults", Adam{}},
		{"lr 0.05", Adam{LR: 0.05}},
		{"betas", Adam{LR: 0.02, Beta1: 0.8, Beta2: 0.95, Eps: 1e-6}},
		{"weight decay", Adam{LR: 0.05, WeightDecay: 0.3}},
		{"clip", Adam{LR: 0.05, ClipNorm: 0.5}},
		{"decay and clip", Adam{LR: 0.05, WeightDecay: 0.1, ClipNorm: 1}},
	} {
		p, params := adamProblem(t)
		const steps = 200
		if _, err := Run(p, c.opt, Config{Steps: steps}); err != nil {
			t.Fatal(err)
		}
		got, _ := Values(params)
		d, _ := c.opt.withDefaults()
		want := torchAdam(adamX0, steps, d.LR, d.Beta1, d.Beta2, d.Eps, d.WeightDecay, d.ClipNorm)
		worst := 0.0
		for i := range want {
			worst = math.Max(worst, math.Abs(got[i]-want[i]))
			if math.Abs(got[i]-want[i]) > 1e-12 {
				t.Errorf("%s: θ[%d] = %.15f, PyTorch's Adam %.15f", c.name, i, got[i], want[i])
			}
		}
		t.Logf("%s: largest difference from PyTorch's Adam after %d steps: %.1e", c.name, steps, worst)
	}
}

// TestAdamLossIsBeforeUpdate: History.Loss[k] is the loss at the
// parameters before step k+1's update; step 1 sees the initial values.
func TestAdamLossIsBeforeUpdate(t *testing.T) {
	p, _ := adamProblem(t)
	h, err := Run(p, Adam{}, Config{Steps: 2})
	if err != nil {
		t.Fatal(err)
	}
	var want float64
	for i, x := range adamX0 {
		want += 0.5*adamA[i]*(x-adamC[i])*(x-adamC[i]) + 0.1*x*x*x*x/4
	}
	if math.Abs(h.Loss[0]-want) > 1e-13 {
		t.Errorf("first loss %.15g, want %.15g", h.Loss[0], want)
	}
}
