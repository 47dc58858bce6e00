package ode

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// TestSolveBadInput: every bad argument is an error of the right kind whose
// message starts with "ode: " and names the problem.
func TestSolveBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	blowUp := func(t float64, y, d []float64) { d[0] = y[0] * y[0] } // y = 1/(1 − t)
	for _, c := range []struct {
		name   string
		f      Func
		m      Method
		y0     []float64
		t0, t1 float64
		dt     float64
		kind   error
		msg    string
	}{
		{"nil f", nil, RK4(), []float64{1}, 0, 1, 0.1, ErrInput, "nil right-hand side"},
		{"nil method", oscillator, nil, []float64{1, 0}, 0, 1, 0.1, ErrInput, "nil method"},
		{"empty y0", oscillator, RK4(), nil, 0, 1, 0.1, ErrInput, "len(y0) == 0"},
		{"dt zero", oscillator, RK4(), []float64{1, 0}, 0, 1, 0, ErrInput, "dt=0 must be positive"},
		{"dt negative", oscillator, RK4(), []float64{1, 0}, 0, 1, -0.1, ErrInput, "dt=-0.1 must be positive"},
		{"dt NaN", oscillator, RK4(), []float64{1, 0}, 0, 1, nan, ErrInput, "must be positive"},
		{"t1 Inf", oscillator, RK4(), []float64{1, 0}, 0, inf, 0.1, ErrInput, "must be finite"},
		{"interval overflows", oscillator, RK4(), []float64{1, 0}, -1e308, 1e308, 1e300, ErrInput, "t1 − t0 overflows"},
		{"dt tiny", oscillator, RK4(), []float64{1, 0}, 0, 1, 1e-300, ErrInput, "too small"},
		{"y0 NaN", oscillator, RK4(), []float64{1, nan}, 0, 1, 0.1, ErrNotFinite, "y0[1] is NaN"},
		{"y0 Inf", oscillator, RK4(), []float64{inf, 0}, 0, 1, 0.1, ErrNotFinite, "y0[0] is Inf"},
		{"odd leapfrog", blowUp, Leapfrog(), []float64{1}, 0, 1, 0.1, ErrInput, "even length, got len(y)=1"},
		{"odd yoshida", blowUp, Yoshida4(), []float64{1, 2, 3}, 0, 1, 0.1, ErrInput, "even length, got len(y)=3"},
		// Euler on y' = y² from 1 overflows to Inf within a few steps of
		// dt = 0.5 (1, 1.5, 2.6, 6.1, 25, …, 1e300, Inf).
		{"blow up", blowUp, Euler(), []float64{1}, 0, 100, 0.5, ErrNotFinite, "state became Inf at t="},
		{"NaN rhs", func(t float64, y, d []float64) { d[0] = math.Sqrt(-1 - t) }, RK4(), []float64{1}, 0, 1, 0.25, ErrNotFinite, "state became NaN at t=0.25 (component 0)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			y, _, err := Solve(c.f, c.m, c.y0, c.t0, c.t1, c.dt, nil)
			if err == nil {
				t.Fatalf("no error, y = %v", y)
			}
			if !errors.Is(err, c.kind) {
				t.Errorf("error %q is not %v", err, c.kind)
			}
			var oe *Error
			if !errors.As(err, &oe) {
				t.Errorf("error %q is not an *ode.Error", err)
			}
			if !strings.HasPrefix(err.Error(), "ode: ") || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q, want it to contain %q", err, c.msg)
			}
		})
	}
}

