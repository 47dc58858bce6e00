package hopfield

import (
	"fmt"
	"math"
	"strings"

	"github.com/physbias/physbias/internal/fail"
)

// The conditions hopfield's errors match with errors.Is. They are the
// shared sentinels of every physbias package (hopfield.ErrInput is
// pinn.ErrInput), so one check works whichever package an error came from.
var (
	// ErrInput: an argument, configuration field, pattern, state, shape or
	// data set is invalid (the message says which and why).
	ErrInput = fail.ErrInput
	// ErrNotFinite: a pattern, state, weight, data value, loss or gradient
	// is NaN or Inf; training stops at the first one and names the step.
	ErrNotFinite = fail.ErrNotFinite
	// ErrCorrupt: a saved Model cannot be read (truncated, corrupted or
	// not a hopfield model).
	ErrCorrupt = fail.ErrCorrupt
	// ErrZeroValue: a method was called on a nil or zero value (a Network,
	// Modern, Boltzmann, Continuous, layer or Model made without its
	// constructor).
	ErrZeroValue = fail.ErrZeroValue
)

// errorf returns an error matching kind whose message is "hopfield: " and
// the formatted text (use %w for a cause).
func errorf(kind error, format string, args ...any) error {
	return fail.Errorf(kind, "hopfield", format, args...)
}

// wrapped is a cause from the core in hopfield's words: the message says
// what was being done, without stacking the core's prefix; Unwrap gives
// the cause, so errors.Is sees its sentinels.
type wrapped struct {
	msg  string
	err  error
	kind error // nil, or a sentinel the cause does not carry itself
}

func (w *wrapped) Error() string { return w.msg }

func (w *wrapped) Unwrap() []error {
	if w.kind == nil {
		return []error{w.err}
	}
	return []error{w.kind, w.err}
}

// wrapKind is wrap for a cause that matches no sentinel itself (errors
// of internal/spin): the result also matches kind.
func wrapKind(kind, err error, format string, args ...any) error {
	w := wrap(err, format, args...)
	if w != nil {
		w.(*wrapped).kind = kind
	}
	return w
}

// wrap returns err (nil if nil) as "hopfield: what: cause", dropping the
// cause's own package prefix.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, p := range []string{"hopfield: ", "train: ", "build: ", "spin: ", "ode: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	if what := fmt.Sprintf(format, args...); what != "" {
		msg = what + ": " + msg
	}
	return &wrapped{msg: "hopfield: " + msg, err: err}
}

// errZero is the error of a method called on a zero value of type typ,
// which must be made with constructor ctor.
func errZero(typ, ctor string) error {
	return errorf(ErrZeroValue, "nil or zero %s (make one with %s)", typ, ctor)
}

// checkPatterns returns the common length of the ±1 patterns, or an error
// when there are none, when one is empty, when lengths differ, or when a
// value is not +1 or −1.
func checkPatterns(patterns [][]int8) (int, error) {
	if len(patterns) == 0 {
		return 0, errorf(ErrInput, "no patterns")
	}
	n := len(patterns[0])
	if n == 0 {
		return 0, errorf(ErrInput, "pattern 0 is empty (N = 0)")
	}
	for k, p := range patterns {
		if len(p) != n {
			return 0, errorf(ErrInput, "pattern %d has %d units, pattern 0 has %d", k, len(p), n)
		}
		if err := checkSpins(p); err != nil {
			return 0, errorf(ErrInput, "pattern %d: %w", k, err)
		}
	}
	return n, nil
}

// checkSpins reports the first value of s that is not ±1 (without the
// package prefix, for callers to wrap).
func checkSpins(s []int8) error {
	for i, v := range s {
		if v != 1 && v != -1 {
			return fmt.Errorf("unit %d is %d, want +1 or -1", i, v)
		}
	}
	return nil
}

// checkFinite reports the first NaN or infinite value of x.
func checkFinite(what string, x []float64) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errorf(ErrNotFinite, "%s[%d] is %v", what, i, v)
		}
	}
	return nil
}
