//go:build unix

package cputime

import (
	"testing"
	"time"
)

// A busy loop run for 100 ms of wall time shows as CPU time: more than
// none (on a shared machine it may get only a fraction of a core) and no
// more than the wall time (one thread ran it; the slack covers the
// runtime's own threads, 10 ms is far above what they used when measured).
func TestSecondsCountsBusyWork(t *testing.T) {
	c0, w0 := Seconds(), time.Now()
	if c0 <= 0 {
		t.Fatalf("Seconds() = %v at start; a running test has used CPU time", c0)
	}
	x := 0.0
	for time.Since(w0) < 100*time.Millisecond {
		for i := range 10000 {
			x += float64(i) * 1e-9
		}
	}
	dc, dw := Seconds()-c0, time.Since(w0).Seconds()
	if dc <= 0 || dc > dw+0.01 {
		t.Fatalf("CPU time %.4f s over %.4f s of busy wall time (x=%g)", dc, dw, x)
	}
	t.Logf("CPU %.4f s over wall %.4f s", dc, dw)
}
