package ad_test

import (
	"math"
	"testing"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
)

// mlpStepFLOP is the arithmetic of one training step of BenchmarkStepMLP
// (2-200-200-1, batch 256), matrix products only: forward 256·(2·200 +
// 200·200 + 200·1) multiply-adds; backward a weight gradient for every
// layer and an input gradient for layers 1 and 2, 256·(400 + 2·40000 +
// 2·200); two FLOP a multiply-add: 62.16 MFLOP.
const mlpStepFLOP = 2 * 256 * ((2*200 + 200*200 + 200*1) + (2*200 + 2*200*200 + 2*200*1))

// BenchmarkStepMLPFloor is BenchmarkStepMLP beside its arithmetic floor,
// measured in the same run: the rate of the core's GEMM (ad.Gemm) on the
// step's largest product, 256×200×200, by process CPU time, gives the
// floor mlpStepFLOP / rate; floor-fraction is the floor over the CPU time
// of a step (1 would be a step that is nothing but GEMM at that rate; the
// issue's target is ≥ 0.5).
func BenchmarkStepMLPFloor(b *testing.B) {
	const B = 256
	// The GEMM rate: 256×200×200 products for 0.2 s of CPU time, before
	// and after the steps (their mean: on a busy machine the rate drifts).
	x, w, y := uniform(7, B*200, -1, 1), uniform(8, 200*200, -1, 1), make([]float64, B*200)
	gemmRate := func() float64 {
		var n int
		c0 := cpuSeconds()
		for n = 0; n < 50 || cpuSeconds()-c0 < 0.2; n++ {
			ad.Gemm(false, false, B, 200, 200, x, 200, w, 200, y, 200)
		}
		return 2 * float64(B*200*200) * float64(n) / (cpuSeconds() - c0) // FLOP per CPU second
	}
	rate0 := gemmRate()

	g := G.NewGraph()
	must := musts(b)
	m, err := ad.NewMLP(g, "mlp", []int{2, 200, 200, 1}, ad.Tanh, 1)
	if err != nil {
		b.Fatal(err)
	}
	xin := constant(g, B, 2, uniform(2, 2*B, -1, 1))
	out := must(m.Forward(xin))
	loss := mse(b, out, constant(g, B, 1, uniform(3, B, -1, 1)))
	if _, err := G.Grad(loss, m.Params()...); err != nil {
		b.Fatal(err)
	}
	p := train.Problem{Graph: g, Loss: loss, Params: m.Params()}
	b.ResetTimer()
	c1 := cpuSeconds()
	h, err := train.Run(p, train.Adam{LR: 1e-3}, train.Config{Steps: b.N})
	step := (cpuSeconds() - c1) / float64(b.N)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if l := h.Loss[len(h.Loss)-1]; math.IsNaN(l) || math.IsInf(l, 0) {
		b.Fatalf("loss is %v", l)
	}
	rate := (rate0 + gemmRate()) / 2
	floor := mlpStepFLOP / rate
	b.ReportMetric(step*1e3, "cpu-ms/op")
	b.ReportMetric(rate/1e9, "gemm-GFLOPS")
	b.ReportMetric(floor*1e3, "floor-ms")
	b.ReportMetric(floor/step, "floor-fraction")
}
