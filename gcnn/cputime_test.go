package gcnn_test

import "github.com/physbias/physbias/internal/cputime"

// cpuSeconds is the process's CPU time so far (internal/cputime; 0 off
// unix); the benchmarks report it per step beside the wall time, which on
// a shared machine includes time spent waiting for a core.
func cpuSeconds() float64 { return cputime.Seconds() }
