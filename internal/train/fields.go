package train

import (
	"math"
	"time"

	"github.com/physbias/physbias/internal/fail"
)

// Fields checks and fills in the numeric fields of a public package's
// Config or TrainConfig the same way everywhere: a zero field means the
// default its comment names, a count or duration below 0 and a rate or
// penalty that is negative, NaN or Inf is an error that names the field,
// its value and what 0 means. It keeps the first error (later calls do
// nothing) for Err to return:
//
//	f := train.NewFields(ErrInput, "hnn")
//	f.Count(&tc.Steps, "TrainConfig.Steps", 2000, "2000")
//	f.Rate(&tc.LR, "TrainConfig.LR", 1e-3, "1e-3")
//	f.Penalty(tc.WeightDecay, "TrainConfig.WeightDecay", "none")
//	return tc, f.Err()
//
// Messages read "<prefix>: <name> is <value>; must be ...", and every error
// matches kind.
type Fields struct {
	kind   error
	prefix string
	err    error
}

// NewFields returns a Fields whose errors match kind and start with
// prefix (the package's name).
func NewFields(kind error, prefix string) *Fields {
	return &Fields{kind: kind, prefix: prefix}
}

// Err returns the first error found, or nil.
func (f *Fields) Err() error { return f.err }

// setErr records the first error.
func (f *Fields) setErr(format string, args ...any) {
	if f.err == nil {
		f.err = fail.Errorf(f.kind, f.prefix, format, args...)
	}
}

// Count checks a count: below 0 is an error ("must be ≥ 0 (0 means
// <zero>)"); 0 becomes def (def 0 leaves it 0, for a zero that means
// "all" or "none").
func (f *Fields) Count(v *int, name string, def int, zero string) {
	if f.err != nil {
		return
	}
	if *v < 0 {
		f.setErr("%s is %d; must be ≥ 0 (0 means %s)", name, *v, zero)
		return
	}
	if *v == 0 {
		*v = def
	}
}

// CountMax is Count with an upper bound: above max is an error ("at most
// <max> are supported").
func (f *Fields) CountMax(v *int, name string, def, max int, zero string) {
	f.Count(v, name, def, zero)
	if f.err == nil && *v > max {
		f.setErr("%s is %d; at most %d are supported", name, *v, max)
	}
}

// Rate checks a rate or size that must be positive: 0 becomes def, and
// then a value that is not positive and finite is an error ("must be
// positive and finite (0 means <zero>)").
func (f *Fields) Rate(v *float64, name string, def float64, zero string) {
	if f.err != nil {
		return
	}
	if *v == 0 {
		*v = def
	}
	if !(*v > 0) || math.IsInf(*v, 0) {
		f.setErr("%s is %v; must be positive and finite (0 means %s)", name, *v, zero)
	}
}

// Penalty checks a penalty, noise level or bound that is off at 0: a
// value that is negative, NaN or Inf is an error ("must be ≥ 0 and finite
// (0 means <zero>)").
func (f *Fields) Penalty(v float64, name, zero string) {
	if f.err == nil && (!(v >= 0) || math.IsInf(v, 0)) {
		f.setErr("%s is %v; must be ≥ 0 and finite (0 means %s)", name, v, zero)
	}
}

// Duration checks a time limit: below 0 is an error ("must be ≥ 0 (0
// means none)").
func (f *Fields) Duration(v time.Duration, name string) {
	if f.err == nil && v < 0 {
		f.setErr("%s is %v; must be ≥ 0 (0 means none)", name, v)
	}
}
