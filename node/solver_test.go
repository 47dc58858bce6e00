package node_test

import (
	"errors"
	"math"
	"testing"

	"github.com/physbias/physbias/node"
)

func solvers() []node.Solver {
	return []node.Solver{node.Euler(), node.Midpoint(), node.RK4(), node.BogackiShampine(),
		node.DormandPrince(), node.Leapfrog(), node.Yoshida4()}
}

// pendulum is a user's separable system the package does not ship: the
// nonlinear pendulum q” = −sin q, y = (q, p). Its reference solution comes
// from Dormand–Prince at tolerance 1e-13 (checked against energy
// conservation to 1e-12 below).
func pendulum(t float64, y, d []float64) error {
	d[0], d[1] = y[1], -math.Sin(y[0])
	return nil
}

// TestSolverOrders measures each public solver's order with fixed steps on
// the pendulum from (q, p) = (1, 0) to t = 3: the least-squares slope of
// log(error) against log(dt) over four halvings is Order() within ±0.25
// (measured: all within 0.1).
func TestSolverOrders(t *testing.T) {
	ts := []float64{0, 3}
	ref, err := node.Solve(pendulum, []float64{1, 0}, ts, node.DormandPrince(), node.Options{RTol: 1e-13, ATol: 1e-13})
	if err != nil {
		t.Fatal(err)
	}
	e0 := 1 - math.Cos(1)
	yr := ref.Y[1]
	if de := math.Abs(yr[1]*yr[1]/2 + 1 - math.Cos(yr[0]) - e0); de > 1e-12 {
		t.Fatalf("reference energy error %.3g", de)
	}
	for _, s := range solvers() {
		base := map[int]int{1: 400, 2: 20, 3: 20, 4: 10, 5: 10}[s.Order()]
		var lx, ly []float64
		for k := 0; k < 5; k++ {
			n := base << k
			sol, err := node.Solve(pendulum, []float64{1, 0}, ts, s, node.Options{Dt: 3 / float64(n), Separable: true})
			if err != nil {
				t.Fatal(err)
			}
			e := math.Hypot(sol.Y[1][0]-yr[0], sol.Y[1][1]-yr[1])
			lx, ly = append(lx, math.Log(3/float64(n))), append(ly, math.Log(e))
		}
		p := fit(lx, ly)
		t.Logf("%s: measured order %.3f", s.Name(), p)
		if math.Abs(p-float64(s.Order())) > 0.25 {
			t.Errorf("%s: measured order %.3f, Order() %d", s.Name(), p, s.Order())
		}
	}
}

