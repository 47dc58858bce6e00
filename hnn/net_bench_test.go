package hnn

import (
	"testing"

	"github.com/physbias/physbias/internal/cputime"
)

// benchNet times the plain-Go evaluator of the paper's 2-200-200-1 tanh
// network (or the 2-200-200-2 baseline) on B states: one call is one
// stage of an RK4 rollout that advances B trajectories together.
//
//	go test -run '^$' -bench Net -cpu 1 -count 5 ./hnn/
func benchNet(b *testing.B, baseline bool, B int) {
	out := 1
	if baseline {
		out = 2
	}
	m, err := New(2, Config{Baseline: baseline})
	if err != nil {
		b.Fatal(err)
	}
	nt, err := newNet([]int{2, 200, 200, out}, m.theta)
	if err != nil {
		b.Fatal(err)
	}
	x := make([]float64, 2*B)
	for i := range x {
		x[i] = 0.5 / float64(i+1)
	}
	g := make([]float64, len(x))
	b.ReportAllocs()
	start := cputime.Seconds()
	for b.Loop() {
		if baseline {
			nt.forward(x, B)
			continue
		}
		nt.inputGrad(x, B, g)
	}
	netCPUMetric(b, start, b.N)
}

// BenchmarkNetGrad25 is one RK4 stage of Evaluate's rollout (25 states).
func BenchmarkNetGrad25(b *testing.B) { benchNet(b, false, 25) }

// BenchmarkNetGrad1 is one stage of a single-trajectory rollout.
func BenchmarkNetGrad1(b *testing.B) { benchNet(b, false, 1) }

// BenchmarkNetGrad750 is dx/dt on the whole training set (Loss).
func BenchmarkNetGrad750(b *testing.B) { benchNet(b, false, 750) }

// BenchmarkNetForward25 is the baseline's RK4 stage on 25 states.
func BenchmarkNetForward25(b *testing.B) { benchNet(b, true, 25) }

// netCPUMetric reports the CPU time per iteration since start (a
// cputime.Seconds reading) as cpu-ns/op: on a shared machine wall time
// includes time spent waiting for a core. Off unix it reports nothing.
func netCPUMetric(b interface {
	ReportMetric(float64, string)
}, start float64, n int) {
	if c := cputime.Seconds(); c > 0 && n > 0 {
		b.ReportMetric((c-start)*1e9/float64(n), "cpu-ns/op")
	}
}
