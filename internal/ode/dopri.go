package ode

import "math"

// Adaptive is the explicit Dormand–Prince 5(4) Runge–Kutta pair (Dormand and
// Prince 1980): a fifth-order solution propagated (local extrapolation),
// a fourth-order embedded one for the error estimate, seven stages of which
// the last is the first of the next step (FSAL, so six evaluations per
// accepted step), and the standard step-size controller (Hairer, Nørsett
// and Wanner, Solving ODEs I, §II.4):
//
//	err = sqrt(mean_i (e_i / (ATol + RTol·max(|y_i|, |y_new,i|)))²)
//	accept when err ≤ 1;  h_new = h·min(facmax, max(0.2, 0.9·err^(−1/5)))
//
// with facmax = 10, and 1 right after a rejection. RTol and ATol have no
// default: zero is an error that says to set them. The other fields' zero
// values mean the defaults in their comments.
type Adaptive struct {
	// RTol and ATol are the relative and absolute tolerances of the
	// local error, both required and positive (for example 1e-6, 1e-9).
	RTol, ATol float64
	// FirstStep is the size of the first trial step; 0 means Hairer's
	// automatic guess (one extra evaluation of f).
	FirstStep float64
	// MaxSteps bounds the attempted (accepted plus rejected) steps; 0 means
	// 100000.
	MaxSteps int
	// MinStep is the smallest step size allowed before failing with
	// ErrStepSize (a last step shortened to land on t1 is exempt); 0 means
	// only the floating-point limit (a step that no longer changes t).
	MinStep float64
	// MaxStep bounds the step size; 0 means |t1 − t0|.
	MaxStep float64
}

// Dormand–Prince 5(4) coefficients (Dormand and Prince 1980; Hairer,
// Nørsett and Wanner, Table II.5.2).
const (
	dpC2, dpC3, dpC4, dpC5 = 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9

	dpA21 = 1.0 / 5

	dpA31, dpA32 = 3.0 / 40, 9.0 / 40

	dpA41, dpA42, dpA43 = 44.0 / 45, -56.0 / 15, 32.0 / 9

	dpA51, dpA52, dpA53, dpA54 = 19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729

	dpA61, dpA62, dpA63, dpA64, dpA65 = 9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656

	// Fifth-order weights (also the last stage's row: FSAL).
	dpB1, dpB3, dpB4, dpB5, dpB6 = 35.0 / 384, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84

	// Error weights: fifth-order minus fourth-order weights
	// (b̂ = 5179/57600, 0, 7571/16695, 393/640, −92097/339200, 187/2100, 1/40).
	dpE1, dpE3, dpE4, dpE5, dpE6, dpE7 = 71.0 / 57600, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40

	// Dense output (Shampine 1986, as in Hairer's DOPRI5 code).
	dpD1, dpD3, dpD4, dpD5, dpD6, dpD7 = -12715105075.0 / 11282082432, 87487479700.0 / 32700410799, -10690763975.0 / 1880347072,
		701980252875.0 / 199316789632, -1453857185.0 / 822651844, 69997945.0 / 29380423
)

// Solve integrates dy/dt = f(t, y) from t0 to t1 and returns y(t1) in a
// new slice (y0 is not modified). obs, when not nil, is called after every
// accepted step with the time and the solver's state, which it must neither
// keep nor modify. t1 < t0 integrates backwards; t1 == t0 returns a copy
// of y0.
//
// It fails with ErrInput on bad arguments or missing tolerances,
// ErrNotFinite when y0 holds NaN or Inf or f gives NaN or Inf that no
// smaller step avoids, ErrStepLimit after MaxSteps attempts and ErrStepSize
// when the step falls below MinStep or can no longer advance t.
func (a Adaptive) Solve(f Func, y0 []float64, t0, t1 float64, obs func(t float64, y []float64)) ([]float64, Stats, error) {
	var s dpState
	var each func(*dpState)
	if obs != nil {
		each = func(s *dpState) { obs(s.t, s.y) }
	}
	st, err := s.run(a, f, y0, t0, t1, each)
	if err != nil {
		return nil, st, err
	}
	return s.y, st, nil
}

