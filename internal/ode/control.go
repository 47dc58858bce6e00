package ode

import "math"

// DefaultMaxSteps is the step limit when Adaptive.MaxSteps or
// RKOptions.MaxSteps is 0.
const DefaultMaxSteps = 100000

// Controller constants (Hairer, Nørsett and Wanner, §II.4).
const (
	dpSafety = 0.9
	dpFacMin = 0.2
	dpFacMax = 10.0
	// After this many consecutive trial steps with NaN or Inf, give up
	// with ErrNotFinite (the step has shrunk by 0.2³⁰ ≈ 1e-21).
	dpMaxNonFinite = 30
)

// stepControl is the step-size controller of the adaptive solvers, Adaptive
// and RK's adaptive mode (Hairer, Nørsett and Wanner, Solving ODEs I,
// §II.4; SciPy's solve_ivp): a trial step is accepted when the weighted RMS
// norm of its error estimate is at most 1, and the next step is
// h·min(facmax, max(0.2, 0.9·err^(−1/(q+1)))) with q the embedded order and
// facmax 10, or 1 right after a rejection. A trial that gives NaN or Inf is
// retried at a fifth of the size, dpMaxNonFinite times at most.
type stepControl struct {
	expo         float64 // −1/(q+1)
	minStep      float64 // 0: only the floating-point limit
	hMax         float64 // bound on the step size
	maxSteps     int     // attempted steps allowed
	t0, t1       float64 // the interval, for messages
	rejectedLast bool    // the last trial was rejected
	nonFinite    int     // consecutive trials that gave NaN or Inf
}

// newStepControl sets up the controller for a method with embedded order q
// on [t0, t1]; maxStep and maxSteps are the user's settings (0 means
// |t1 − t0| and DefaultMaxSteps).
func newStepControl(q int, minStep, maxStep float64, maxSteps int, t0, t1 float64) stepControl {
	hMax := maxStep
	if hMax == 0 || hMax > math.Abs(t1-t0) {
		hMax = math.Abs(t1 - t0)
	}
	if maxSteps == 0 {
		maxSteps = DefaultMaxSteps
	}
	return stepControl{expo: -1.0 / float64(q+1), minStep: minStep, hMax: hMax, maxSteps: maxSteps, t0: t0, t1: t1}
}

// firstF checks f(t0, y0), the first stage of the run.
func firstF(k0 []float64, t0 float64) error {
	if i := firstNonFinite(k0); i >= 0 {
		return newErr(ErrNotFinite, t0, "right-hand side is %s at t0=%g (component %d)", nanOrInf(k0[i]), t0, i)
	}
	return nil
}

// start returns the size of the first trial step: first, the user's
// FirstStep, or Hairer's guess from guess when first is 0, at most hMax.
func (c *stepControl) start(first float64, guess func(hMax float64) (float64, error)) (float64, error) {
	h := first
	if h == 0 {
		var err error
		if h, err = guess(c.hMax); err != nil {
			return 0, err
		}
	}
	return math.Min(h, c.hMax), nil
}

// before returns the error that ends the run before a trial step of size
// h > 0 from t: the step limit, a step below MinStep, or a step that no
// longer changes t (ErrNotFinite instead when trials have been giving NaN
// or Inf).
func (c *stepControl) before(st Stats, t, h float64) error {
	if st.Steps+st.Rejected >= c.maxSteps {
		return newErr(ErrStepLimit, t, "step limit of %d steps reached at t=%g (of %g to %g); raise MaxSteps or loosen the tolerances", c.maxSteps, t, c.t0, c.t1)
	}
	if c.minStep > 0 && h < c.minStep {
		if c.nonFinite > 0 {
			return newErr(ErrNotFinite, t, "state became NaN or Inf at t=%g for every step size down to MinStep=%g", t, c.minStep)
		}
		return newErr(ErrStepSize, t, "step size %g fell below MinStep=%g at t=%g", h, c.minStep, t)
	}
	if 0.1*h <= math.Abs(t)*0x1p-52 || h == 0 {
		if c.nonFinite > 0 {
			return newErr(ErrNotFinite, t, "state became NaN or Inf at t=%g for every step size down to %g", t, h)
		}
		return newErr(ErrStepSize, t, "step size underflow at t=%g: step %g no longer changes t (stiff problem or singularity?)", t, h)
	}
	return nil
}

