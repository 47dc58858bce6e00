package pinn

import (
	"fmt"
	"strings"

	"github.com/physbias/physbias/internal/fail"
)

// The conditions pinn's errors match with errors.Is. They are the shared
// sentinels of every physbias package (pinn.ErrInput is hnn.ErrInput), so
// one check works whichever package an error came from.
var (
	// ErrInput: a Problem, Config, TrainConfig, point set or argument is
	// invalid (the message says which field and why).
	ErrInput = fail.ErrInput
	// ErrNotFinite: a condition value, a source term, a lift, a loss or a
	// gradient is NaN or Inf; training stops at the first one and names
	// the step.
	ErrNotFinite = fail.ErrNotFinite
	// ErrCallback: a function of the user's (the residual, a condition's
	// Value, a Source, the Lift) panicked, returned an error, or the
	// residual returned a node of the wrong shape.
	ErrCallback = fail.ErrCallback
	// ErrCorrupt: a saved model cannot be read (truncated, corrupted, not a
	// pinn model, or saved for another problem).
	ErrCorrupt = fail.ErrCorrupt
	// ErrZeroValue: a method was called on a nil or zero Model (make one
	// with New or Load).
	ErrZeroValue = fail.ErrZeroValue
)

// errorf returns an error matching kind whose message is "pinn: " and the
// formatted text (use %w for a cause).
func errorf(kind error, format string, args ...any) error {
	return fail.Errorf(kind, "pinn", format, args...)
}

// wrapped is a cause from the core (ad, train, build) in pinn's words: the
// message says what pinn was doing, without stacking the core's prefix;
// Unwrap gives the cause, so errors.Is sees its sentinels.
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }

// wrap returns err (nil if nil) prefixed with "pinn: " and what was being
// done, dropping the prefix of the package it came from.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, p := range []string{"pinn: ", "ad: ", "train: ", "build: ", "linalg: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	what := fmt.Sprintf(format, args...)
	if what != "" {
		msg = what + ": " + msg
	}
	return &wrapped{msg: "pinn: " + msg, err: err}
}
