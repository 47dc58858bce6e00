package ode

import (
	"math"
	"testing"
)

// problem is an initial value problem with a closed-form solution.
type problem struct {
	name      string
	f         Func
	y0        []float64
	t0, t1    float64
	exact     func(t float64) []float64
	separable bool // y = (q, p) with dq/dt(p), dp/dt(q): usable by Leapfrog/Yoshida4
	// refine multiplies the step counts of the convergence test (0 means
	// 1), for problems whose asymptotic regime starts at smaller steps.
	refine int
}

// The test problems. Each exact solution is textbook calculus.
var problems = []problem{
	{
		// y' = −y, y = e^{−t}.
		name: "decay", f: func(t float64, y, d []float64) { d[0] = -y[0] },
		y0: []float64{1}, t0: 0, t1: 2,
		exact: func(t float64) []float64 { return []float64{math.Exp(-t)} },
	},
	{
		// y' = y², y(0) = 1/2: y = 1/(2 − t) (blows up at t = 2).
		name: "riccati", f: func(t float64, y, d []float64) { d[0] = y[0] * y[0] },
		y0: []float64{0.5}, t0: 0, t1: 1,
		exact: func(t float64) []float64 { return []float64{1 / (2 - t)} },
	},
	{
		// y' = −2ty (non-autonomous), y = e^{−t²}.
		name: "gauss", f: func(t float64, y, d []float64) { d[0] = -2 * t * y[0] },
		y0: []float64{1}, t0: 0, t1: 2,
		exact: func(t float64) []float64 { return []float64{math.Exp(-t * t)} },
	},
	{
		// Harmonic oscillator H = (q² + p²)/2: q = cos t, p = −sin t.
		name: "oscillator", f: oscillator,
		y0: []float64{1, 0}, t0: 0, t1: 2 * math.Pi, separable: true,
		exact: func(t float64) []float64 { return []float64{math.Cos(t), -math.Sin(t)} },
	},
	{
		// Kepler problem H = |p|²/2 − 1/|q| on the circular orbit of radius
		// 1: q = (cos t, sin t), p = (−sin t, cos t). Nonlinear force.
		name: "kepler", f: kepler,
		y0: []float64{1, 0, 0, 1}, t0: 0, t1: 2 * math.Pi, separable: true, refine: 2,
		exact: func(t float64) []float64 {
			return []float64{math.Cos(t), math.Sin(t), -math.Sin(t), math.Cos(t)}
		},
	},
}

func oscillator(t float64, y, d []float64) { d[0], d[1] = y[1], -y[0] }

// kepler is the two-body problem in relative coordinates, y = (q1, q2, p1, p2).
func kepler(t float64, y, d []float64) {
	r2 := y[0]*y[0] + y[1]*y[1]
	r3 := r2 * math.Sqrt(r2)
	d[0], d[1] = y[2], y[3]
	d[2], d[3] = -y[0]/r3, -y[1]/r3
}

// maxAbsDiff is max_i |a_i − b_i|.
func maxAbsDiff(a, b []float64) float64 {
	m := 0.0
	for i := range a {
		m = math.Max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

// slope is the least-squares slope of log y against log x.
func slope(t *testing.T, x, y []float64) float64 {
	t.Helper()
	var sx, sy, sxx, sxy float64
	n := float64(len(x))
	for i := range x {
		if !(x[i] > 0 && y[i] > 0) {
			t.Fatalf("slope: non-positive value at %d: x=%g y=%g", i, x[i], y[i])
		}
		lx, ly := math.Log(x[i]), math.Log(y[i])
		sx += lx
		sy += ly
		sxx += lx * lx
		sxy += lx * ly
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}
