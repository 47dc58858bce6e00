package ode

import "math"

// Solve integrates dy/dt = f(t, y) from t0 to t1 with method m and fixed
// step dt > 0, the last step shortened to land exactly on t1, and returns
// y(t1) in a new slice (y0 is not modified). Step k starts at t0 + k·dt
// (not at an accumulated sum), so long runs do not drift in time.
//
// For t1 < t0 it integrates backwards with steps of −dt; t1 == t0 returns a
// copy of y0. obs, when not nil, is called after every step with the time
// and the solver's state, which obs must neither keep nor modify.
//
// It fails with ErrInput on bad arguments, and with ErrNotFinite when y0
// holds NaN or Inf or the state becomes NaN or Inf (the error gives the
// time of the step that produced it).
func Solve(f Func, m Method, y0 []float64, t0, t1, dt float64, obs func(t float64, y []float64)) ([]float64, Stats, error) {
	var st Stats
	switch {
	case f == nil:
		return nil, st, inputErr("nil right-hand side")
	case m == nil:
		return nil, st, inputErr("nil method")
	case len(y0) == 0:
		return nil, st, inputErr("empty y0 (len(y0) == 0)")
	case math.IsNaN(t0) || math.IsInf(t0, 0) || math.IsNaN(t1) || math.IsInf(t1, 0):
		return nil, st, inputErr("t0=%g and t1=%g must be finite", t0, t1)
	case math.IsInf(t1-t0, 0):
		return nil, st, inputErr("the interval [%g, %g] is too long: t1 − t0 overflows", t0, t1)
	case !(dt > 0) || math.IsInf(dt, 0):
		return nil, st, inputErr("step dt=%g must be positive and finite", dt)
	}
	if i := firstNonFinite(y0); i >= 0 {
		return nil, st, finiteErr(y0, i, t0, "y0")
	}
	y := append([]float64(nil), y0...)
	if t1 == t0 {
		return y, st, nil
	}
	span, dir := t1-t0, 1.0
	if span < 0 {
		span, dir = -span, -1
	}
	// Number of steps: span/dt rounded up, but a ratio within rounding of
	// an integer counts as that integer (no sliver of a last step).
	r := span / dt
	if r > 1<<52 {
		return nil, st, inputErr("step dt=%g is too small for the interval [%g, %g] (%.3g steps)", dt, t0, t1, r)
	}
	n := math.Round(r)
	if math.Abs(r-n) > 1e-9*math.Max(1, r) {
		n = math.Ceil(r)
	}
	steps := int(n)
	if steps < 1 {
		steps = 1
	}
	cf := func(t float64, y, dydt []float64) { st.NFE++; f(t, y, dydt) }
	if rm, ok := m.(runner); ok {
		rm.beginRun()
		defer rm.endRun()
	}
	h := dir * dt
	for k := 0; k < steps; k++ {
		t := t0 + float64(k)*h
		tn := t0 + float64(k+1)*h
		if k == steps-1 {
			tn = t1
		}
		if err := m.Step(cf, t, y, tn-t); err != nil {
			return nil, st, err
		}
		st.Steps++
		if i := firstNonFinite(y); i >= 0 {
			return nil, st, finiteErr(y, i, tn, "state")
		}
		if obs != nil {
			obs(tn, y)
		}
	}
	return y, st, nil
}