// TestStepBadInput: Step itself rejects what it cannot do.
func TestStepBadInput(t *testing.T) {
	for _, m := range []Method{Euler(), RK4(), Leapfrog(), Yoshida4()} {
		for _, c := range []struct {
			f  Func
			y  []float64
			dt float64
		}{{nil, []float64{1, 0}, 0.1}, {oscillator, nil, 0.1}, {oscillator, []float64{1, 0}, math.NaN()}, {oscillator, []float64{1, 0}, math.Inf(-1)}} {
			if err := m.Step(c.f, 0, c.y, c.dt); !errors.Is(err, ErrInput) {
				t.Errorf("%s.Step(%v, dt=%g): error %v, want ErrInput", m.Name(), c.y, c.dt, err)
			}
		}
	}
}

// TestSolveTimes: the observer sees t0 + k·dt, the last step is shortened
// to land on t1 exactly, y0 is not modified, and t1 == t0 returns y0.
func TestSolveTimes(t *testing.T) {
	y0 := []float64{1}
	var ts []float64
	y, st, err := Solve(func(t float64, y, d []float64) { d[0] = 1 }, Euler(), y0, 0, 1.05, 0.25, func(t float64, y []float64) { ts = append(ts, t) })
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.25, 0.5, 0.75, 1, 1.05}
	if len(ts) != len(want) || st.Steps != 5 {
		t.Fatalf("times %v (%d steps), want %v", ts, st.Steps, want)
	}
	for i := range want {
		if ts[i] != want[i] {
			t.Errorf("time %d = %v, want %v", i, ts[i], want[i])
		}
	}
	// y' = 1 is integrated exactly by Euler: y(1.05) = 2.05.
	if math.Abs(y[0]-2.05) > 1e-15 || y0[0] != 1 {
		t.Errorf("y(1.05) = %v (want 2.05), y0 = %v (want unchanged 1)", y[0], y0[0])
	}
	// 0.1 does not divide 1 exactly in floating point (1/0.1 rounds), yet
	// this is 10 steps, not 10 plus a sliver.
	_, st, _ = Solve(oscillator, RK4(), []float64{1, 0}, 0, 1, 0.1, nil)
	if st.Steps != 10 {
		t.Errorf("[0,1] with dt=0.1 took %d steps, want 10", st.Steps)
	}
	y, st, err = Solve(oscillator, RK4(), []float64{3, 4}, 2, 2, 0.1, nil)
	if err != nil || st.NFE != 0 || y[0] != 3 || y[1] != 4 {
		t.Errorf("t1 == t0: y=%v stats=%+v err=%v", y, st, err)
	}
}

// TestSolveBackward: integrating forwards then backwards returns to y0 —
// to rounding for the time-reversible Leapfrog and Yoshida4 (1e-12 after
// 100 steps), to twice the method's error for RK4 (the convergence test
// shows 8e-6 at dt = 0.079 over t = 2π; here dt = 0.1 over t = 10 each way,
// so ≈4e-5: bound 1e-4) — and backwards alone matches the closed form.
func TestSolveBackward(t *testing.T) {
	for _, c := range []struct {
		m   Method
		tol float64
	}{{Leapfrog(), 1e-12}, {Yoshida4(), 1e-12}, {RK4(), 1e-4}} {
		y0 := []float64{1, 0, 0, 1}
		y1, _, err := Solve(kepler, c.m, y0, 0, 10, 0.1, nil)
		if err != nil {
			t.Fatal(err)
		}
		back, _, err := Solve(kepler, c.m, y1, 10, 0, 0.1, nil)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxAbsDiff(back, y0); d > c.tol {
			t.Errorf("%s: forward then back differs from y0 by %.3g, want ≤ %g", c.m.Name(), d, c.tol)
		}
	}
	// y' = −y backwards from y(1) = e⁻¹ to t = 0 gives 1 (RK4, dt = 0.01:
	// error ~1e-10).
	y, _, err := Solve(func(t float64, y, d []float64) { d[0] = -y[0] }, RK4(), []float64{math.Exp(-1)}, 1, 0, 0.01, nil)
	if err != nil || math.Abs(y[0]-1) > 1e-9 {
		t.Errorf("backwards y(0) = %v (err %v), want 1", y, err)
	}
}
