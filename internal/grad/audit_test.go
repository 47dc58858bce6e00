package grad

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// orders builds, for a scalar f of x, the nodes f, ∇f (flat, N), the
// Hessian (N×N) and the third derivative along a direction v (the
// Jacobian of H·v, N×N), all with this
// package, and checks each against finite differences of the one before.
// It returns the largest relative error of each order.
func orders(t *testing.T, g *G.ExprGraph, x, f *G.Node, h, tol float64, order int, what string) [3]float64 {
	t.Helper()
	must := must(t)
	gr, err := Grad(f, x)
	if err != nil {
		t.Fatalf("%s: Grad: %v", what, err)
	}
	H, err := Hessian(f, x)
	if err != nil {
		t.Fatalf("%s: Hessian: %v", what, err)
	}
	// the third derivative along a direction v: ∂(H·v)/∂x
	v := input(g, "v."+x.Name(), x.Shape(), uniform(99, shapeSize(x.Shape()), -1, 1))
	hv, err := HVP(f, x, v)
	if err != nil {
		t.Fatalf("%s: HVP: %v", what, err)
	}
	T, err := Jacobian(hv, x)
	if err != nil {
		t.Fatalf("%s: Jacobian of the HVP: %v", what, err)
	}
	_ = must
	e := newEvaluator(t, g, f, gr[0], H, hv, T)
	var worst [3]float64
	worst[0] = checkJacobian(t, e, 0, 1, x, h, tol, what+": first")
	worst[1] = checkJacobian(t, e, 1, 2, x, h, tol, what+": second")
	if order >= 3 {
		worst[2] = checkJacobian(t, e, 3, 4, x, h, tol, what+": third")
	}
	return worst
}

// opCase is one op (or short chain of ops) of gorgonia, as a scalar
// function of a (2, 3) input with values in (lo, hi).
type opCase struct {
	name   string
	lo, hi float64
	f      func(x *G.Node, c consts) (*G.Node, error)
}

// lowerOrder lists the cases verified to less than the third order (none
// now: BatchedMatMul's third derivative was wrong until the core stopped
// using gorgonia's memory-sharing Reshape in its own rules).
var lowerOrder = map[string]int{}

// consts are fixed nodes the cases combine x with.
type consts struct {
	w   *G.Node // (3, 2)
	v   *G.Node // (3)
	row *G.Node // (1, 3)
	col *G.Node // (2, 1)
	s   *G.Node // scalar
}

