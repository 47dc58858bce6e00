package ode

import "math"

// Func is a right-hand side: it writes dy/dt at (t, y) into dydt, which has
// len(y). It must not keep y or dydt; the integrators reuse them.
type Func func(t float64, y, dydt []float64)

// Method is a fixed-step one-step method.
type Method interface {
	// Name is a short human-readable name ("RK4").
	Name() string
	// Order is the order p of the global error, O(dt^p).
	Order() int
	// Step advances y in place from t to t+dt (dt may be negative). The
	// method owns its scratch buffers, so a Method is not safe for
	// concurrent use. It returns an error for an empty y, a non-finite dt,
	// a nil f, or an odd len(y) in a symplectic method; it does not check y
	// for NaN (Solve does).
	Step(f Func, t float64, y []float64, dt float64) error
}

// Stats counts the work of a solve.
type Stats struct {
	Steps    int // accepted steps
	Rejected int // rejected steps (adaptive only)
	NFE      int // right-hand-side evaluations
}

// grow returns buf resized to n, reusing its storage when large enough.
func grow(buf []float64, n int) []float64 {
	if cap(buf) >= n {
		return buf[:n]
	}
	return make([]float64, n)
}

// checkStep validates the arguments shared by every Step.
func checkStep(f Func, y []float64, dt float64) error {
	if f == nil {
		return inputErr("nil right-hand side")
	}
	if len(y) == 0 {
		return inputErr("empty state (len(y) == 0)")
	}
	if math.IsNaN(dt) || math.IsInf(dt, 0) {
		return inputErr("step dt=%g is not finite", dt)
	}
	return nil
}

var (
	_ Method = (*euler)(nil)
	_ Method = (*rk4)(nil)
	_ Method = (*leapfrog)(nil)
	_ Method = (*yoshida4)(nil)
)