// SolveAt integrates from ts[0] to ts[len(ts)−1] and returns y at every
// time of ts (out[0] is a copy of y0), read from the method's fourth-order
// continuous extension (dense output) between the steps the controller
// chooses, so the times cost no extra steps. ts must be finite and strictly
// increasing or strictly decreasing.
func (a Adaptive) SolveAt(f Func, y0 []float64, ts []float64) ([][]float64, Stats, error) {
	if len(ts) == 0 {
		return nil, Stats{}, inputErr("SolveAt needs at least one time, got none")
	}
	dir, err := checkTimes(ts)
	if err != nil {
		return nil, Stats{}, err
	}
	out := make([][]float64, len(ts))
	next := 1
	var s dpState
	st, err := s.run(a, f, y0, ts[0], ts[len(ts)-1], func(s *dpState) {
		dense := false
		for next < len(ts) && dir*(ts[next]-s.t) <= 0 {
			if !dense {
				s.denseCoefficients()
				dense = true
			}
			out[next] = s.interpolate(ts[next], make([]float64, len(s.y)))
			next++
		}
	})
	if err != nil {
		return nil, st, err
	}
	out[0] = append([]float64(nil), y0...)
	if len(ts) > 1 {
		// The last time is the end point itself: take it exactly.
		copy(out[len(ts)-1], s.y)
	}
	return out, st, nil
}

// dpState is the solver's state and scratch for one run.
type dpState struct {
	t, h, tOld float64   // time, step just taken, its start
	y, yOld    []float64 // state at t and at tOld
	k          [7][]float64
	tmp        []float64
	rc         [5][]float64 // dense-output coefficients of the last step
}

// check validates the configuration.
func (a Adaptive) check(f Func, y0 []float64, t0, t1 float64) error {
	switch {
	case a.RTol == 0 && a.ATol == 0:
		return inputErr("Adaptive needs RTol and ATol: there is no default accuracy; set both, e.g. Adaptive{RTol: 1e-6, ATol: 1e-9}")
	case a.RTol == 0 || a.ATol == 0:
		return inputErr("Adaptive needs both RTol and ATol set (got RTol=%g, ATol=%g); there is no default accuracy", a.RTol, a.ATol)
	case !(a.RTol > 0) || !(a.ATol > 0) || math.IsInf(a.RTol, 0) || math.IsInf(a.ATol, 0):
		return inputErr("RTol=%g and ATol=%g must be positive and finite", a.RTol, a.ATol)
	}
	if err := checkStepBounds(a.FirstStep, a.MinStep, a.MaxStep, a.MaxSteps, "|t1 − t0|"); err != nil {
		return err
	}
	switch {
	case f == nil:
		return inputErr("nil right-hand side")
	case len(y0) == 0:
		return inputErr("empty y0 (len(y0) == 0)")
	case math.IsNaN(t0) || math.IsInf(t0, 0) || math.IsNaN(t1) || math.IsInf(t1, 0):
		return inputErr("t0=%g and t1=%g must be finite", t0, t1)
	case math.IsInf(t1-t0, 0):
		return inputErr("the interval [%g, %g] is too long: t1 − t0 overflows", t0, t1)
	}
	if i := firstNonFinite(y0); i >= 0 {
		return finiteErr(y0, i, t0, "y0")
	}
	return nil
}

// run integrates from t0 to t1, calling each (when not nil) after every
// accepted step; s.y ends as y(t1).
func (s *dpState) run(a Adaptive, f Func, y0 []float64, t0, t1 float64, each func(*dpState)) (Stats, error) {
	var st Stats
	if err := a.check(f, y0, t0, t1); err != nil {
		return st, err
	}
	n := len(y0)
	s.y = append([]float64(nil), y0...)
	s.t = t0
	if t1 == t0 {
		return st, nil
	}
	s.yOld, s.tmp = make([]float64, n), make([]float64, n)
	for i := range s.k {
		s.k[i] = make([]float64, n)
	}
	cf := func(t float64, y, dydt []float64) { st.NFE++; f(t, y, dydt) }

	dir := 1.0
	if t1 < t0 {
		dir = -1
	}
	c := newStepControl(4, a.MinStep, a.MaxStep, a.MaxSteps, t0, t1)
	cf(t0, s.y, s.k[0])
	if err := firstF(s.k[0], t0); err != nil {
		return st, err
	}
	// h is a magnitude; the signed step is dir·h.
	h, err := c.start(a.FirstStep, func(hMax float64) (float64, error) {
		return hairerFirstStep(func(t float64, y, dydt []float64) error { cf(t, y, dydt); return nil },
			s.t, dir, hMax, s.y, s.k[0], s.tmp, s.k[1], a.RTol, a.ATol, 4)
	})
	if err != nil {
		return st, err
	}
	for {
		if err := c.before(st, s.t, h); err != nil {
			return st, err
		}
		last := false
		hs := dir * h
		if dir*(s.t+hs-t1) >= 0 {
			hs, last = t1-s.t, true
		}
		errNorm := s.trial(a, cf, hs)
		ok, hRetry, err := c.judge(&st, s.t, hs, errNorm)
		if err != nil {
			return st, err
		}
		if !ok {
			h = hRetry
			continue
		}
		// Accept: the new state is in k[6]'s companion s.tmp; FSAL.
		s.tOld, s.h = s.t, hs
		s.y, s.yOld = s.yOld, s.y
		copy(s.y, s.tmp)
		if last {
			s.t = t1
		} else {
			s.t += hs
		}
		st.Steps++
		if i := firstNonFinite(s.y); i >= 0 {
			return st, finiteErr(s.y, i, s.t, "state")
		}
		if each != nil {
			each(s)
		}
		s.k[0], s.k[6] = s.k[6], s.k[0]
		if last {
			return st, nil
		}
		h = math.Min(math.Abs(hs)*c.grow(errNorm), c.hMax)
	}
}

