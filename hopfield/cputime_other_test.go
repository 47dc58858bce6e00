//go:build !unix

package hopfield

// cpuSeconds is not measured off unix; the benchmark then reports 0.
func cpuSeconds() float64 { return 0 }
