package flows

import "github.com/physbias/physbias/internal/fail"

// The errors flows returns; match them with errors.Is. They are the shared
// sentinels of every physbias package (flows.ErrInput is hnn.ErrInput).
var (
	// ErrInput: an argument, a configuration field, a shape or a size is
	// invalid (an odd dimension where a coupling split is needed, a step
	// size ≤ 0, data of the wrong width).
	ErrInput = fail.ErrInput
	// ErrNotFinite: data, a loss or a gradient is NaN or Inf; training
	// stops at the first one and names the step.
	ErrNotFinite = fail.ErrNotFinite
	// ErrCorrupt: a saved model cannot be read (bad magic, checksum, kind,
	// version, configuration or shapes).
	ErrCorrupt = fail.ErrCorrupt
	// ErrZeroValue: a method was called on a model made without its New
	// function or Load.
	ErrZeroValue = fail.ErrZeroValue
	// ErrCallback: a function the user supplied (a Separable Hamiltonian's
	// gradient, TrainConfig.Progress) panicked, or a user's Network failed.
	ErrCallback = fail.ErrCallback
)

// errorf formats an error that starts with "flows: " and matches kind.
func errorf(kind error, format string, args ...any) error {
	return fail.Errorf(kind, "flows", format, args...)
}
