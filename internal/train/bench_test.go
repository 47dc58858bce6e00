package train

import (
	"bytes"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// benchAdam times Run's Adam steps on full-batch least squares with n rows
// and d features (the loop's overhead over gorgonia's RunAll shows at
// small sizes).
func benchAdam(b *testing.B, n, d int) {
	p := newLSQ(b, n, d, 0, 1)
	pr := p.problem(0)
	b.ResetTimer()
	if _, err := Run(pr, Adam{LR: 1e-3}, Config{Steps: b.N}); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkAdamStepLSQ64x4(b *testing.B)    { benchAdam(b, 64, 4) }
func BenchmarkAdamStepLSQ1024x64(b *testing.B) { benchAdam(b, 1024, 64) }

// benchRunAll is the bare forward and backward pass the Adam step wraps,
// for comparison.
func benchRunAll(b *testing.B, n, d int) {
	p := newLSQ(b, n, d, 0, 1)
	if _, err := G.Grad(p.loss, p.w, p.b); err != nil {
		b.Fatal(err)
	}
	m := G.NewTapeMachine(p.g, G.BindDualValues(p.w, p.b))
	defer m.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := m.RunAll(); err != nil {
			b.Fatal(err)
		}
		m.Reset()
	}
}

func BenchmarkRunAllLSQ64x4(b *testing.B)    { benchRunAll(b, 64, 4) }
func BenchmarkRunAllLSQ1024x64(b *testing.B) { benchRunAll(b, 1024, 64) }

// BenchmarkLBFGSRosenbrock times a whole L-BFGS solve from (−1.2, 1).
func BenchmarkLBFGSRosenbrock(b *testing.B) {
	for i := 0; i < b.N; i++ {
		p, _, _ := rosenbrock(b, -1.2, 1)
		if _, err := Run(p, LBFGS{GradTol: 1e-10}, Config{Steps: 200}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchCheckpoint saves and loads one parameter of n values.
func benchCheckpoint(b *testing.B, n int) {
	g := G.NewGraph()
	w := G.NewVector(g, tensor.Float64, G.WithShape(n), G.WithName("w"), G.WithInit(G.RangedFrom(0)))
	ps := []*G.Node{w}
	var buf bytes.Buffer
	b.SetBytes(int64(8 * n))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := Save(&buf, ps); err != nil {
			b.Fatal(err)
		}
		if err := Load(bytes.NewReader(buf.Bytes()), ps); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckpoint1e3(b *testing.B) { benchCheckpoint(b, 1000) }
func BenchmarkCheckpoint1e6(b *testing.B) { benchCheckpoint(b, 1000000) }