// auditCases returns the op cases.
func auditCases() []opCase {
	sum := G.Sum
	chain := func(fs ...func(*G.Node) (*G.Node, error)) func(*G.Node, consts) (*G.Node, error) {
		return func(x *G.Node, _ consts) (*G.Node, error) {
			var err error
			for _, f := range fs {
				if x, err = f(x); err != nil {
					return nil, err
				}
			}
			if !x.IsScalar() {
				return sum(x)
			}
			return x, nil
		}
	}
	sq := G.Square
	cases := []opCase{
		{"Add", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(sq(G.Must(G.Add(x, G.Must(G.Tanh(x)))))))
		}},
		{"Sub", -1, 1, func(x *G.Node, c consts) (*G.Node, error) { return sum(G.Must(sq(G.Must(G.Sub(G.Must(G.Sin(x)), x))))) }},
		{"HadamardProd", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(G.HadamardProd(x, G.Must(G.HadamardProd(x, G.Must(G.Exp(x)))))))
		}},
		{"HadamardDiv", 0.5, 1.5, func(x *G.Node, c consts) (*G.Node, error) { return sum(G.Must(G.HadamardDiv(G.Must(G.Sin(x)), x))) }},
		{"Div/scalar", 0.5, 1.5, func(x *G.Node, c consts) (*G.Node, error) { return sum(G.Must(G.Div(G.Must(G.Cube(x)), c.s))) }},
		{"Div/by x", 0.5, 1.5, func(x *G.Node, c consts) (*G.Node, error) {
			return G.Div(c.s, G.Must(sum(G.Must(sq(x)))))
		}},
		{"Pow", 0.5, 1.5, func(x *G.Node, c consts) (*G.Node, error) { return sum(G.Must(G.Pow(x, c.s))) }},
		{"Pow/x^x", 0.5, 1.5, func(x *G.Node, c consts) (*G.Node, error) { return sum(G.Must(G.Pow(x, x))) }},
		{"Square", -1, 1, chain(G.Tanh, G.Square)},
		{"Sqrt", 0.5, 1.5, chain(G.Sqrt, G.Exp)},
		{"InverseSqrt", 0.5, 1.5, chain(G.InverseSqrt)},
		{"Inverse", 0.5, 1.5, chain(G.Inverse)},
		{"Exp", -1, 1, chain(G.Exp, G.Sin)},
		{"Log", 0.5, 1.5, chain(G.Log, G.Cube)},
		{"Log1p", 0.5, 1.5, chain(G.Log1p, G.Square)},
		{"Tanh", -1, 1, chain(G.Tanh, G.Cube)},
		{"Sigmoid", -1, 1, chain(G.Sigmoid, G.Square)},
		{"Softplus", -1, 1, chain(G.Softplus, G.Square)},
		{"Sin", -1, 1, chain(G.Sin, G.Square)},
		{"Cos", -1, 1, chain(G.Cos, G.Square)},
		{"Neg", -1, 1, chain(G.Neg, G.Exp)},
		{"Cube", -1, 1, chain(G.Cube, G.Sin)},
		{"Abs", 0.3, 1.3, chain(G.Abs, G.Cube)},
		{"Abs/negative", -1.3, -0.3, chain(G.Abs, G.Cube)},
		{"Rectify", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			// away from the kink: x values in (−1, 1) without 0 nearby
			return sum(G.Must(G.Cube(G.Must(G.Rectify(x)))))
		}},
		{"Mul/matmul", -1, 1, func(x *G.Node, c consts) (*G.Node, error) { return sum(G.Must(G.Tanh(G.Must(G.Mul(x, c.w))))) }},
		{"Mul/matmul x·xᵀ", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(G.Tanh(G.Must(G.Mul(x, G.Must(G.Transpose(x)))))))
		}},
		{"Mul/matvec", -1, 1, func(x *G.Node, c consts) (*G.Node, error) { return sum(G.Must(G.Tanh(G.Must(G.Mul(x, c.v))))) }},
		{"Mul/vecmat", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			r := G.Must(G.Slice(x, G.S(0))) // (3)
			return sum(G.Must(G.Tanh(G.Must(G.Mul(r, G.Must(G.Transpose(x)))))))
		}},
		{"Mul/vecdot", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			r0, r1 := G.Must(G.Slice(x, G.S(0))), G.Must(G.Slice(x, G.S(1)))
			return G.Tanh(G.Must(G.Mul(r0, G.Must(G.Sin(r1)))))
		}},
		{"OuterProd", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			r0, r1 := G.Must(G.Slice(x, G.S(0))), G.Must(G.Slice(x, G.S(1)))
			return sum(G.Must(G.Tanh(G.Must(G.OuterProd(r0, G.Must(G.Sin(r1)))))))
		}},
		{"BatchedMatMul", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			a := G.Must(G.Reshape(G.Must(G.Sin(x)), tensor.Shape{1, 2, 3}))
			b := G.Must(G.Reshape(G.Must(G.Tanh(x)), tensor.Shape{1, 2, 3}))
			return sum(G.Must(G.Square(G.Must(G.BatchedMatMul(a, b, false, true)))))
		}},
		{"Transpose", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(G.Tanh(G.Must(G.Mul(G.Must(G.Transpose(x)), c.col)))))
		}},
		{"Sum/axis", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(G.Cube(G.Must(G.Sum(G.Must(G.Sin(x)), 1)))))
		}},
		{"Mean", -1, 1, func(x *G.Node, c consts) (*G.Node, error) { return G.Mean(G.Must(G.Cube(G.Must(G.Sin(x))))) }},
		{"Mean/axis", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(G.Cube(G.Must(G.Mean(G.Must(G.Sin(x)), 0)))))
		}},
		{"Max", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(G.Cube(G.Must(G.Max(G.Must(G.Sin(x)), 1)))))
		}},
		{"SoftMax", -1, 1, func(x *G.Node, c consts) (*G.Node, error) { return sum(G.Must(G.Cube(G.Must(G.SoftMax(x))))) }},
		{"SoftMax/axis0", -1, 1, func(x *G.Node, c consts) (*G.Node, error) { return sum(G.Must(G.Cube(G.Must(G.SoftMax(x, 0))))) }},
		{"LogSoftMax", -1, 1, func(x *G.Node, c consts) (*G.Node, error) { return sum(G.Must(G.Cube(G.Must(G.LogSoftMax(x))))) }},
		{"Reshape", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(G.Tanh(G.Must(G.Mul(G.Must(G.Reshape(G.Must(G.Sin(x)), tensor.Shape{3, 2})), G.Must(G.Transpose(c.w)))))))
		}},
		{"grad.Reshape→Square", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			s := G.Must(G.Sin(x))
			r := G.Must(Reshape(s, tensor.Shape{3, 2}))
			a := G.Must(G.Sum(G.Must(G.HadamardProd(G.Must(G.Square(r)), c.w))))
			return G.Add(a, G.Must(G.Sum(G.Must(G.Cube(s)))))
		}},
		{"grad.Reshape→Log1p", 0.2, 1, func(x *G.Node, c consts) (*G.Node, error) {
			s := G.Must(G.Exp(x))
			r := G.Must(Reshape(s, tensor.Shape{3, 2}))
			a := G.Must(G.Sum(G.Must(G.HadamardProd(G.Must(G.Log1p(r)), c.w))))
			return G.Add(a, G.Must(G.Sum(G.Must(G.Square(s)))))
		}},
		{"Slice→Square, source live", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			s := G.Must(G.Sin(x))
			r := G.Must(G.Slice(s, G.S(0, 2))) // (2, 3): all rows, a view
			a := G.Must(G.Sum(G.Must(G.Square(r))))
			return G.Add(a, G.Must(G.Sum(G.Must(G.Cube(s)))))
		}},
		{"Slice row→Log1p, source live", 0.2, 1, func(x *G.Node, c consts) (*G.Node, error) {
			s := G.Must(G.Exp(x))
			r := G.Must(G.Slice(s, G.S(1))) // (3)
			a := G.Must(G.Sum(G.Must(G.HadamardProd(G.Must(G.Log1p(r)), c.v))))
			return G.Add(a, G.Must(G.Sum(G.Must(G.Square(s)))))
		}},
		{"Transpose→Square, source live", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			s := G.Must(G.Sin(x))
			r := G.Must(G.Transpose(s))
			a := G.Must(G.Sum(G.Must(G.HadamardProd(G.Must(G.Square(r)), c.w))))
			return G.Add(a, G.Must(G.Sum(G.Must(G.Cube(s)))))
		}},
		{"Slice/rows", -1, 1, func(x *G.Node, c consts) (*G.Node, error) { return sum(G.Must(G.Cube(G.Must(G.Slice(x, G.S(1, 2)))))) }},
		{"Slice/column", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(G.Cube(G.Must(G.Slice(G.Must(G.Sin(x)), nil, G.S(1))))))
		}},
		{"Slice/cols 0:2", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(G.Cube(G.Must(G.Slice(x, nil, G.S(0, 2))))))
		}},
		{"Concat", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(G.Tanh(G.Must(G.Mul(G.Must(G.Concat(1, x, G.Must(G.Sin(x)))), G.Must(G.Concat(0, c.w, c.w)))))))
		}},
		{"Concat/axis0", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(G.Cube(G.Must(G.Concat(0, x, G.Must(G.Square(x)), c.row)))))
		}},
		{"BroadcastAdd", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(G.Cube(G.Must(G.BroadcastAdd(x, G.Must(G.Sin(c.row)), nil, []byte{0})))))
		}},
		{"BroadcastAdd/of x", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			s := G.Must(G.Sum(x, 0)) // (3)
			r := G.Must(G.Reshape(s, tensor.Shape{1, 3}))
			return sum(G.Must(G.Cube(G.Must(G.BroadcastAdd(x, r, nil, []byte{0})))))
		}},
		{"BroadcastSub", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			return sum(G.Must(G.Cube(G.Must(G.BroadcastSub(c.col, G.Must(G.Tanh(x)), []byte{1}, nil)))))
		}},
		{"BroadcastHadamardProd", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			r := G.Must(G.Reshape(G.Must(G.Sum(G.Must(G.Sin(x)), 0)), tensor.Shape{1, 3}))
			return sum(G.Must(G.Cube(G.Must(G.BroadcastHadamardProd(x, r, nil, []byte{0})))))
		}},
		{"BroadcastHadamardDiv", 0.5, 1.5, func(x *G.Node, c consts) (*G.Node, error) {
			cl := G.Must(G.Reshape(G.Must(G.Sum(x, 1)), tensor.Shape{2, 1}))
			return sum(G.Must(G.Cube(G.Must(G.BroadcastHadamardDiv(x, cl, nil, []byte{1})))))
		}},
		{"scalar·tensor", -1, 1, func(x *G.Node, c consts) (*G.Node, error) {
			s := G.Must(G.Sum(G.Must(G.Sin(x))))
			return sum(G.Must(G.Cube(G.Must(G.Mul(s, x)))))
		}},
	}
	return cases
}

