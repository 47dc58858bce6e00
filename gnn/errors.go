package gnn

import "github.com/physbias/physbias/internal/fail"

// The conditions gnn's errors match with errors.Is (shared by every
// physbias package).
var (
	// ErrInput: a graph, a data set, a configuration field or a size is
	// invalid (indices out of range, feature sizes that disagree, ...).
	ErrInput = fail.ErrInput
	// ErrNotFinite: a feature, a target, a loss or a gradient is NaN or Inf.
	ErrNotFinite = fail.ErrNotFinite
	// ErrCorrupt: a saved model cannot be read.
	ErrCorrupt = fail.ErrCorrupt
	// ErrZeroValue: a method was called on a Model not made by New or Load.
	ErrZeroValue = fail.ErrZeroValue
	// ErrCallback: TrainConfig.Augment panicked or changed the sizes of
	// the node features, or a System's Force or Initial panicked or
	// Initial drew a non-positive mass.
	ErrCallback = fail.ErrCallback
)

// errorf returns an error starting with "gnn: " that matches kind.
func errorf(kind error, format string, args ...any) error {
	return fail.Errorf(kind, "gnn", format, args...)
}

// wrapf returns an error starting with "gnn: " and the formatted text that
// wraps err (named "gnn" once) and matches kind.
func wrapf(kind, err error, format string, args ...any) error {
	return fail.Wrap(kind, "gnn", err, format, args...)
}
