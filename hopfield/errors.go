package hopfield

import (
	"fmt"
	"math"

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
	// ErrCallback: a function of the user's (TrainConfig.Progress, an
	// Objective's Feed) panicked; training stops after the step it was
	// called for.
	ErrCallback = fail.ErrCallback
)

// errorf returns an error matching kind whose message is "hopfield: " and
// the formatted text (use %w for a cause).
func errorf(kind error, format string, args ...any) error {
	return fail.Errorf(kind, "hopfield", format, args...)
}

// corePrefixes are the prefixes a cause's message loses when hopfield
// wraps it: its own and the core's, so the message names hopfield once.
var corePrefixes = []string{"hopfield", "train", "build", "spin", "ode"}

// wrapKind is wrap for a cause that matches no sentinel itself (errors
// of internal/spin): the result also matches kind.
func wrapKind(kind, err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	if what := fmt.Sprintf(format, args...); what != "" {
		return errorf(kind, "%s: %w", what, fail.Trim(err, corePrefixes...))
	}
	return errorf(kind, "%w", fail.Trim(err, corePrefixes...))
}

// wrap returns err (nil if nil) as "hopfield: what: cause", dropping the
// cause's own package prefix; errors.Is and errors.As see the cause.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	if what := fmt.Sprintf(format, args...); what != "" {
		return fmt.Errorf("hopfield: %s: %w", what, fail.Trim(err, corePrefixes...))
	}
	return fmt.Errorf("hopfield: %w", fail.Trim(err, corePrefixes...))
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
