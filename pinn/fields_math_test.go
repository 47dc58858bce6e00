package pinn_test

import (
	"context"
	"math"
	"testing"

	"github.com/physbias/physbias/pinn"
)

// Every Fields helper, combined into one residual, gives on the graph the
// value the same formula gives in plain Go from Model.Derivatives (two
// separate code paths: gorgonia with the core's fused jets, and the
// network's plain-Go copy). Measured agreement 5e-16 relative; tolerance
// 1e-12.
func TestFieldsHelpersMatchPlainGo(t *testing.T) {
	dom := pinn.Domain{Space: []pinn.Interval{{Lo: 0, Hi: 2}}, Time: pinn.Interval{Lo: 0, Hi: 1}}
	const c = 0.7
	p := pinn.Problem{
		Domain: dom,
		Residual: func(f *pinn.Fields) (*pinn.Node, error) {
			u, ux, ut, uxx, x := f.U(), f.Ux(0), f.Ut(), f.Uxx(0), f.X(0)
			terms := []*pinn.Node{
				f.Sin(u),
				f.Div(f.Exp(ux), f.Shift(f.Cos(x), 2)),
				f.Neg(f.Pow(f.Shift(f.Square(u), 1), 1.5)),
				f.Div(f.Const(3), f.Shift(f.Abs(ut), 1)),
				f.Mul(f.Tanh(uxx), f.Coef("c")),
				f.Sqrt(f.Shift(f.Square(x), 1)),
				f.Log(f.Shift(f.Square(u), 2)),
				f.Scale(-2, f.Div(u, f.Coef("c"))),
				f.Sub(f.Mul(f.Const(0.5), f.T()), f.Add(f.Const(1), ut)),
				f.Log1p(f.Square(ux)),
				f.Sigmoid(u),
				f.Softplus(uxx),
			}
			var r *pinn.Node
			for _, t := range terms {
				r = f.Add(r, t)
			}
			return r, nil
		},
		Unknowns: []pinn.Unknown{{Name: "c", Init: c}},
	}
	m, err := pinn.New(p, pinn.Config{Hidden: []int{6, 5}, Collocation: 20, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	pts, err := dom.Sample(40, pinn.Uniform, 5)
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.Residual(pts)
	if err != nil {
		t.Fatal(err)
	}
	d, err := m.Derivatives(pts)
	if err != nil {
		t.Fatal(err)
	}
	ux, ut, uxx := d.Ux(0), d.Ut(), d.Uxx(0)
	worst := 0.0
	for k, q := range pts {
		u, x, tt := d.U[k], q[0], q[1]
		want := math.Sin(u) + math.Exp(ux[k])/(math.Cos(x)+2) - math.Pow(u*u+1, 1.5) + 3/(math.Abs(ut[k])+1) +
			math.Tanh(uxx[k])*c + math.Sqrt(x*x+1) + math.Log(u*u+2) - 2*u/c + 0.5*tt - (1 + ut[k]) +
			math.Log1p(ux[k]*ux[k]) + 1/(1+math.Exp(-u)) + math.Log1p(math.Exp(uxx[k]))
		worst = math.Max(worst, math.Abs(got[k]-want)/(1+math.Abs(want)))
	}
	t.Logf("largest relative difference %.2g", worst)
	if worst > 1e-12 {
		t.Errorf("graph and plain-Go residuals differ by %.3g", worst)
	}
}

// Training through the helpers: a nonlinear steady problem written with
// Div, Square, Shift, Sin and Exp, u_xx / (1 + u²) + e^{u − sin πx}·π² sin πx
// / (1 + sin² πx) = 0 at the solution u = sin πx on [0, 1] with u = 0 at
// both ends (at the solution the exponential is 1). Hard boundary values.
// Measured relative L2 error 1.5e-7; bound 1e-6.
func TestTrainThroughHelpers(t *testing.T) {
	p := pinn.Problem{
		Domain: pinn.Domain{Space: []pinn.Interval{{Lo: 0, Hi: 1}}},
		Residual: func(f *pinn.Fields) (*pinn.Node, error) {
			u := f.U()
			s := f.Sin(f.Scale(math.Pi, f.X(0)))
			lhs := f.Div(f.Uxx(0), f.Shift(f.Square(u), 1))
			src := f.Mul(f.Exp(f.Sub(u, s)), f.Div(f.Scale(math.Pi*math.Pi, s), f.Shift(f.Square(s), 1)))
			return f.Add(lhs, src), nil
		},
		Conditions: []pinn.Condition{{Kind: pinn.Dirichlet, Dim: 0}},
	}
	m, err := pinn.New(p, pinn.Config{Hidden: []int{12, 12}, Collocation: 60, Constraints: pinn.Hard, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), pinn.TrainConfig{Phases: []pinn.Phase{pinn.Adam{Steps: 200, LR: 1e-2}, pinn.LBFGS{MaxIter: 300}}}); err != nil {
		t.Fatal(err)
	}
	var pts [][]float64
	var exact []float64
	for i := 0; i <= 100; i++ {
		x := float64(i) / 100
		pts = append(pts, []float64{x})
		exact = append(exact, math.Sin(math.Pi*x))
	}
	u, err := m.Predict(pts)
	if err != nil {
		t.Fatal(err)
	}
	e, err := pinn.RelativeL2(u, exact)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("relative L2 error %.2g", e)
	if e > 1e-6 {
		t.Errorf("relative L2 error %.3g > 1e-6", e)
	}
}

// Derivatives at new points match 4th-order central differences of Predict,
// on a 2-D space × time domain, through the input scaling and the hard
// transform with a non-trivial lift (steps 1e-3 of each width; truncation
// ~1e-12 and round-off ~1e-10 for second derivatives, and the lift's own
// finite differences under hard constraints; measured 5.8e-10 soft, 6.2e-9
// hard, relative + absolute; tolerance 3e-8).
func TestDerivativesMatchFiniteDifferences(t *testing.T) {
	dom := pinn.Domain{Space: []pinn.Interval{{Lo: -1, Hi: 2}, {Lo: 0, Hi: 0.5}}, Time: pinn.Interval{Lo: 0, Hi: 3}}
	for _, mode := range []pinn.Constraints{pinn.Soft, pinn.Hard} {
		p := pinn.Problem{
			Domain:   dom,
			Residual: func(f *pinn.Fields) (*pinn.Node, error) { return f.Sub(f.Ut(), f.Laplacian()), nil },
			Conditions: []pinn.Condition{
				{Kind: pinn.Dirichlet, Dim: 0, Side: pinn.Lower, Value: func(q []float64) float64 { return math.Sin(q[1]) * math.Cos(q[2]) }},
				{Kind: pinn.Initial, Value: func(q []float64) float64 { return math.Sin(q[1]) * math.Exp(0.3*(q[0]+1)) }},
			},
			Lift: func(q []float64) float64 { return math.Sin(q[1]) * (math.Cos(q[2]) + math.Exp(0.3*(q[0]+1)) - 1) },
		}
		m, err := pinn.New(p, pinn.Config{Hidden: []int{7, 5}, Collocation: 10, Constraints: mode, Seed: 11})
		if err != nil {
			t.Fatal(err)
		}
		pts, _ := dom.Sample(5, pinn.Uniform, 4)
		d, err := m.Derivatives(pts)
		if err != nil {
			t.Fatal(err)
		}
		width := []float64{3, 0.5, 3}
		at := func(q []float64) float64 {
			u, err := m.Predict([][]float64{q})
			if err != nil {
				t.Fatal(err)
			}
			return u[0]
		}
		shift := func(q []float64, i int, a float64, j int, b float64) float64 {
			r := append([]float64(nil), q...)
			r[i] += a
			if j >= 0 {
				r[j] += b
			}
			return at(r)
		}
		worst := 0.0
		check := func(got, want float64) {
			worst = math.Max(worst, math.Abs(got-want)/(1+math.Abs(want)))
		}
		c := []float64{1, -8, 8, -1}
		s := []float64{-2, -1, 1, 2}
		for k, q := range pts {
			for i := 0; i < 3; i++ {
				h := 1e-3 * width[i]
				var fd float64
				for a := range s {
					fd += c[a] * shift(q, i, s[a]*h, -1, 0)
				}
				check(d.Grad[k][i], fd/(12*h))
				for j := 0; j < 3; j++ {
					hj := 1e-3 * width[j]
					var fd2 float64
					for a := range s {
						for b := range s {
							fd2 += c[a] * c[b] * shift(q, i, s[a]*h, j, s[b]*hj)
						}
					}
					if i == j { // the pure stencil
						fd2 = 0
						for a, w := range []float64{-1, 16, -30, 16, -1} {
							fd2 += w * shift(q, i, float64(a-2)*h, -1, 0)
						}
						check(d.Hess[k][i*3+j], fd2/(12*h*h))
						continue
					}
					check(d.Hess[k][i*3+j], fd2/(144*h*hj))
				}
			}
			check(d.Uxx(0)[k]+d.Uxx(1)[k], d.Laplacian()[k])
			check(d.Ut()[k], d.Grad[k][2])
		}
		t.Logf("%v: worst relative difference %.2g", mode, worst)
		if worst > 3e-8 {
			t.Errorf("%v: Derivatives differ from finite differences by %.3g", mode, worst)
		}
	}
}
