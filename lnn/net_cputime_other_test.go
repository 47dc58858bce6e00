//go:build !unix

package lnn

// netCPUSeconds is 0 where getrusage is missing.
func netCPUSeconds() float64 { return 0 }

// netCPUMetric reports nothing where getrusage is missing.
func netCPUMetric(b interface {
	ReportMetric(float64, string)
}, start float64, n int) {
}
