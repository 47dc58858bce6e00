package flows

import (
	"math"
)

// Separable is a separable Hamiltonian H(q, p) = K(p) + V(q), given by the
// gradients of its two parts. Its leapfrog map is volume preserving and
// exactly invertible whatever K and V are, which is what makes it a
// normalizing flow with log-determinant zero. A user brings their own
// Hamiltonian as a Separable; an NHF's learned one is available as
// (*NHF).Hamiltonian.
type Separable struct {
	// Dim is the length of q and of p (the phase space has 2·Dim
	// coordinates).
	Dim int
	// GradK sets g = ∇K(p) for every row of p (rows of Dim values,
	// row-major; g has the same shape).
	GradK func(p, g []float64)
	// GradV sets g = ∇V(q) for every row of q, as GradK.
	GradV func(q, g []float64)
}

// Leapfrog advances the states (q, p) (rows of h.Dim values each, row-major,
// updated in place) by steps leapfrog steps of size dt > 0 of Hamilton's
// equations dq/dt = ∇K(p), dp/dt = −∇V(q):
//
//	p ← p − (dt/2)∇V(q),  q ← q + dt∇K(p),  p ← p − (dt/2)∇V(q).
//
// Each half step is a shear, so the map has Jacobian determinant exactly 1;
// LeapfrogInverse undoes it to rounding.
func Leapfrog(h Separable, q, p []float64, dt float64, steps int) error {
	if err := h.check(q, p, dt, steps); err != nil {
		return err
	}
	return h.run(q, p, dt, steps)
}

// LeapfrogInverse undoes Leapfrog with the same h, dt and steps: it runs
// the steps backward in time (the leapfrog step with −dt is the exact
// inverse of the step with dt, up to rounding).
func LeapfrogInverse(h Separable, q, p []float64, dt float64, steps int) error {
	if err := h.check(q, p, dt, steps); err != nil {
		return err
	}
	return h.run(q, p, -dt, steps)
}

func (h Separable) check(q, p []float64, dt float64, steps int) error {
	if h.Dim < 1 {
		return errorf(ErrInput, "Separable.Dim is %d; must be at least 1", h.Dim)
	}
	if h.GradK == nil || h.GradV == nil {
		return errorf(ErrInput, "Separable needs both GradK and GradV")
	}
	if len(q) == 0 || len(q)%h.Dim != 0 || len(p) != len(q) {
		return errorf(ErrInput, "leapfrog: q has %d values and p %d; both must hold the same whole rows of Dim = %d", len(q), len(p), h.Dim)
	}
	if !(dt > 0) || math.IsInf(dt, 0) {
		return errorf(ErrInput, "leapfrog step size is %v; must be positive and finite", dt)
	}
	if steps < 1 {
		return errorf(ErrInput, "leapfrog: %d steps; must be at least 1", steps)
	}
	if err := finite("q", q); err != nil {
		return err
	}
	return finite("p", p)
}

// gradFailure is the panic value of a gradient of this package's own (a
// user Network's, in NHF.Hamiltonian) that failed; run returns err.
type gradFailure struct{ err error }

// run does the steps with signed dt, recovering panics of the callbacks.
func (h Separable) run(q, p []float64, dt float64, steps int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if f, ok := r.(gradFailure); ok {
				err = f.err
				return
			}
			err = errorf(ErrCallback, "Separable gradient panicked: %v", r)
		}
	}()
	leapfrog(h.GradK, h.GradV, q, p, dt, steps)
	if err := finite("leapfrog state q", q); err != nil {
		return err
	}
	return finite("leapfrog state p", p)
}

// leapfrog does steps leapfrog steps of signed size dt in place. The
// gradient of V at the end of one step is the one at the start of the
// next, so it is computed steps+1 times, not 2·steps.
func leapfrog(gradK, gradV func(x, g []float64), q, p []float64, dt float64, steps int) {
	g := make([]float64, len(q))
	gradV(q, g)
	for s := 0; s < steps; s++ {
		for i := range p {
			p[i] -= dt / 2 * g[i]
		}
		gradK(p, g)
		for i := range q {
			q[i] += dt * g[i]
		}
		gradV(q, g)
		for i := range p {
			p[i] -= dt / 2 * g[i]
		}
	}
}

// finite returns an ErrNotFinite error naming the first NaN or Inf in x.
func finite(what string, x []float64) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errorf(ErrNotFinite, "%s holds %v at index %d", what, v, i)
		}
	}
	return nil
}
