package linalg

import (
	"errors"
	"fmt"
	"math"
)

// SingularError reports a batch element whose matrix is numerically
// singular: LU with partial pivoting met a pivot with
// |Pivot| ≤ 1e-12·Scale, or the matrix holds a NaN or an Inf.
// Errors from a gorgonia VM carry it; use AsSingular to get at it.
type SingularError struct {
	// Op names the operation that failed, "Solve" or "SolveT" (the
	// transposed solve of the derivative).
	Op string
	// Batch is the index of the failing system in the batch.
	Batch int
	// Column is the elimination step at which the pivot was too small.
	Column int
	// Pivot is the largest candidate pivot found at that step.
	Pivot float64
	// Scale is max|A| over the matrix of that batch element.
	Scale float64
}

func (e *SingularError) Error() string {
	if math.IsNaN(e.Scale) || math.IsInf(e.Scale, 0) {
		return fmt.Sprintf("linalg: %s: batch element %d: matrix holds NaN or Inf", e.Op, e.Batch)
	}
	return fmt.Sprintf("linalg: %s: batch element %d: matrix is singular (pivot %.3g at column %d, max|A| %.3g)",
		e.Op, e.Batch, e.Pivot, e.Column, e.Scale)
}

// AsSingular finds a *SingularError in err's chain. It also looks through
// gorgonia's VM errors, which carry the Op's error behind an Err method
// rather than Unwrap, so plain errors.As does not find it there.
func AsSingular(err error) (*SingularError, bool) {
	for err != nil {
		var se *SingularError
		if errors.As(err, &se) {
			return se, true
		}
		if e, ok := err.(interface{ Err() error }); ok && e.Err() != err {
			err = e.Err()
			continue
		}
		err = errors.Unwrap(err)
	}
	return nil, false
}
