package lnn

import "testing"

// benchJacNet times the plain-Go derivatives of a rollout's inner step at
// the package's default size on internal/ad's Dense: the LNN's gradient and
// Hessian of its 4-64-64-1 Lagrangian, DeLaN's 2-64-64-3 Cholesky network
// with its Jacobian, at one state (a rollout of one initial state).
//
//	go test -run '^$' -bench JacNet -cpu 1 -count 5 ./lnn/
func benchJacNet(b *testing.B, k Kind) {
	m, err := New(2, Config{Kind: k, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	net := m.dense[0]
	x := []float64{0.3, -0.2, 0.5, 0.1}
	g, h := make([]float64, 4), make([]float64, 16)
	y, jac := make([]float64, 3), make([]float64, 6)
	b.ReportAllocs()
	start := netCPUSeconds()
	for b.Loop() {
		if k == DeLaN {
			if _, _, err := net.JacobianBatch(y, jac, x[:2]); err != nil {
				b.Fatal(err)
			}
			continue
		}
		if _, _, err := net.HessianBatch(g, h, x); err != nil {
			b.Fatal(err)
		}
	}
	netCPUMetric(b, start, b.N)
}

func BenchmarkJacNetGradHess(b *testing.B) { benchJacNet(b, LNN) }
func BenchmarkJacNetEval(b *testing.B)     { benchJacNet(b, DeLaN) }
