package energy

import (
	"math"

	"github.com/physbias/physbias/internal/fail"
)

// The shared sentinel errors of physbias (internal/fail), re-exported so
// that errors.Is works on energy's errors without importing internal code.
var (
	// ErrInput: an argument, a configuration field, a shape or a size is
	// invalid (the error says which and why).
	ErrInput = fail.ErrInput
	// ErrNotFinite: data, a loss, a gradient or a state is NaN or Inf.
	ErrNotFinite = fail.ErrNotFinite
	// ErrCorrupt: a saved model cannot be read (bad magic, checksum, kind
	// or shapes).
	ErrCorrupt = fail.ErrCorrupt
	// ErrZeroValue: a method was called on a zero value (a model made
	// without New or Load).
	ErrZeroValue = fail.ErrZeroValue
	// ErrCallback: a function the user supplied (an Energy's E or Grad)
	// panicked or returned something of the wrong shape.
	ErrCallback = fail.ErrCallback
)

// errorf returns an error starting "energy: " that matches kind.
func errorf(kind error, format string, args ...any) error {
	return fail.Errorf(kind, "energy", format, args...)
}

// checkRows checks that data holds at least one row, that every row has
// length dim and that every value is finite; it returns the rows flattened
// row-major.
func checkRows(what string, data [][]float64, dim int) ([]float64, error) {
	if len(data) == 0 {
		return nil, errorf(ErrInput, "%s: no rows", what)
	}
	flat := make([]float64, 0, len(data)*dim)
	for i, row := range data {
		if len(row) != dim {
			return nil, errorf(ErrInput, "%s: row %d has %d values, the model's dimension is %d", what, i, len(row), dim)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, errorf(ErrNotFinite, "%s: row %d, value %d is %v", what, i, j, v)
			}
		}
		flat = append(flat, row...)
	}
	return flat, nil
}
