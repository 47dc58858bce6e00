package lnn

import "github.com/physbias/physbias/internal/cputime"

// netCPUSeconds returns the CPU time of this process so far, for the
// cpu-ns/op metric of the evaluator benchmarks: on a shared machine wall
// time includes time spent waiting for a core.
func netCPUSeconds() float64 { return cputime.Seconds() }

// netCPUMetric reports the CPU time per iteration since start (nothing
// where the CPU time cannot be read).
func netCPUMetric(b interface {
	ReportMetric(float64, string)
}, start float64, n int) {
	if c := netCPUSeconds(); c > 0 && n > 0 {
		b.ReportMetric((c-start)*1e9/float64(n), "cpu-ns/op")
	}
}
