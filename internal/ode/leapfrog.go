package ode

import "math"

// Leapfrog returns the Störmer–Verlet method in kick-drift-kick form for a
// separable Hamiltonian system y = (q, p), where dq/dt depends only on p and
// dp/dt only on q:
//
//	p ← p + dt/2·F(q);  q ← q + dt·v(p);  p ← p + dt/2·F(q)
//
// with v = dq/dt and F = dp/dt read from the two halves of f. It is order 2,
// symplectic and time-reversible: the energy error stays bounded (no
// drift) over long runs. A step costs three evaluations of f when called on
// its own; inside Solve the force at the end of a step is reused at the
// start of the next, so a step costs two. len(y) must be even.
func Leapfrog() Method { return &leapfrog{} }

type leapfrog struct{ kicker }

func (*leapfrog) Name() string { return "Leapfrog" }
func (*leapfrog) Order() int   { return 2 }

func (m *leapfrog) Step(f Func, t float64, y []float64, dt float64) error {
	if err := m.prepare(f, y, dt); err != nil {
		return err
	}
	m.kdk(f, t, y, dt)
	return nil
}

// Yoshida4 returns Yoshida (1990)'s fourth-order symplectic method: three
// leapfrog steps of dt·w1, dt·w0, dt·w1 with w1 = 1/(2 − 2^(1/3)) and
// w0 = −2^(1/3)/(2 − 2^(1/3)) (the middle one runs backwards). Same
// requirements as Leapfrog; a step costs seven evaluations on its own and
// six inside Solve.
func Yoshida4() Method { return &yoshida4{} }

// Yoshida's triple-jump weights: w1 + w0 + w1 = 1 and 2·w1³ + w0³ = 0.
var (
	yoshidaW1 = 1 / (2 - math.Cbrt(2))
	yoshidaW0 = -math.Cbrt(2) / (2 - math.Cbrt(2))
)

type yoshida4 struct{ kicker }

func (*yoshida4) Name() string { return "Yoshida4" }
func (*yoshida4) Order() int   { return 4 }

func (m *yoshida4) Step(f Func, t float64, y []float64, dt float64) error {
	if err := m.prepare(f, y, dt); err != nil {
		return err
	}
	h1, h0 := yoshidaW1*dt, yoshidaW0*dt
	t1 := t + h1
	t2 := t1 + h0
	m.kdk(f, t, y, h1)
	m.kdk(f, t1, y, h0)
	// The last substep ends at t+dt exactly, so that a following step (or
	// the force cache) sees the same time.
	m.kdkTo(f, t2, y, dt-h1-h0, t+dt)
	return nil
}

// kicker holds the scratch of the leapfrog family and a one-entry cache of
// the force F(q) at the last position it was evaluated at.
type kicker struct {
	d []float64 // dydt buffer

	// Force cache: F = dp/dt at (ct, cq). It is reused only when a step
	// starts at exactly that time and position, and across Step calls only
	// inside a Solve run (the run owns f); a plain Step clears it first.
	cq, cf []float64
	ct     float64
	cached bool
	inRun  bool
}

// prepare validates and sizes the buffers; outside a Solve run it drops
// the cache, because the caller may pass a different f with the same state.
func (k *kicker) prepare(f Func, y []float64, dt float64) error {
	if err := checkStep(f, y, dt); err != nil {
		return err
	}
	if len(y)%2 != 0 {
		return inputErr("symplectic methods need y = (q, p) of even length, got len(y)=%d", len(y))
	}
	n := len(y)
	k.d = grow(k.d, n)
	k.cq, k.cf = grow(k.cq, n/2), grow(k.cf, n/2)
	if !k.inRun {
		k.cached = false
	}
	return nil
}

// beginRun and endRun bracket a Solve run, during which the force at the
// end of one step may serve the next.
func (k *kicker) beginRun() { k.inRun, k.cached = true, false }
func (k *kicker) endRun()   { k.inRun, k.cached = false, false }

// force returns F(q) = dp/dt at (t, q) where q = y[:n/2], from the cache
// when it holds exactly that point.
func (k *kicker) force(f Func, t float64, y []float64) []float64 {
	n := len(y) / 2
	q := y[:n]
	if k.cached && sameTime(k.ct, t) && equal(k.cq, q) {
		return k.cf
	}
	f(t, y, k.d)
	copy(k.cf, k.d[n:])
	copy(k.cq, q)
	k.ct, k.cached = t, true
	return k.cf
}

func (k *kicker) kdk(f Func, t float64, y []float64, h float64) {
	k.kdkTo(f, t, y, h, t+h)
}

// kdkTo is one kick-drift-kick step of size h from t; tEnd is the time
// used for the final force (t+h, passed in so rounding is controlled).
func (k *kicker) kdkTo(f Func, t float64, y []float64, h, tEnd float64) {
	n := len(y) / 2
	q, p := y[:n], y[n:]
	h2 := h / 2
	F := k.force(f, t, y)
	for i := range p {
		p[i] += h2 * F[i]
	}
	// y now holds (q, p½): the first half of f is v(p½).
	f(t+h2, y, k.d)
	for i := range q {
		q[i] += h * k.d[i]
	}
	F = k.force(f, tEnd, y)
	for i := range p {
		p[i] += h2 * F[i]
	}
}

// sameTime reports whether a and b are the same time up to the rounding
// of t + (t' − t) (a few ulps).
func sameTime(a, b float64) bool {
	return math.Abs(a-b) <= 1e-13*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func equal(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// runner is implemented by methods that can reuse work across the steps
// of one Solve run.
type runner interface {
	beginRun()
	endRun()
}

var (
	_ runner = (*leapfrog)(nil)
	_ runner = (*yoshida4)(nil)
)