// judge rates a trial step of signed size hs from t whose error norm is
// errNorm. It returns ok when the step is accepted; otherwise it counts the
// rejection in st and returns the size of the next trial, or the error that
// ends the run after too many trials with NaN or Inf.
func (c *stepControl) judge(st *Stats, t, hs, errNorm float64) (ok bool, h float64, err error) {
	if math.IsNaN(errNorm) || math.IsInf(errNorm, 0) {
		c.nonFinite++
		if c.nonFinite >= dpMaxNonFinite {
			return false, 0, newErr(ErrNotFinite, t, "state became NaN or Inf at t=%g: trial steps down to %g all gave NaN or Inf", t, math.Abs(hs))
		}
		st.Rejected++
		c.rejectedLast = true
		return false, math.Abs(hs) * dpFacMin, nil
	}
	c.nonFinite = 0
	if errNorm > 1 {
		st.Rejected++
		c.rejectedLast = true
		return false, math.Abs(hs) * math.Max(dpFacMin, dpSafety*math.Pow(errNorm, c.expo)), nil
	}
	return true, 0, nil
}

// grow returns the factor by which the step after an accepted one of error
// norm errNorm may change (at most 1 right after a rejection).
func (c *stepControl) grow(errNorm float64) float64 {
	facMax := dpFacMax
	if c.rejectedLast {
		facMax = 1
	}
	c.rejectedLast = false
	if errNorm > 0 {
		return math.Min(facMax, math.Max(dpFacMin, dpSafety*math.Pow(errNorm, c.expo)))
	}
	return facMax
}

// hairerFirstStep is Hairer's starting step size guess (Solving ODEs I,
// §II.4; SciPy's select_initial_step) for a method whose error estimate has
// order q: from the sizes of y and f0 = f(t, y) and an estimate of the
// second derivative made with one explicit Euler step in direction dir,
// whose state goes into tmp and f there into f1. The weights are
// atol + rtol·|y_i|.
func hairerFirstStep(f FuncE, t, dir, hMax float64, y, f0, tmp, f1 []float64, rtol, atol float64, q int) (float64, error) {
	n := float64(len(y))
	var d0, d1 float64
	for i := range y {
		sc := atol + rtol*math.Abs(y[i])
		d0 += (y[i] / sc) * (y[i] / sc)
		d1 += (f0[i] / sc) * (f0[i] / sc)
	}
	d0, d1 = math.Sqrt(d0/n), math.Sqrt(d1/n)
	h0 := 1e-6
	if d0 >= 1e-5 && d1 >= 1e-5 {
		h0 = 0.01 * d0 / d1
	}
	h0 = math.Min(h0, hMax)
	for i := range y {
		tmp[i] = y[i] + dir*h0*f0[i]
	}
	if err := f(t+dir*h0, tmp, f1); err != nil {
		return 0, err
	}
	var d2 float64
	for i := range y {
		sc := atol + rtol*math.Abs(y[i])
		d := (f1[i] - f0[i]) / sc
		d2 += d * d
	}
	d2 = math.Sqrt(d2/n) / h0
	m := math.Max(d1, d2)
	var h1 float64
	switch {
	case math.IsNaN(m) || math.IsInf(m, 0):
		h1 = h0 // f misbehaves near y0: the controller will shrink the step
	case m <= 1e-15:
		h1 = math.Max(1e-6, h0*1e-3)
	default:
		h1 = math.Pow(0.01/m, 1.0/float64(q+1))
	}
	return math.Min(math.Min(100*h0, h1), hMax), nil
}

// checkStepBounds checks the step settings of the adaptive solvers:
// FirstStep, MinStep and MaxStep ≥ 0 and finite, MaxSteps ≥ 0;
// maxStepZero says what MaxStep 0 means.
func checkStepBounds(first, minStep, maxStep float64, maxSteps int, maxStepZero string) error {
	switch {
	case !(first >= 0) || math.IsInf(first, 0):
		return inputErr("FirstStep=%g must be ≥ 0 and finite (0 = automatic)", first)
	case !(minStep >= 0) || math.IsInf(minStep, 0):
		return inputErr("MinStep=%g must be ≥ 0 and finite", minStep)
	case !(maxStep >= 0) || math.IsInf(maxStep, 0):
		return inputErr("MaxStep=%g must be ≥ 0 and finite (0 = %s)", maxStep, maxStepZero)
	case maxSteps < 0:
		return inputErr("MaxSteps=%d must be ≥ 0 (0 = %d)", maxSteps, DefaultMaxSteps)
	}
	return nil
}

// checkTimes checks output times: finite and strictly increasing or
// strictly decreasing. It returns the direction of integration, 1 or −1.
func checkTimes(ts []float64) (float64, error) {
	for i, t := range ts {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return 0, inputErr("ts[%d]=%g is not finite", i, t)
		}
	}
	dir := 1.0
	if len(ts) > 1 && ts[1] < ts[0] {
		dir = -1
	}
	for i := 1; i < len(ts); i++ {
		if !(dir*(ts[i]-ts[i-1]) > 0) {
			return 0, inputErr("output times must be strictly increasing or strictly decreasing: ts[%d]=%g, ts[%d]=%g", i-1, ts[i-1], i, ts[i])
		}
	}
	return dir, nil
}

// nanOrInf names a value that is not finite.
func nanOrInf(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return "Inf"
}