// trial computes one Dormand–Prince step of signed size h from (s.t, s.y)
// with k[0] = f(t, y) already known: the fifth-order result goes to s.tmp,
// f at it to k[6], and the scaled RMS error estimate is returned.
func (s *dpState) trial(a Adaptive, f Func, h float64) float64 {
	y, k, z := s.y, s.k, s.tmp
	t := s.t
	for i := range z {
		z[i] = y[i] + h*dpA21*k[0][i]
	}
	f(t+dpC2*h, z, k[1])
	for i := range z {
		z[i] = y[i] + h*(dpA31*k[0][i]+dpA32*k[1][i])
	}
	f(t+dpC3*h, z, k[2])
	for i := range z {
		z[i] = y[i] + h*(dpA41*k[0][i]+dpA42*k[1][i]+dpA43*k[2][i])
	}
	f(t+dpC4*h, z, k[3])
	for i := range z {
		z[i] = y[i] + h*(dpA51*k[0][i]+dpA52*k[1][i]+dpA53*k[2][i]+dpA54*k[3][i])
	}
	f(t+dpC5*h, z, k[4])
	for i := range z {
		z[i] = y[i] + h*(dpA61*k[0][i]+dpA62*k[1][i]+dpA63*k[2][i]+dpA64*k[3][i]+dpA65*k[4][i])
	}
	f(t+h, z, k[5])
	for i := range z {
		z[i] = y[i] + h*(dpB1*k[0][i]+dpB3*k[2][i]+dpB4*k[3][i]+dpB5*k[4][i]+dpB6*k[5][i])
	}
	f(t+h, z, k[6])
	sum := 0.0
	for i := range z {
		e := h * (dpE1*k[0][i] + dpE3*k[2][i] + dpE4*k[3][i] + dpE5*k[4][i] + dpE6*k[5][i] + dpE7*k[6][i])
		sc := a.ATol + a.RTol*math.Max(math.Abs(y[i]), math.Abs(z[i]))
		sum += (e / sc) * (e / sc)
	}
	return math.Sqrt(sum / float64(len(z)))
}

// denseCoefficients prepares the continuous extension of the step just
// accepted, from (tOld, yOld) to (t, y); k[0] is still the stage at tOld and
// k[6] the one at t.
func (s *dpState) denseCoefficients() {
	n := len(s.y)
	for i := range s.rc {
		s.rc[i] = grow(s.rc[i], n)
	}
	h, k := s.h, s.k
	for i := range s.y {
		dy := s.y[i] - s.yOld[i]
		b := h*k[0][i] - dy
		s.rc[0][i] = s.yOld[i]
		s.rc[1][i] = dy
		s.rc[2][i] = b
		s.rc[3][i] = dy - h*k[6][i] - b
		s.rc[4][i] = h * (dpD1*k[0][i] + dpD3*k[2][i] + dpD4*k[3][i] + dpD5*k[4][i] + dpD6*k[5][i] + dpD7*k[6][i])
	}
}

// interpolate writes the dense output at time t (within the last step)
// into dst and returns it.
func (s *dpState) interpolate(t float64, dst []float64) []float64 {
	th := (t - s.tOld) / s.h
	th1 := 1 - th
	for i := range dst {
		dst[i] = s.rc[0][i] + th*(s.rc[1][i]+th1*(s.rc[2][i]+th*(s.rc[3][i]+th1*s.rc[4][i])))
	}
	return dst
}
