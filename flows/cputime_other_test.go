//go:build !unix

package flows_test

// cpuSeconds is not measured off unix; the benchmarks then report 0.
func cpuSeconds() float64 { return 0 }
