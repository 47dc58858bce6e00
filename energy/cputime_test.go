package energy_test

import "github.com/physbias/physbias/internal/cputime"

// cpuSeconds is the process's CPU time so far (internal/cputime; 0 off
// unix), which the benchmarks report per step beside the wall time.
func cpuSeconds() float64 { return cputime.Seconds() }
