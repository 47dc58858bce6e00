package pinn

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
)

// TestFieldDerivativesMatchFiniteDifferences checks every derivative a
// residual can ask for (u_t, u_x, u_y, u_xx, u_tt, the mixed u_xt and
// u_xy, the Laplacian), through the input scaling and through the hard
// transform with a non-trivial lift, against central differences of
// Predict (step 1e-4 times the interval; truncation and round-off give
// ~1e-6 on these O(1)–O(10) values: tolerance 1e-5 relative + 1e-5).
func TestFieldDerivativesMatchFiniteDifferences(t *testing.T) {
	dom := Domain{Space: []Interval{{-1, 2}, {0, 0.5}}, Time: Interval{0, 3}}
	type deriv struct {
		name string
		f    func(f *Fields) *G.Node
		i, j int // −1 for first order
	}
	ds := []deriv{
		{"u_t", func(f *Fields) *G.Node { return f.Ut() }, 2, -1},
		{"u_x", func(f *Fields) *G.Node { return f.Ux(0) }, 0, -1},
		{"u_y", func(f *Fields) *G.Node { return f.Ux(1) }, 1, -1},
		{"u_xx", func(f *Fields) *G.Node { return f.Uxx(0) }, 0, 0},
		{"u_tt", func(f *Fields) *G.Node { return f.Utt() }, 2, 2},
		{"u_xt", func(f *Fields) *G.Node { return f.D2(2, 0) }, 0, 2},
		{"u_xy", func(f *Fields) *G.Node { return f.D2(0, 1) }, 0, 1},
		{"lap", func(f *Fields) *G.Node { return f.Laplacian() }, -2, -2},
	}
	pts, _ := dom.Sample(6, Uniform, 4)
	for _, mode := range []Constraints{Soft, Hard} {
		for _, d := range ds {
			p := Problem{
				Domain:   dom,
				Residual: func(f *Fields) (*G.Node, error) { return d.f(f), nil },
				Conditions: []Condition{
					{Kind: Dirichlet, Dim: 0, Side: Lower, Value: func(q []float64) float64 { return math.Sin(q[1]) * math.Cos(q[2]) }},
					{Kind: Initial, Value: func(q []float64) float64 { return math.Sin(q[1]) * math.Exp(0.3*(q[0]+1)) }},
				},
				// Meets u(−1, y, t) = sin y cos t and u(x, y, 0) = sin y e^{0.3(x+1)}.
				Lift: func(q []float64) float64 {
					return math.Sin(q[1]) * (math.Cos(q[2]) + math.Exp(0.3*(q[0]+1)) - 1)
				},
			}
			m, err := New(p, Config{Hidden: []int{7, 5}, Collocation: 10, Constraints: mode, Seed: 11})
			if err != nil {
				t.Fatalf("%v %s: %v", mode, d.name, err)
			}
			got, err := m.Residual(pts)
			if err != nil {
				t.Fatalf("%v %s: %v", mode, d.name, err)
			}
			u := func(q []float64) float64 {
				v, err := m.Predict([][]float64{q})
				if err != nil {
					t.Fatal(err)
				}
				return v[0]
			}
			for k, q := range pts {
				want := fd(u, q, dom, d.i, d.j)
				if math.Abs(got[k]-want) > 1e-5*(1+math.Abs(want)) {
					t.Errorf("%v %s at %v: jet %.8g, finite difference %.8g", mode, d.name, q, got[k], want)
				}
			}
		}
	}
}

// fd returns a central-difference derivative of u at q: first order along
// i (j < 0), second order along i and j, or the spatial Laplacian (i = −2).
func fd(u func([]float64) float64, q []float64, dom Domain, i, j int) float64 {
	at := func(di, dj int, a, b float64) float64 {
		r := append([]float64(nil), q...)
		if di >= 0 {
			r[di] += a
		}
		if dj >= 0 {
			r[dj] += b
		}
		return u(r)
	}
	step := func(k int) float64 { return 1e-4 * dom.interval(k).Width() }
	if i == -2 {
		var s float64
		for k := range dom.Space {
			s += fd(u, q, dom, k, k)
		}
		return s
	}
	hi := step(i)
	if j < 0 {
		return (at(i, -1, hi, 0) - at(i, -1, -hi, 0)) / (2 * hi)
	}
	if i == j {
		return (at(i, -1, hi, 0) - 2*u(q) + at(i, -1, -hi, 0)) / (hi * hi)
	}
	hj := step(j)
	return (at(i, j, hi, hj) - at(i, j, hi, -hj) - at(i, j, -hi, hj) + at(i, j, -hi, -hj)) / (4 * hi * hj)
}
