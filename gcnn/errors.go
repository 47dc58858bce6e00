package gcnn

import "github.com/physbias/physbias/internal/fail"

// The conditions gcnn's errors match with errors.Is. They are the shared
// sentinels of every physbias package (gcnn.ErrInput is hnn.ErrInput).
var (
	// ErrInput: an argument, configuration field, shape, group or data set
	// is invalid (the message says which and why), including a size or
	// stride that would break the group's equivariance.
	ErrInput = fail.ErrInput
	// ErrNotFinite: a data value, loss or gradient is NaN or Inf; training
	// stops at the first one and names the step.
	ErrNotFinite = fail.ErrNotFinite
	// ErrCorrupt: a saved Model cannot be read (truncated, corrupted or
	// not a gcnn model).
	ErrCorrupt = fail.ErrCorrupt
	// ErrZeroValue: a method was called on a nil or zero Model.
	ErrZeroValue = fail.ErrZeroValue
	// ErrCallback: a function the user supplied (TrainConfig.Progress,
	// Objective.Feed) panicked or, for Feed, returned an error.
	ErrCallback = fail.ErrCallback
)

// errorf returns an error matching kind whose message is "gcnn: " and the
// formatted text (use %w for a cause).
func errorf(kind error, format string, args ...any) error {
	return fail.Errorf(kind, "gcnn", format, args...)
}
