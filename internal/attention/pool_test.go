package attention

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// naive is Z = softmax_N(β Q (Y W_K)ᵀ) Y W_V written out element by
// element with math.Exp, in the order of the definition (keys and values
// projected first).
func naive(m dims, y, q, wk, wv []float64) []float64 {
	B, N, d, S, k, dv := m.b, m.n, m.d, m.s, m.k, m.dv
	z := make([]float64, B*S*dv)
	for b := 0; b < B; b++ {
		for s := 0; s < S; s++ {
			sc := make([]float64, N)
			mx := math.Inf(-1)
			for n := 0; n < N; n++ {
				for j := 0; j < k; j++ {
					key := 0.0
					for i := 0; i < d; i++ {
						key += y[(b*N+n)*d+i] * wk[i*k+j]
					}
					sc[n] += m.beta * q[s*k+j] * key
				}
				mx = math.Max(mx, sc[n])
			}
			sum := 0.0
			for n := range sc {
				sc[n] = math.Exp(sc[n] - mx)
				sum += sc[n]
			}
			for n := 0; n < N; n++ {
				for j := 0; j < dv; j++ {
					val := 0.0
					for i := 0; i < d; i++ {
						val += y[(b*N+n)*d+i] * wv[i*dv+j]
					}
					z[(b*S+s)*dv+j] += sc[n] / sum * val
				}
			}
		}
	}
	return z
}

func randn(r *rand.Rand, n int, scale float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = scale * r.NormFloat64()
	}
	return x
}

// poolCase builds a graph with Pool and the loss L = Σ Z ⊙ R.
type poolCase struct {
	m             dims
	g             *G.ExprGraph
	in            []*G.Node
	data          [][]float64
	r             []float64
	loss, z       *G.Node
	grads         []*G.Node
	lossFromInput func([][]float64) float64
}

func newPoolCase(t *testing.T, m dims, seed uint64) *poolCase {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	c := &poolCase{m: m, g: G.NewGraph()}
	names := []string{"y", "q", "wk", "wv"}
	for i, s := range m.shapes() {
		d := randn(r, s.TotalSize(), 1)
		c.data = append(c.data, d)
		c.in = append(c.in, G.NewTensor(c.g, tensor.Float64, len(s), G.WithShape(s...), G.WithName(names[i]),
			G.WithValue(tensor.New(tensor.WithShape(s...), tensor.WithBacking(d)))))
	}
	c.r = randn(r, m.b*m.s*m.dv, 1)
	z, err := Pool(c.in[0], c.in[1], c.in[2], c.in[3], m.beta)
	if err != nil {
		t.Fatal(err)
	}
	c.z = z
	rn := G.NewTensor(c.g, tensor.Float64, 3, G.WithShape(m.b, m.s, m.dv), G.WithName("r"),
		G.WithValue(tensor.New(tensor.WithShape(m.b, m.s, m.dv), tensor.WithBacking(c.r))))
	c.loss = G.Must(G.Sum(G.Must(G.HadamardProd(z, rn))))
	if c.grads, err = G.Grad(c.loss, c.in...); err != nil {
		t.Fatal(err)
	}
	c.lossFromInput = func(x [][]float64) float64 {
		z := naive(m, x[0], x[1], x[2], x[3])
		l := 0.0
		for i, v := range z {
			l += v * c.r[i]
		}
		return l
	}
	return c
}

