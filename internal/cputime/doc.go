// Package cputime reads the CPU time this process has used, for
// benchmarks that report it beside the wall time: on a shared machine the
// wall time also counts time spent waiting for a core, the CPU time does
// not. Benchmarks report (Seconds() after − before) per operation as a
// metric such as "cpu-ms/op".
package cputime
