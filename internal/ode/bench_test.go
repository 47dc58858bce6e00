package ode

import "testing"

// Benchmarks on the Kepler problem (4 components) over one orbit.
// Reported per solve; evaluations per solve in the custom metric.

func benchFixed(b *testing.B, newM func() Method, n int) {
	m := newM()
	y0 := []float64{1, 0, 0, 1}
	dt := 2 * 3.141592653589793 / float64(n)
	var st Stats
	for b.Loop() {
		var err error
		if _, st, err = Solve(kepler, m, y0, 0, 2*3.141592653589793, dt, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.NFE), "nfe/op")
}

func BenchmarkRK4Kepler1000(b *testing.B)      { benchFixed(b, RK4, 1000) }
func BenchmarkLeapfrogKepler1000(b *testing.B) { benchFixed(b, Leapfrog, 1000) }
func BenchmarkYoshida4Kepler1000(b *testing.B) { benchFixed(b, Yoshida4, 1000) }

func benchDP(b *testing.B, tol float64) {
	a := Adaptive{RTol: tol, ATol: tol}
	y0 := []float64{1, 0, 0, 1}
	var st Stats
	for b.Loop() {
		var err error
		if _, st, err = a.Solve(kepler, y0, 0, 2*3.141592653589793, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.NFE), "nfe/op")
}

func BenchmarkDormandPrinceKepler1e6(b *testing.B)  { benchDP(b, 1e-6) }
func BenchmarkDormandPrinceKepler1e10(b *testing.B) { benchDP(b, 1e-10) }
