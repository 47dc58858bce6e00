//go:build !unix

package cputime

// Seconds is not measured off unix: it returns 0, and the CPU-time metrics
// built on it read 0.
func Seconds() float64 { return 0 }
