package ode

import (
	"errors"
	"fmt"
	"math"
)

// The conditions an integration can fail on; test for them with errors.Is.
// The errors returned carry the details (time, step size, component) in
// their message.
var (
	// ErrInput: an argument is invalid (empty state, dt ≤ 0, odd length
	// for a symplectic method, tolerances not set, nil function).
	ErrInput = errors.New("ode: invalid input")
	// ErrNotFinite: y0 holds NaN or Inf, or the state became NaN or Inf
	// during the run.
	ErrNotFinite = errors.New("ode: state is NaN or Inf")
	// ErrStepLimit: the adaptive solver used up MaxSteps before t1.
	ErrStepLimit = errors.New("ode: step limit reached")
	// ErrStepSize: the adaptive step fell below MinStep or became too
	// small to change t (step size underflow).
	ErrStepSize = errors.New("ode: step size too small")
)

// Error is the error type the package returns: a message for people and a
// Kind (one of the Err* values) for errors.Is.
type Error struct {
	Kind error   // ErrInput, ErrNotFinite, ErrStepLimit or ErrStepSize
	T    float64 // time at which it happened (NaN when it does not apply)
	Msg  string  // full message, starting with "ode: "
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns the Kind, so that errors.Is(err, ErrStepLimit) works.
func (e *Error) Unwrap() error { return e.Kind }

func newErr(kind error, t float64, format string, args ...any) error {
	return &Error{Kind: kind, T: t, Msg: "ode: " + fmt.Sprintf(format, args...)}
}

func inputErr(format string, args ...any) error {
	return newErr(ErrInput, math.NaN(), format, args...)
}

// firstNonFinite returns the index of the first NaN or Inf in y, or -1.
func firstNonFinite(y []float64) int {
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return i
		}
	}
	return -1
}

// finiteErr describes y[i] being NaN or Inf at time t; where names the
// place ("y0", "state").
func finiteErr(y []float64, i int, t float64, where string) error {
	what := "NaN"
	if math.IsInf(y[i], 0) {
		what = "Inf"
	}
	if where == "y0" {
		return newErr(ErrNotFinite, t, "y0[%d] is %s", i, what)
	}
	return newErr(ErrNotFinite, t, "%s became %s at t=%g (component %d)", where, what, t, i)
}
