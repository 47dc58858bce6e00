package fail

import (
	"errors"
	"fmt"
)

// The conditions shared by every package. Match them with errors.Is.
var (
	// ErrInput: an argument, a configuration field, a shape or a size is
	// invalid (the error says which and why).
	ErrInput = errors.New("invalid input")
	// ErrNotFinite: data, a loss, a gradient or a state is NaN or Inf.
	ErrNotFinite = errors.New("not finite")
	// ErrDiverged: a rollout or an iteration left its documented bounds
	// (for example an energy error above the package's threshold); the
	// partial result is returned beside the error.
	ErrDiverged = errors.New("diverged")
	// ErrSingular: a matrix that must be inverted is singular or too badly
	// conditioned.
	ErrSingular = errors.New("singular")
	// ErrCorrupt: a saved model or checkpoint cannot be read (bad magic,
	// checksum, kind, version or shapes).
	ErrCorrupt = errors.New("corrupt or foreign checkpoint")
	// ErrZeroValue: a method was called on a zero value (a Model made
	// without New or Load).
	ErrZeroValue = errors.New("zero value; make it with New or Load")
	// ErrCallback: a function the user supplied panicked or returned
	// something of the wrong shape.
	ErrCallback = errors.New("user callback failed")
)

// Errorf returns an error whose message is prefix + ": " + the formatted
// text, and which matches kind with errors.Is (and any %w-wrapped error in
// args as well).
func Errorf(kind error, prefix, format string, args ...any) error {
	return &wrapped{kind: kind, err: fmt.Errorf(prefix+": "+format, args...)}
}

type wrapped struct {
	kind error
	err  error
}

func (w *wrapped) Error() string { return w.err.Error() }

// Unwrap returns the kind and the formatted error, so errors.Is and
// errors.As see both.
func (w *wrapped) Unwrap() []error { return []error{w.kind, w.err} }

// Recover turns a panic in a user callback into an error: call it as
// defer fail.Recover(&err, "hnn", "System.Grad"). The error matches
// ErrCallback and names the callback.
func Recover(err *error, prefix, what string) {
	if r := recover(); r != nil {
		*err = Errorf(ErrCallback, prefix, "%s panicked: %v", what, r)
	}
}
