package hnn

import "github.com/physbias/physbias/internal/fail"

// The conditions hnn's errors match with errors.Is. They are the shared
// sentinels of every physbias package (hnn.ErrNotFinite is
// lnn.ErrNotFinite), so one check works across packages.
var (
	// ErrInput: an argument, a configuration field, a shape or a size is
	// invalid.
	ErrInput = fail.ErrInput
	// ErrNotFinite: data, a loss, a gradient or a state is NaN or Inf
	// (training stops at the first one; a rollout returns its partial
	// trajectory).
	ErrNotFinite = fail.ErrNotFinite
	// ErrDiverged: a rollout left its bound (the implicit midpoint
	// iteration did not converge).
	ErrDiverged = fail.ErrDiverged
	// ErrCorrupt: a saved model cannot be read (truncated, corrupted, or
	// not an hnn.Model).
	ErrCorrupt = fail.ErrCorrupt
	// ErrZeroValue: a method was called on a Model not made by New or
	// Load.
	ErrZeroValue = fail.ErrZeroValue
	// ErrCallback: a System function panicked or gave a non-finite value.
	ErrCallback = fail.ErrCallback
)

// errorf returns an error starting "hnn: " that matches kind.
func errorf(kind error, format string, a ...any) error {
	return fail.Errorf(kind, "hnn", format, a...)
}

// wrapf returns an error starting with "hnn: " and the formatted text that
// wraps err (naming hnn once) and matches kind; errors.Is and errors.As
// still see err.
func wrapf(kind, err error, format string, a ...any) error {
	return fail.Wrap(kind, "hnn", err, format, a...)
}
