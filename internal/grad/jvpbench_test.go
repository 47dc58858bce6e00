package grad

import (
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/cputime"
)

// BenchmarkJVP: one run of the graph of a node-like network f(y) (2-64-64-2
// tanh, batch 256) with only f, with f and a VJP, and with f and a JVP
// (double-VJP), to price JVP against VJP.
//
//	go test -run '^$' -bench JVP ./internal/grad/
func BenchmarkJVP(b *testing.B) {
	for _, kind := range []string{"forward", "VJP", "JVP"} {
		b.Run(kind, func(b *testing.B) {
			must := must(b)
			const B = 256
			g := G.NewGraph()
			y := input(g, "y", tensor.Shape{B, 2}, uniform(1, 2*B, -1, 1))
			v := input(g, "v", tensor.Shape{B, 2}, uniform(2, 2*B, -1, 1))
			N := newNet(b, g, "N", []int{2, 64, 64, 2}, G.Tanh, 3)
			f := N.forward(b, y)
			out := f
			switch kind {
			case "VJP":
				r, err := VJP(f, v, y)
				if err != nil {
					b.Fatal(err)
				}
				out = r[0]
			case "JVP":
				out = must(JVP(f, y, v))
			}
			e := newEvaluator(b, g, out)
			nodes := len(g.AllNodes())
			b.ResetTimer()
			c0 := cputime.Seconds()
			for i := 0; i < b.N; i++ {
				e.run()
			}
			b.ReportMetric((cputime.Seconds()-c0)*1e3/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(nodes), "nodes")
		})
	}
}
