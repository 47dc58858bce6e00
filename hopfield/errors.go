package hopfield

import (
	"fmt"
	"math"
)

// errZero is the error of a method called on a zero value of type typ,
// which must be made with constructor ctor.
func errZero(typ, ctor string) error {
	return fmt.Errorf("hopfield: nil or zero %s (make one with %s)", typ, ctor)
}

// checkPatterns returns the common length of the ±1 patterns, or an error
// when there are none, when one is empty, when lengths differ, or when a
// value is not +1 or −1.
func checkPatterns(patterns [][]int8) (int, error) {
	if len(patterns) == 0 {
		return 0, fmt.Errorf("hopfield: no patterns")
	}
	n := len(patterns[0])
	if n == 0 {
		return 0, fmt.Errorf("hopfield: pattern 0 is empty (N = 0)")
	}
	for k, p := range patterns {
		if len(p) != n {
			return 0, fmt.Errorf("hopfield: pattern %d has %d units, pattern 0 has %d", k, len(p), n)
		}
		if err := checkSpins(p); err != nil {
			return 0, fmt.Errorf("hopfield: pattern %d: %v", k, err)
		}
	}
	return n, nil
}

// checkSpins reports the first value of s that is not ±1 (without the
// package prefix, for callers to wrap).
func checkSpins(s []int8) error {
	for i, v := range s {
		if v != 1 && v != -1 {
			return fmt.Errorf("unit %d is %d, want +1 or -1", i, v)
		}
	}
	return nil
}

// checkFinite reports the first NaN or infinite value of x.
func checkFinite(what string, x []float64) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("hopfield: %s[%d] is %v", what, i, v)
		}
	}
	return nil
}