func TestOpAudit(t *testing.T) {
	cases := auditCases()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, x, f := newCase(t, tc)
			if !f.IsScalar() {
				t.Fatalf("case builds shape %v", f.Shape())
			}
			order := lowerOrder[tc.name]
			if order == 0 {
				order = 3
			}
			// measured: all errors ≤ 2e-10 (Log's third derivative, which
			// finite differences of step 1e-3 resolve least well)
			w := orders(t, g, x, f, 1e-3, 1e-8, order, tc.name)
			t.Logf("%-22s errors: first %.1e second %.1e third %.1e", tc.name, w[0], w[1], w[2])
		})
	}
}

// newCase builds case tc on a fresh graph: x, its consts and the scalar f.
func newCase(t *testing.T, tc opCase) (*G.ExprGraph, *G.Node, *G.Node) {
	t.Helper()
	g := G.NewGraph()
	xv := uniform(7, 6, tc.lo, tc.hi)
	if tc.name == "Rectify" {
		for i := range xv { // keep away from the kink at 0
			if xv[i] > -0.2 && xv[i] < 0.2 {
				xv[i] += 0.5
			}
		}
	}
	x := input(g, "x", tensor.Shape{2, 3}, xv)
	c := consts{
		w:   input(g, "w", tensor.Shape{3, 2}, uniform(8, 6, -1, 1)),
		v:   input(g, "v", tensor.Shape{3}, uniform(9, 3, -1, 1)),
		row: input(g, "row", tensor.Shape{1, 3}, uniform(10, 3, -1, 1)),
		col: input(g, "col", tensor.Shape{2, 1}, uniform(11, 2, -1, 1)),
		s:   input(g, "s", nil, []float64{1.7}),
	}
	f, err := tc.f(x, c)
	if err != nil {
		t.Fatal(err)
	}
	return g, x, f
}

