package attention

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// naiveAttend is softmax(β Q Kᵀ) V per batch item, element by element with
// math.Exp.
func naiveAttend(m adims, q, k, v []float64) []float64 {
	B, S, N, K, dv := m.b, m.s, m.n, m.k, m.dv
	z := make([]float64, B*S*dv)
	for b := 0; b < B; b++ {
		for s := 0; s < S; s++ {
			sc := make([]float64, N)
			mx := math.Inf(-1)
			for n := range sc {
				for j := 0; j < K; j++ {
					sc[n] += m.beta * q[(b*S+s)*K+j] * k[(b*N+n)*K+j]
				}
				mx = math.Max(mx, sc[n])
			}
			sum := 0.0
			for n := range sc {
				sc[n] = math.Exp(sc[n] - mx)
				sum += sc[n]
			}
			for n := range sc {
				for j := 0; j < dv; j++ {
					z[(b*S+s)*dv+j] += sc[n] / sum * v[(b*N+n)*dv+j]
				}
			}
		}
	}
	return z
}

// TestAttend: Z against the definition (measured: 4e-16 relative to the
// largest |Z|) and dQ, dK, dV against central differences of L = Σ Z ⊙ R
// (step 1e-6; measured: 2e-10 relative to the largest component).
func TestAttend(t *testing.T) {
	for ci, m := range []adims{
		{b: 3, s: 2, n: 5, k: 4, dv: 3, beta: 0.8},
		{b: 2, s: 16, n: 16, k: 8, dv: 8, beta: 1 / math.Sqrt(8)},
		{b: 1, s: 1, n: 1, k: 1, dv: 1, beta: 2},
	} {
		r := rand.New(rand.NewPCG(uint64(ci), 3))
		g := G.NewGraph()
		var in []*G.Node
		var data [][]float64
		for i, s := range m.shapes() {
			d := randn(r, s.TotalSize(), 1)
			data = append(data, d)
			in = append(in, G.NewTensor(g, tensor.Float64, 3, G.WithShape(s...), G.WithName([]string{"q", "k", "v"}[i]),
				G.WithValue(tensor.New(tensor.WithShape(s...), tensor.WithBacking(d)))))
		}
		rr := randn(r, m.b*m.s*m.dv, 1)
		z, err := Attend(in[0], in[1], in[2], m.beta)
		if err != nil {
			t.Fatal(err)
		}
		rn := G.NewTensor(g, tensor.Float64, 3, G.WithShape(m.b, m.s, m.dv), G.WithName("r"),
			G.WithValue(tensor.New(tensor.WithShape(m.b, m.s, m.dv), tensor.WithBacking(rr))))
		loss := G.Must(G.Sum(G.Must(G.HadamardProd(z, rn))))
		grads, err := G.Grad(loss, in...)
		if err != nil {
			t.Fatal(err)
		}
		vm := G.NewTapeMachine(g)
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		want := naiveAttend(m, data[0], data[1], data[2])
		got := z.Value().Data().([]float64)
		scale := 0.0
		for _, v := range want {
			scale = math.Max(scale, math.Abs(v))
		}
		for i := range want {
			if e := math.Abs(got[i]-want[i]) / scale; e > 1e-14 {
				t.Fatalf("case %d: z[%d] = %v, want %v", ci, i, got[i], want[i])
			}
		}
		lossAt := func() float64 {
			z := naiveAttend(m, data[0], data[1], data[2])
			l := 0.0
			for i, v := range z {
				l += v * rr[i]
			}
			return l
		}
		for a, gn := range grads {
			gv := gn.Value().Data().([]float64)
			gs := 1e-3
			for _, v := range gv {
				gs = math.Max(gs, math.Abs(v))
			}
			for i := range gv {
				old := data[a][i]
				const h = 1e-6
				data[a][i] = old + h
				lp := lossAt()
				data[a][i] = old - h
				lm := lossAt()
				data[a][i] = old
				if fd := (lp - lm) / (2 * h); math.Abs(gv[i]-fd)/gs > 1e-8 {
					t.Fatalf("case %d input %d [%d]: gradient %v, finite differences %v", ci, a, i, gv[i], fd)
				}
			}
		}
		vm.Close()
	}
}

// TestAttendSharedKeyValue: k and v the same node (the modern Hopfield
// update ξ ← softmax(β ξ Xᵀ) X) gives the sum of both gradients.
func TestAttendSharedKeyValue(t *testing.T) {
	m := adims{b: 2, s: 3, n: 4, k: 3, dv: 3, beta: 1.3}
	r := rand.New(rand.NewPCG(9, 9))
	g := G.NewGraph()
	qd, xd := randn(r, m.b*m.s*m.k, 1), randn(r, m.b*m.n*m.k, 1)
	q := G.NewTensor(g, tensor.Float64, 3, G.WithShape(m.b, m.s, m.k), G.WithName("q"),
		G.WithValue(tensor.New(tensor.WithShape(m.b, m.s, m.k), tensor.WithBacking(qd))))
	x := G.NewTensor(g, tensor.Float64, 3, G.WithShape(m.b, m.n, m.k), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(m.b, m.n, m.k), tensor.WithBacking(xd))))
	z, err := Attend(q, x, x, m.beta)
	if err != nil {
		t.Fatal(err)
	}
	loss := G.Must(G.Sum(G.Must(G.Square(z))))
	grads, err := G.Grad(loss, x)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	gx := grads[0].Value().Data().([]float64)
	lossAt := func() float64 {
		l := 0.0
		for _, v := range naiveAttend(m, qd, xd, xd) {
			l += v * v
		}
		return l
	}
	for i := range xd {
		old := xd[i]
		xd[i] = old + 1e-6
		lp := lossAt()
		xd[i] = old - 1e-6
		lm := lossAt()
		xd[i] = old
		if fd := (lp - lm) / 2e-6; math.Abs(gx[i]-fd) > 1e-8*(1+math.Abs(fd)) {
			t.Fatalf("dX[%d] = %v, finite differences %v", i, gx[i], fd)
		}
	}
	s := G.Must(G.Sum(grads[0]))
	if _, err := G.Grad(s, q); err == nil || !strings.Contains(err.Error(), "differentiable once") {
		t.Fatalf("second derivative through Attend: error %v, want one saying it is differentiable once", err)
	}
}

func TestAttendErrors(t *testing.T) {
	g := G.NewGraph()
	mk := func(name string, s ...int) *G.Node {
		return G.NewTensor(g, tensor.Float64, len(s), G.WithShape(s...), G.WithName(name))
	}
	q, k, v := mk("q", 2, 3, 4), mk("k", 2, 5, 4), mk("v", 2, 5, 6)
	for _, c := range []struct {
		q, k, v *G.Node
		beta    float64
		want    string
	}{
		{nil, k, v, 1, "nil node"},
		{q, k, v, -1, "β must be positive"},
		{q, mk("k2", 2, 5, 3), v, 1, "shapes"},
		{q, k, mk("v2", 2, 4, 6), 1, "shapes"},
		{q, k, mk("v3", 3, 5, 6), 1, "shapes"},
	} {
		_, err := Attend(c.q, c.k, c.v, c.beta)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "attention: ") {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
}
