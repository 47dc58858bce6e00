package energy

import "github.com/physbias/physbias/internal/fail"

// progress calls a user's Progress function f (nil: nothing) with p. A
// panic in f is returned as an error matching ErrCallback that names what
// was running ("Train", "AIS", "RAISE"), so that the caller stops after the
// step it reported instead of crashing.
func progress(what string, f func(Progress), p Progress) (err error) {
	if f == nil {
		return nil
	}
	defer fail.Recover(&err, "energy", what+": Progress")
	f(p)
	return nil
}
