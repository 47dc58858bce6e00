package lnn

import "testing"

func benchAccel(b *testing.B, k Kind) {
	m, err := New(2, Config{Kind: k, Hidden: []int{64, 64}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	x := []float64{0.3, -0.2, 0.5, 0.1}
	qdd := make([]float64, 2)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := m.Accel(x, qdd); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAccel*: one plain-Go q̈ evaluation (a rollout's inner step) of a
// 64-64 network.
//
//	go test -run '^$' -bench Accel ./lnn/
func BenchmarkAccelLNN(b *testing.B)      { benchAccel(b, LNN) }
func BenchmarkAccelDeLaN(b *testing.B)    { benchAccel(b, DeLaN) }
func BenchmarkAccelBaseline(b *testing.B) { benchAccel(b, Baseline) }
