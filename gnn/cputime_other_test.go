//go:build !unix

package gnn

// cpuSeconds is not measured on this platform; the cpu metrics read 0.
func cpuSeconds() float64 { return 0 }