func (c *poolCase) run(t *testing.T) (z []float64, grads [][]float64) {
	t.Helper()
	vm := G.NewTapeMachine(c.g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	z = append([]float64(nil), c.z.Value().Data().([]float64)...)
	for _, g := range c.grads {
		grads = append(grads, append([]float64(nil), g.Value().Data().([]float64)...))
	}
	return z, grads
}

var cases = []dims{
	{b: 3, n: 5, d: 4, s: 2, k: 3, dv: 2, beta: 0.7},
	{b: 2, n: 16, d: 8, s: 1, k: 8, dv: 16, beta: 1},
	{b: 1, n: 1, d: 1, s: 1, k: 1, dv: 1, beta: 2},
	{b: 4, n: 7, d: 3, s: 5, k: 2, dv: 3, beta: 3},
}

// TestPoolForward: Z against the element-by-element definition.
// Measured: at most 4e-16 relative to the largest |Z|.
func TestPoolForward(t *testing.T) {
	for ci, m := range cases {
		c := newPoolCase(t, m, uint64(ci))
		z, _ := c.run(t)
		want := naive(m, c.data[0], c.data[1], c.data[2], c.data[3])
		scale := 0.0
		for _, v := range want {
			scale = math.Max(scale, math.Abs(v))
		}
		for i := range want {
			if e := math.Abs(z[i]-want[i]) / scale; e > 1e-14 {
				t.Fatalf("case %d: z[%d] = %v, want %v (error %.1e)", ci, i, z[i], want[i], e)
			}
		}
	}
}

// TestPoolGradient: the gradients with respect to Y, Q, W_K and W_V
// against central differences of the definition (step 1e-6). Measured: at
// most 3e-10 relative to the largest gradient component.
func TestPoolGradient(t *testing.T) {
	for ci, m := range cases {
		c := newPoolCase(t, m, uint64(10+ci))
		_, grads := c.run(t)
		for a, g := range grads {
			scale := 1e-3
			for _, v := range g {
				scale = math.Max(scale, math.Abs(v))
			}
			for i := range g {
				x := c.data[a]
				old := x[i]
				const h = 1e-6
				x[i] = old + h
				lp := c.lossFromInput(c.data)
				x[i] = old - h
				lm := c.lossFromInput(c.data)
				x[i] = old
				fd := (lp - lm) / (2 * h)
				if e := math.Abs(g[i]-fd) / scale; e > 1e-8 {
					t.Fatalf("case %d input %d [%d]: gradient %v, finite differences %v (error %.1e)", ci, a, i, g[i], fd, e)
				}
			}
		}
	}
}

// TestPoolLargeScores: scores of ±1000 (β = 500) give finite weights that
// pick the largest score, as the limit of the softmax says.
func TestPoolLargeScores(t *testing.T) {
	m := dims{b: 2, n: 6, d: 3, s: 2, k: 3, dv: 2, beta: 500}
	c := newPoolCase(t, m, 3)
	z, grads := c.run(t)
	want := naive(m, c.data[0], c.data[1], c.data[2], c.data[3])
	for i := range z {
		if math.IsNaN(z[i]) || math.Abs(z[i]-want[i]) > 1e-12*(1+math.Abs(want[i])) {
			t.Fatalf("z[%d] = %v, want %v", i, z[i], want[i])
		}
	}
	for a, g := range grads {
		for i, v := range g {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("gradient %d [%d] is %v", a, i, v)
			}
		}
	}
}

// TestPoolNotTwiceDifferentiable: a second derivative through Pool is an
// error, not a wrong number.
func TestPoolNotTwiceDifferentiable(t *testing.T) {
	c := newPoolCase(t, cases[0], 1)
	s := G.Must(G.Sum(c.grads[1]))
	_, err := G.Grad(s, c.in[1])
	if err == nil || !strings.Contains(err.Error(), "differentiable once") {
		t.Fatalf("Grad of a gradient through Pool: error %v, want one saying Pool is differentiable once", err)
	}
}

func TestPoolErrors(t *testing.T) {
	g := G.NewGraph()
	mk := func(name string, s ...int) *G.Node {
		return G.NewTensor(g, tensor.Float64, len(s), G.WithShape(s...), G.WithName(name))
	}
	y, q, wk, wv := mk("y", 2, 3, 4), mk("q", 1, 5), mk("wk", 4, 5), mk("wv", 4, 6)
	for _, c := range []struct {
		y, q, wk, wv *G.Node
		beta         float64
		want         string
	}{
		{nil, q, wk, wv, 1, "nil node"},
		{y, q, wk, wv, 0, "β must be positive"},
		{y, q, wk, wv, math.Inf(1), "β must be positive"},
		{y, q, mk("wk2", 3, 5), wv, 1, "shapes"},
		{y, mk("q2", 1, 4), wk, wv, 1, "shapes"},
		{mk("y2", 6, 4), q, wk, wv, 1, "shapes"},
		{y, q, wk, G.NewTensor(G.NewGraph(), tensor.Float64, 2, G.WithShape(4, 6), G.WithName("wv")), 1, "different graphs"},
	} {
		_, err := Pool(c.y, c.q, c.wk, c.wv, c.beta)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "attention: ") {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
}
