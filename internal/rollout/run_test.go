package rollout

import (
	"errors"
	"math"
	"testing"

	"github.com/physbias/physbias/internal/fail"
)

// oscillator is H = (q² + p²)/2 for each of the states in x: q̇ = p, ṗ = −q.
func oscillator(x, dxdt []float64) error {
	for i := 0; i < len(x); i += 2 {
		dxdt[i], dxdt[i+1] = x[i+1], -x[i]
	}
	return nil
}

func endError(t *testing.T, m Method, steps int) float64 {
	t.Helper()
	tr, err := Run(Problem{Prefix: "test", F: oscillator, Dim: 2, X0: []float64{1, 0, 0, 2}, T1: 2, Steps: steps, Method: m, Separable: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.T) != steps+1 || len(tr.X) != steps+1 || tr.T[steps] != 2 {
		t.Fatalf("%v: %d times, %d states, last time %v", m, len(tr.T), len(tr.X), tr.T[steps])
	}
	x := tr.X[steps]
	c, s := math.Cos(2), math.Sin(2)
	// State 1 from (1, 0): (cos t, −sin t); state 2 from (0, 2): (2 sin t, 2 cos t).
	return math.Max(math.Max(math.Abs(x[0]-c), math.Abs(x[1]+s)), math.Max(math.Abs(x[2]-2*s), math.Abs(x[3]-2*c)))
}

// TestOrders: halving the step divides the error by 2^order, measured on
// the harmonic oscillator's closed form (slopes within 0.15 of the order).
func TestOrders(t *testing.T) {
	for _, m := range []Method{RK4(), Leapfrog(), Yoshida4(), ImplicitMidpoint()} {
		e1, e2 := endError(t, m, 40), endError(t, m, 80)
		slope := math.Log2(e1 / e2)
		if math.Abs(slope-float64(m.Order())) > 0.15 {
			t.Errorf("%v: measured order %.3f, want %d (errors %g, %g)", m, slope, m.Order(), e1, e2)
		}
	}
	// Dormand–Prince meets its tolerance: measured 1.6e-10 at rtol 1e-10.
	if e := endError(t, DormandPrince(1e-10, 1e-12), 10); e > 1e-8 {
		t.Errorf("Dormand–Prince error %g", e)
	}
}

// TestSymplecticEnergy: over 1000 periods leapfrog and the midpoint rule
// keep the energy error bounded where RK4 at the same step drifts.
func TestSymplecticEnergy(t *testing.T) {
	energyErr := func(m Method) float64 {
		tr, err := Run(Problem{Prefix: "test", F: oscillator, Dim: 2, X0: []float64{1, 0}, T1: 2000 * math.Pi, Steps: 20000, Method: m, Separable: true})
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for _, x := range tr.X {
			worst = math.Max(worst, math.Abs((x[0]*x[0]+x[1]*x[1])/2-0.5))
		}
		return worst
	}
	rk, lf, mp := energyErr(RK4()), energyErr(Leapfrog()), energyErr(ImplicitMidpoint())
	// Measured: RK4 drifts to 0.12 (a steady loss); leapfrog stays within
	// 1.2e-2 (bounded, of order h²/8 at h = 0.314); the midpoint rule conserves this quadratic H exactly, up to its
	// 1e-12 fixed-point tolerance a step: 1.8e-9 after 20,000 steps.
	if !(rk > 0.05) || lf > 0.03 || mp > 1e-8 {
		t.Errorf("energy errors: RK4 %g, leapfrog %g, midpoint %g", rk, lf, mp)
	}
}

func TestRefusals(t *testing.T) {
	base := Problem{Prefix: "hnn", F: oscillator, Dim: 2, X0: []float64{1, 0}, T1: 1, Steps: 10, Method: RK4()}
	for name, mod := range map[string]func(p *Problem){
		"zero method":       func(p *Problem) { p.Method = Method{} },
		"leapfrog, not sep": func(p *Problem) { p.Method = Leapfrog() },
		"DP no tolerances":  func(p *Problem) { p.Method = DormandPrince(0, 1e-9) },
		"nil field":         func(p *Problem) { p.F = nil },
		"partial state":     func(p *Problem) { p.X0 = []float64{1, 0, 3} },
		"no steps":          func(p *Problem) { p.Steps = 0 },
		"negative t1":       func(p *Problem) { p.T1 = -1 },
		"too long":          func(p *Problem) { p.Steps = MaxValues },
	} {
		p := base
		mod(&p)
		tr, err := Run(p)
		if tr != nil || !errors.Is(err, fail.ErrInput) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	p := base
	p.X0 = []float64{math.NaN(), 0}
	if _, err := Run(p); !errors.Is(err, fail.ErrNotFinite) {
		t.Errorf("NaN start: %v", err)
	}
}

// TestPartial: ẋ = x² from x = 1 blows up at t = 1. Every method returns
// the finite states before the blow-up (RK4's numerical solution lasts to
// t = 1.02) and an error saying so.
func TestPartial(t *testing.T) {
	blow := func(x, dxdt []float64) error {
		for i := range x {
			dxdt[i] = x[i] * x[i]
		}
		return nil
	}
	for _, m := range []Method{RK4(), DormandPrince(1e-8, 1e-10), ImplicitMidpoint()} {
		tr, err := Run(Problem{Prefix: "lnn", F: blow, Dim: 1, X0: []float64{1}, T1: 2, Steps: 200, Method: m})
		if err == nil || tr == nil {
			t.Fatalf("%v: no error", m)
		}
		if !errors.Is(err, fail.ErrNotFinite) && !errors.Is(err, fail.ErrDiverged) {
			t.Errorf("%v: error %v matches neither ErrNotFinite nor ErrDiverged", m, err)
		}
		last := tr.T[len(tr.T)-1]
		if len(tr.T) != len(tr.X) || last > 1.05 || last < 0.9 {
			t.Errorf("%v: partial trajectory ends at t = %v (blow-up at 1)", m, last)
		}
		for _, x := range tr.X {
			if math.IsNaN(x[0]) || math.IsInf(x[0], 0) {
				t.Fatalf("%v: non-finite state returned", m)
			}
		}
	}
}

// TestFieldErrorsAndCheck: the field's error and Check's error come back
// matchable, with the states before them; a panic is ErrCallback.
func TestFieldErrorsAndCheck(t *testing.T) {
	mine := errors.New("mine")
	calls := 0
	failing := func(x, dxdt []float64) error {
		calls++
		if calls > 20 {
			return mine
		}
		return oscillator(x, dxdt)
	}
	for _, m := range []Method{RK4(), ImplicitMidpoint(), DormandPrince(1e-6, 1e-8)} {
		calls = 0
		tr, err := Run(Problem{Prefix: "hnn", F: failing, Dim: 2, X0: []float64{1, 0}, T1: 10, Steps: 100, Method: m})
		if !errors.Is(err, mine) || len(tr.X) < 2 || len(tr.X) > 20 {
			t.Errorf("%v: err %v, %d states", m, err, len(tr.X))
		}
	}
	panicky := func(x, dxdt []float64) error { _ = x[len(x)]; return nil }
	if _, err := Run(Problem{Prefix: "hnn", F: panicky, Dim: 2, X0: []float64{1, 0}, T1: 1, Steps: 3, Method: RK4()}); !errors.Is(err, fail.ErrCallback) {
		t.Errorf("panic: %v", err)
	}
	bound := fail.Errorf(fail.ErrDiverged, "hnn", "left the bound")
	check := func(t float64, x []float64) error {
		if t > 0.5 {
			return bound
		}
		return nil
	}
	tr, err := Run(Problem{Prefix: "hnn", F: oscillator, Dim: 2, X0: []float64{1, 0}, T1: 1, Steps: 10, Method: RK4(), Check: check})
	if err != bound || len(tr.X) != 6 || tr.T[5] != 0.5 {
		t.Errorf("check: err %v, %d states", err, len(tr.X))
	}
}