func fit(x, y []float64) float64 {
	var sx, sy, sxx, sxy float64
	n := float64(len(x))
	for i := range x {
		sx, sy, sxx, sxy = sx+x[i], sy+y[i], sxx+x[i]*x[i], sxy+x[i]*y[i]
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}

// TestSolveAdaptiveStats: the adaptive solvers report accepted and
// rejected steps and NFE consistent with their stage counts.
func TestSolveAdaptiveStats(t *testing.T) {
	ts := []float64{0, 1, 2, 5}
	for _, c := range []struct {
		s     node.Solver
		perSt int
	}{{node.BogackiShampine(), 3}, {node.DormandPrince(), 6}} {
		sol, err := node.Solve(pendulum, []float64{2.5, 0}, ts, c.s, node.Options{RTol: 1e-6, ATol: 1e-9})
		if err != nil {
			t.Fatal(err)
		}
		// One evaluation at t0, one for the first-step guess, then perSt per
		// attempted step.
		if want := 2 + c.perSt*(sol.Steps+sol.Rejected); sol.NFE != want {
			t.Errorf("%s: NFE %d, want %d (steps %d, rejected %d)", c.s.Name(), sol.NFE, want, sol.Steps, sol.Rejected)
		}
		if len(sol.Y) != len(ts) {
			t.Errorf("%s: %d outputs", c.s.Name(), len(sol.Y))
		}
	}
}

func TestSolveErrors(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name string
		f    node.Func
		y0   []float64
		ts   []float64
		s    node.Solver
		o    node.Options
		want error
	}{
		{"zero solver", pendulum, []float64{1, 0}, []float64{0, 1}, node.Solver{}, node.Options{Dt: 0.1}, node.ErrInput},
		{"nil f", nil, []float64{1, 0}, []float64{0, 1}, node.RK4(), node.Options{Dt: 0.1}, node.ErrInput},
		{"NaN state", pendulum, []float64{math.NaN(), 0}, []float64{0, 1}, node.RK4(), node.Options{Dt: 0.1}, node.ErrNotFinite},
		{"rtol zero", pendulum, []float64{1, 0}, []float64{0, 1}, node.DormandPrince(), node.Options{RTol: 0, ATol: 1e-6}, node.ErrInput},
		{"rtol negative", pendulum, []float64{1, 0}, []float64{0, 1}, node.DormandPrince(), node.Options{RTol: -1e-6, ATol: 1e-6}, node.ErrInput},
		{"no accuracy", pendulum, []float64{1, 0}, []float64{0, 1}, node.DormandPrince(), node.Options{}, node.ErrInput},
		{"times out of order", pendulum, []float64{1, 0}, []float64{0, 2, 1}, node.RK4(), node.Options{Dt: 0.1}, node.ErrInput},
		{"times out of order symplectic", pendulum, []float64{1, 0}, []float64{0, 2, 1}, node.Leapfrog(), node.Options{Dt: 0.1, Separable: true}, node.ErrInput},
		{"adaptive symplectic", pendulum, []float64{1, 0}, []float64{0, 1}, node.Leapfrog(), node.Options{RTol: 1e-6, ATol: 1e-6}, node.ErrInput},
		{"leapfrog without the separable promise", pendulum, []float64{1, 0}, []float64{0, 1}, node.Leapfrog(), node.Options{Dt: 0.1}, node.ErrInput},
		{"yoshida without the separable promise", pendulum, []float64{1, 0}, []float64{0, 1}, node.Yoshida4(), node.Options{Dt: 0.1}, node.ErrInput},
		{"adaptive RK4", pendulum, []float64{1, 0}, []float64{0, 1}, node.RK4(), node.Options{RTol: 1e-6, ATol: 1e-6}, node.ErrInput},
		{"odd symplectic", pendulum, []float64{1, 0, 3}, []float64{0, 1}, node.Yoshida4(), node.Options{Dt: 0.1, Separable: true}, node.ErrInput},
		{"f error", func(t float64, y, d []float64) error { return boom }, []float64{1, 0}, []float64{0, 1}, node.DormandPrince(), node.Options{RTol: 1e-6, ATol: 1e-6}, boom},
		{"f error symplectic", func(t float64, y, d []float64) error { return boom }, []float64{1, 0}, []float64{0, 1}, node.Leapfrog(), node.Options{Dt: 0.1, Separable: true}, boom},
		{"f panics", func(t float64, y, d []float64) error { d[5] = 1; return nil }, []float64{1, 0}, []float64{0, 1}, node.RK4(), node.Options{Dt: 0.1}, node.ErrCallback},
		{"blow-up", func(t float64, y, d []float64) error { d[0] = y[0] * y[0]; return nil }, []float64{1}, []float64{0, 2}, node.DormandPrince(), node.Options{RTol: 1e-6, ATol: 1e-6}, node.ErrStepSize},
		{"step limit", pendulum, []float64{1, 0}, []float64{0, 100}, node.DormandPrince(), node.Options{RTol: 1e-10, ATol: 1e-10, MaxSteps: 10}, node.ErrStepLimit},
	}
	for _, c := range cases {
		_, err := node.Solve(c.f, c.y0, c.ts, c.s, c.o)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
			continue
		}
		if msg := err.Error(); len(msg) < 6 || msg[:6] != "node: " {
			t.Errorf("%s: message %q does not start with \"node: \"", c.name, msg)
		}
	}
}
