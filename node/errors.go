package node

import (
	"errors"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/ode"
)

// The shared conditions of every physbias package (internal/fail), matched
// with errors.Is.
var (
	ErrInput     = fail.ErrInput     // a bad argument, shape, size or configuration field
	ErrNotFinite = fail.ErrNotFinite // NaN or Inf in data, a state, a loss or a gradient
	ErrCorrupt   = fail.ErrCorrupt   // a saved model that cannot be read
	ErrZeroValue = fail.ErrZeroValue // a method called on a Model or CNF not made by New or Load
	ErrCallback  = fail.ErrCallback  // a user's Func or Network panicked or returned the wrong shape
)

// The solver's own conditions, matched with errors.Is.
var (
	// ErrStepLimit: an adaptive solve used up Options.MaxSteps.
	ErrStepLimit = errors.New("step limit reached")
	// ErrStepSize: the adaptive step fell below Options.MinStep or became
	// too small to advance t (step-size underflow: a stiff problem or a
	// singularity).
	ErrStepSize = errors.New("step size too small")
)

func errorf(kind error, format string, args ...any) error {
	return fail.Errorf(kind, "node", format, args...)
}

// wrapODE turns an internal/ode error into one of node's: the message keeps
// ode's text under node's prefix, the kind maps to node's sentinels, and
// the error a user's Func returned stays matchable.
func wrapODE(err error) error {
	if err == nil {
		return nil
	}
	var fe *ode.FuncError
	if errors.As(err, &fe) {
		if errors.Is(fe.Err, fail.ErrCallback) || errors.Is(fe.Err, ErrNotFinite) || errors.Is(fe.Err, ErrInput) {
			return fe.Err // already node's own error (a Network's failure)
		}
		return fail.Errorf(ErrCallback, "node", "right-hand side failed at t=%g: %w", fe.T, fe.Err)
	}
	kind := ErrInput
	switch {
	case errors.Is(err, ode.ErrNotFinite):
		kind = ErrNotFinite
	case errors.Is(err, ode.ErrStepLimit):
		kind = ErrStepLimit
	case errors.Is(err, ode.ErrStepSize):
		kind = ErrStepSize
	}
	return errorf(kind, "%w", fail.Trim(err, "node", "ode"))
}

// wrapf returns an error starting with "node: " and the formatted text that
// wraps err, without err's own "node: " or "ode: " in the text, and matches
// kind; errors.Is and errors.As still see err.
func wrapf(kind, err error, format string, args ...any) error {
	return errorf(kind, format+": %w", append(args, fail.Trim(err, "node", "ode"))...)
}
