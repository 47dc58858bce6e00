package lnn

import "testing"

// benchJacNet times the plain-Go derivatives of a rollout's inner step at
// the package's default size: the LNN's gradient and Hessian of its
// 4-64-64-1 Lagrangian, DeLaN's 2-64-64-3 Cholesky network with its
// Jacobian, at one state (Rollout and Accel evaluate one state at a time).
//
//	go test -run '^$' -bench JacNet -cpu 1 -count 5 ./lnn/
func benchJacNet(b *testing.B, k Kind) {
	m, err := New(2, Config{Kind: k, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	net := newJacNet(m.sizes[0], m.theta[0])
	x := []float64{0.3, -0.2, 0.5, 0.1}
	g, h := make([]float64, 4), make([]float64, 16)
	b.ReportAllocs()
	start := netCPUSeconds()
	for b.Loop() {
		if k == DeLaN {
			net.eval(x[:2])
			continue
		}
		net.gradHess(x, g, h)
	}
	netCPUMetric(b, start, b.N)
}

func BenchmarkJacNetGradHess(b *testing.B) { benchJacNet(b, LNN) }
func BenchmarkJacNetEval(b *testing.B)     { benchJacNet(b, DeLaN) }
