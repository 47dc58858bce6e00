//go:build !unix

package ad

// denseCPUSeconds is 0 where getrusage is missing (no cpu-ns/op metric).
func denseCPUSeconds() float64 { return 0 }
