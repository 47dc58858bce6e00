package lnn

import "github.com/physbias/physbias/internal/fail"

// The conditions lnn's errors match with errors.Is. They are the shared
// sentinels of every physbias package (lnn.ErrNotFinite is
// hnn.ErrNotFinite), so one check works across packages. The typed errors
// *SingularError and *DivergedError carry data; errors.As finds them
// through every wrapper lnn adds, and they match ErrSingular and
// ErrDiverged with errors.Is.
var (
	// ErrInput: an argument, a configuration field, a shape or a size is
	// invalid.
	ErrInput = fail.ErrInput
	// ErrNotFinite: data, a loss, a gradient or a state is NaN or Inf
	// (training stops at the first one).
	ErrNotFinite = fail.ErrNotFinite
	// ErrDiverged: a rollout's state stopped being finite (a
	// *DivergedError); the partial trajectory comes back with it.
	ErrDiverged = fail.ErrDiverged
	// ErrSingular: a learned mass matrix is numerically singular at a
	// state (a *SingularError from Accel and rollouts; during training an
	// error that names the step).
	ErrSingular = fail.ErrSingular
	// ErrCorrupt: a saved model cannot be read (truncated, corrupted, or
	// not an lnn.Model).
	ErrCorrupt = fail.ErrCorrupt
	// ErrZeroValue: a method was called on a Model not made by New or
	// Load.
	ErrZeroValue = fail.ErrZeroValue
	// ErrCallback: a System function panicked or gave a non-finite value.
	ErrCallback = fail.ErrCallback
)

// Is makes a *SingularError match ErrSingular.
func (e *SingularError) Is(target error) bool { return target == ErrSingular }

// errorf returns an error starting "lnn: " that matches kind.
func errorf(kind error, format string, a ...any) error {
	return fail.Errorf(kind, "lnn", format, a...)
}
