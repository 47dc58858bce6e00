//go:build unix

package lnn

import "syscall"

// netCPUSeconds returns the user+system CPU time of this process so far,
// for the cpu-ns/op metric of the evaluator benchmarks: on a shared machine
// wall time includes time spent waiting for a core.
func netCPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)*1e-6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

// netCPUMetric reports the CPU time per iteration since start.
func netCPUMetric(b interface {
	ReportMetric(float64, string)
}, start float64, n int) {
	if c := netCPUSeconds(); c > 0 && n > 0 {
		b.ReportMetric((c-start)*1e9/float64(n), "cpu-ns/op")
	}
}
