package hopfield

import (
	"math"
	"testing"

	"github.com/physbias/physbias/internal/rng"
	G "gorgonia.org/gorgonia"
)

// The gradient of every Model loss (MSE, Logistic, CrossEntropy through
// gorgonia's LogSoftMax) and architecture matches central differences of
// the loss with respect to every parameter (step 1e-5; measured agreement
// 3.4e-11 at worst; tolerance 1e-9 + 1e-7 relative).
func TestModelLossGradients(t *testing.T) {
	cases := []Config{
		{Arch: LayerArch, In: 3, SetSize: 2, Out: 2, Loss: MSE, Patterns: 5, Layer: LayerConfig{DimK: 4, DimV: 3}},
		{Arch: PoolingArch, In: 3, SetSize: 4, Out: 1, Loss: Logistic, Queries: 2, Layer: LayerConfig{DimK: 4, DimV: 3, Normalize: true}},
		{Arch: PoolingArch, In: 3, SetSize: 5, Out: 2, Loss: MSE, Layer: LayerConfig{DimK: 4, DimV: 3}}, // one query: the broadcast path
		{Arch: SelfArch, In: 3, SetSize: 3, Out: 4, Loss: CrossEntropy, Layer: LayerConfig{DimK: 4, DimV: 3, Beta: 0.7}},
	}
	for _, cfg := range cases {
		cfg.Seed = 3
		m, err := NewModel(cfg)
		if err != nil {
			t.Fatal(err)
		}
		const batch = 5
		n, err := m.graph(batch, true)
		if err != nil {
			t.Fatal(err)
		}
		r := rng.New(4)
		for i := range n.xData {
			n.xData[i] = r.NormFloat64()
		}
		c := m.cfg
		for i := 0; i < batch; i++ {
			row := n.yData[i*c.Out : (i+1)*c.Out]
			switch c.Loss {
			case MSE:
				for k := range row {
					row[k] = r.NormFloat64()
				}
			case Logistic:
				row[0] = float64(2*r.IntN(2) - 1)
			case CrossEntropy:
				var s float64
				for k := range row {
					row[k] = r.Float64()
					s += row[k]
				}
				for k := range row {
					row[k] /= s
				}
			}
		}
		var lv G.Value
		G.Read(n.loss, &lv)
		if _, err := G.Grad(n.loss, n.params...); err != nil {
			t.Fatal(err)
		}
		vm := G.NewTapeMachine(n.g, G.BindDualValues(n.params...))
		run := func() float64 {
			t.Helper()
			vm.Reset()
			if err := vm.RunAll(); err != nil {
				t.Fatal(err)
			}
			return lv.Data().(float64)
		}
		run()
		var grads [][]float64
		for _, p := range n.params {
			gv, err := p.Grad()
			if err != nil {
				t.Fatal(err)
			}
			grads = append(grads, append([]float64(nil), gv.Data().([]float64)...))
		}
		worst := 0.0
		const h = 1e-5
		for k, p := range n.params {
			x := p.Value().Data().([]float64)
			for i := range x {
				x0 := x[i]
				x[i] = x0 + h
				fp := run()
				x[i] = x0 - h
				fm := run()
				x[i] = x0
				want := (fp - fm) / (2 * h)
				d := math.Abs(grads[k][i] - want)
				worst = math.Max(worst, d)
				if d > 1e-9+1e-7*math.Abs(want) {
					t.Errorf("%v %v: %s[%d]: Grad %v, finite differences %v", c.Arch, c.Loss, p.Name(), i, grads[k][i], want)
				}
			}
		}
		vm.Close()
		t.Logf("%v, loss %d: worst |Grad − FD| %.2g", c.Arch, c.Loss, worst)
	}
}