// TestForwardJVP: on every op case, the forward-tangent JVP (no fallback)
// equals ∇f·v, and its own gradient equals the Hessian-vector product H·v,
// so the tangent graph is right and differentiable again.
func TestForwardJVP(t *testing.T) {
	for _, tc := range auditCases() {
		t.Run(tc.name, func(t *testing.T) {
			must := must(t)
			g, x, f := newCase(t, tc)
			v := input(g, "dir", x.Shape(), uniform(12, 6, -1, 1))
			jv, ok, err := forwardJVP(f, x, v)
			if err != nil || !ok {
				t.Fatalf("forward JVP: ok %v, %v", ok, err)
			}
			gr, err := Grad(f, x)
			if err != nil {
				t.Fatal(err)
			}
			want := must(G.Sum(must(G.HadamardProd(gr[0], v))))
			hj, err := Grad(jv, x)
			if err != nil {
				t.Fatal(err)
			}
			hv := must(HVP(f, x, v))
			vals := newEvaluator(t, g, jv, want, hj[0], hv).run()
			// measured: ≤ 4e-15 (rounding)
			if d := math.Abs(vals[0][0] - vals[1][0]); d > 1e-12*math.Max(1, math.Abs(vals[1][0])) {
				t.Errorf("JVP %.15g, ∇f·v %.15g", vals[0][0], vals[1][0])
			}
			for i := range vals[2] {
				if d := math.Abs(vals[2][i] - vals[3][i]); d > 1e-12*math.Max(1, math.Abs(vals[3][i])) {
					t.Errorf("∇(JVP)[%d] %.15g, H·v %.15g", i, vals[2][i], vals[3][i])
				}
			}
		})
	}
}
