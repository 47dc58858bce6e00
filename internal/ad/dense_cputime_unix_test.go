//go:build unix

package ad

import "syscall"

// denseCPUSeconds returns the user+system CPU time of this process so far,
// for the cpu-ns/op metric of the Dense benchmarks: on a shared machine
// wall time includes time spent waiting for a core.
func denseCPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)*1e-6 }
	return tv(ru.Utime) + tv(ru.Stime)
}
