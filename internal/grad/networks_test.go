package grad

import (
	"errors"
	"fmt"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// net is a small dense network of gorgonia's own ops (not internal/ad's fused
// ones): z = a·W + b on every layer, act on the hidden ones.
type net struct {
	params []*G.Node
	act    func(*G.Node) (*G.Node, error)
}

func newNet(t testing.TB, g *G.ExprGraph, name string, sizes []int, act func(*G.Node) (*G.Node, error), seed uint64) *net {
	n := &net{act: act}
	for l := 0; l+1 < len(sizes); l++ {
		w := input(g, fmt.Sprintf("%s.W%d", name, l), tensor.Shape{sizes[l], sizes[l+1]}, uniform(seed+uint64(2*l), sizes[l]*sizes[l+1], -0.9, 0.9))
		b := input(g, fmt.Sprintf("%s.b%d", name, l), tensor.Shape{1, sizes[l+1]}, uniform(seed+uint64(2*l+1), sizes[l+1], -0.3, 0.3))
		n.params = append(n.params, w, b)
	}
	return n
}

func (n *net) forward(t testing.TB, x *G.Node) *G.Node {
	must := must(t)
	a := x
	L := len(n.params) / 2
	for l := 0; l < L; l++ {
		z := must(G.BroadcastAdd(must(G.Mul(a, n.params[2*l])), n.params[2*l+1], nil, []byte{0}))
		if l < L-1 {
			z = must(n.act(z))
		}
		a = z
	}
	return a
}

// column returns column j of x (B, n) as a (B, 1) node.
func columnOf(t testing.TB, x *G.Node, j int) *G.Node {
	must := must(t)
	c := must(G.Slice(x, nil, G.S(j))) // (B)
	return must(G.Reshape(c, tensor.Shape{x.Shape()[0], 1}))
}

// checkParams checks G.Grad of the scalar loss with respect to params (as
// train.Run takes it) against finite differences in every parameter.
func checkParams(t *testing.T, g *G.ExprGraph, loss *G.Node, params []*G.Node, tol float64, what string) {
	t.Helper()
	gs, err := G.Grad(loss, params...)
	if err != nil {
		t.Fatalf("%s: G.Grad: %v", what, err)
	}
	e := newEvaluator(t, g, append([]*G.Node{loss}, gs...)...)
	worst := 0.0
	for i, p := range params {
		w := checkJacobian(t, e, 0, 1+i, p, 1e-4, tol, fmt.Sprintf("%s: ∂loss/∂%s", what, p.Name()))
		worst = max(worst, w)
	}
	t.Logf("%s: parameter gradients through second derivatives: largest error %.1e", what, worst)
}

// secondOrderLoss is a loss made of first and second input derivatives of
// the per-sample scalar f (B, 1) with respect to x (B, n), as an HNN, LNN
// or PINN loss is: mean of (∇f)² plus mean of (Δf)² plus the mean square
// of the Hessian's entries.
func secondOrderLoss(t testing.TB, f, x *G.Node) *G.Node {
	must := must(t)
	gr := must(BatchGrad(f, x))
	lap := must(BatchLaplacian(f, x))
	H := must(BatchHessian(f, x))
	l := must(G.Add(must(G.Mean(must(G.Square(gr)))), must(G.Mean(must(G.Square(lap))))))
	return must(G.Add(l, must(G.Mean(must(G.Square(H))))))
}

// The networks of the list: each checked to the third input
// derivative against finite differences, and G.Grad of a loss on its second
// derivatives with respect to its parameters.
func TestNetworks(t *testing.T) {
	type built struct {
		f      *G.Node // (B, 1)
		params []*G.Node
	}
	cases := []struct {
		name  string
		n     int
		build func(t *testing.T, g *G.ExprGraph, x *G.Node) built
	}{
		{"separable H=K(p)+V(q)", 2, func(t *testing.T, g *G.ExprGraph, x *G.Node) built {
			K := newNet(t, g, "K", []int{1, 5, 1}, G.Tanh, 11)
			V := newNet(t, g, "V", []int{1, 4, 4, 1}, G.Softplus, 21)
			q, p := columnOf(t, x, 0), columnOf(t, x, 1)
			f := must(t)(G.Add(K.forward(t, p), V.forward(t, q)))
			// the output biases drop out of every input derivative
			return built{f, append(K.params[:len(K.params)-1], V.params[:len(V.params)-1]...)}
		}},
		{"skip connection", 3, func(t *testing.T, g *G.ExprGraph, x *G.Node) built {
			must := must(t)
			R := newNet(t, g, "R", []int{3, 3}, nil, 31) // one linear layer
			O := newNet(t, g, "O", []int{3, 4, 1}, G.Sin, 41)
			h := must(G.Add(x, must(G.Tanh(R.forward(t, x))))) // x + tanh(xW + b)
			return built{O.forward(t, h), append(R.params, O.params[:len(O.params)-1]...)}
		}},
		{"product of two networks", 2, func(t *testing.T, g *G.ExprGraph, x *G.Node) built {
			A := newNet(t, g, "A", []int{2, 4, 1}, G.Tanh, 51)
			B := newNet(t, g, "B", []int{2, 3, 1}, G.Sigmoid, 61)
			return built{must(t)(G.HadamardProd(A.forward(t, x), B.forward(t, x))), append(A.params, B.params...)}
		}},
		{"quotient of two networks", 2, func(t *testing.T, g *G.ExprGraph, x *G.Node) built {
			must := must(t)
			A := newNet(t, g, "A", []int{2, 4, 1}, G.Tanh, 71)
			B := newNet(t, g, "B", []int{2, 3, 1}, G.Tanh, 81)
			c := G.NewConstant(1.5, G.WithName("c1.5"))
			den := must(G.Add(must(G.Square(B.forward(t, x))), c)) // 1.5 + B², away from 0
			return built{must(G.HadamardDiv(A.forward(t, x), den)), append(A.params, B.params...)}
		}},
		{"logsumexp energy", 3, func(t *testing.T, g *G.ExprGraph, x *G.Node) built {
			must := must(t)
			Z := newNet(t, g, "Z", []int{3, 4, 5}, G.Tanh, 91) // five logits
			z := Z.forward(t, x)                               // (B, 5)
			m := must(G.Max(z, 1))                             // (B)
			s := must(G.Sum(must(G.Exp(must(G.BroadcastSub(z, m, nil, []byte{1})))), 1))
			e := must(G.Neg(must(G.Add(m, must(G.Log(s)))))) // −logΣexp, (B)
			return built{must(G.Reshape(e, tensor.Shape{x.Shape()[0], 1})), Z.params}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			const B = 2
			// input derivatives to the third order
			g := G.NewGraph()
			x := input(g, "x", tensor.Shape{B, tc.n}, uniform(5, B*tc.n, -1, 1))
			b := tc.build(t, g, x)
			f := must(t)(G.Sum(b.f))
			w := orders(t, g, x, f, 1e-3, 1e-8, 3, tc.name)
			t.Logf("%s: input derivatives: errors first %.1e second %.1e third %.1e", tc.name, w[0], w[1], w[2])

			// parameter gradients of a loss built from second derivatives
			g2 := G.NewGraph()
			x2 := input(g2, "x", tensor.Shape{B, tc.n}, uniform(5, B*tc.n, -1, 1))
			b2 := tc.build(t, g2, x2)
			checkParams(t, g2, secondOrderLoss(t, b2.f, x2), b2.params, 1e-7, tc.name)
		})
	}
}

// TestTimeInput: a network of (y, t) with t a scalar input, as node's
// f(y, t): derivatives in t to the third order, the Jacobian in y and a JVP.
func TestTimeInput(t *testing.T) {
	must := must(t)
	const B = 3
	g := G.NewGraph()
	y := input(g, "y", tensor.Shape{B, 2}, uniform(3, 2*B, -1, 1))
	tt := input(g, "t", nil, []float64{0.4})
	N := newNet(t, g, "F", []int{3, 5, 2}, G.Tanh, 101)
	onesCol := G.NewConstant(tensor.New(tensor.WithShape(B, 1), tensor.WithBacking([]float64{1, 1, 1})), G.WithName("ones.B1"))
	tcol := must(G.HadamardProd(onesCol, tt))     // (B, 1) of t
	f := N.forward(t, must(G.Concat(1, y, tcol))) // (B, 2)
	fs := must(G.Sum(must(G.Cube(f))))
	w := orders(t, g, tt, fs, 1e-3, 1e-8, 3, "f(y,t) in t")
	t.Logf("in t: errors first %.1e second %.1e third %.1e", w[0], w[1], w[2])

	J := must(BatchJacobian(f, y)) // (B, 2, 2)
	v := input(g, "v", tensor.Shape{B, 2}, uniform(4, 2*B, -1, 1))
	jv := must(JVP(f, y, v)) // (B, 2)
	e := newEvaluator(t, g, f, J, jv)
	vals := e.run()
	fd := fdJacobian(t, e, 0, y, 1e-3) // (B·2, B·2)
	vv := data(t, v)
	for b := 0; b < B; b++ {
		for i := 0; i < 2; i++ {
			want := 0.0
			for j := 0; j < 2; j++ {
				got := vals[1][b*4+i*2+j]
				fdv := fd[b*2+i][b*2+j]
				if d := got - fdv; d > 1e-9 || d < -1e-9 { // measured ≤ 3e-12
					t.Errorf("BatchJacobian[%d,%d,%d] = %.12g, finite differences %.12g", b, i, j, got, fdv)
				}
				want += got * vv[b*2+j]
			}
			if d := vals[2][b*2+i] - want; d > 1e-14 || d < -1e-14 {
				t.Errorf("JVP[%d,%d] = %.15g, J·v = %.15g", b, i, vals[2][b*2+i], want)
			}
		}
	}
	_ = errors.Is
}
