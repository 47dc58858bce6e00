package energy_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/physbias/physbias/energy"
)

var contrastive = []energy.LossKind{energy.Perceptron, energy.Hinge, energy.LogLoss, energy.SquareSquare, energy.SquareExp}

// Must show: each contrastive loss is zero where its margin is met (or
// tends to zero, for the soft ones), its gradient lowers the correct
// answer's energy and raises the offending one's where it is not, and the
// derivatives match 4th-order central differences.
func TestLossZeroAtMarginAndGradientDirection(t *testing.T) {
	// Margin met: E⁻ − E⁺ ≥ m (m = 1), E⁺ = 0 for the square losses.
	met := map[energy.LossKind][2]float64{
		energy.Perceptron:   {0.3, 0.3}, // E⁻ is the minimum over all answers: the correct one
		energy.Hinge:        {0.2, 1.2},
		energy.SquareSquare: {0, 1},
	}
	for k, e := range met {
		v, dp, dn := energy.Loss{Kind: k}.Value(e[0], e[1])
		if v != 0 || dp != 0 && k != energy.Perceptron || dn != 0 && k != energy.Perceptron {
			t.Errorf("%v at E⁺ = %v, E⁻ = %v: loss %v, gradient (%v, %v), want 0", k, e[0], e[1], v, dp, dn)
		}
	}
	// Soft losses tend to zero as the gap grows.
	if v, _, _ := (energy.Loss{Kind: energy.LogLoss}).Value(0, 30); v > 1e-12 {
		t.Errorf("log loss at a gap of 30: %v, want < 1e-12", v)
	}
	if v, _, _ := (energy.Loss{Kind: energy.SquareExp}).Value(0, 30); v > 1e-12 {
		t.Errorf("square-exponential loss at E⁺ = 0, E⁻ = 30: %v, want < 1e-12", v)
	}
	// Margin not met: the correct answer is pushed down, the offending one
	// up; and the derivatives match finite differences.
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range append(contrastive, energy.EnergyLoss) {
		l := energy.Loss{Kind: k}
		for range 50 {
			ep := 0.1 + 2*r.Float64()     // > 0, for the square losses
			en := ep - 0.9 + r.Float64()  // gap below the margin 1
			if k == energy.SquareSquare { // E⁻ below m too
				en = math.Min(en, 0.95)
			}
			_, dp, dn := l.Value(ep, en)
			if !(dp > 0) || !(dn < 0) && k != energy.EnergyLoss || k == energy.EnergyLoss && dn != 0 {
				t.Errorf("%v at E⁺ = %.3f, E⁻ = %.3f: gradient (%v, %v); want ∂/∂E⁺ > 0 and ∂/∂E⁻ < 0", k, ep, en, dp, dn)
			}
			const h = 1e-4
			f := func(a, b float64) float64 { v, _, _ := l.Value(a, b); return v }
			fp := (-f(ep+2*h, en) + 8*f(ep+h, en) - 8*f(ep-h, en) + f(ep-2*h, en)) / (12 * h)
			fn := (-f(ep, en+2*h) + 8*f(ep, en+h) - 8*f(ep, en-h) + f(ep, en-2*h)) / (12 * h)
			// Measured ≤ 3e-12 (rounding of the difference quotient).
			if math.Abs(fp-dp) > 1e-9 || math.Abs(fn-dn) > 1e-9 {
				t.Errorf("%v at (%.3f, %.3f): derivatives (%v, %v), finite differences (%v, %v)", k, ep, en, dp, dn, fp, fn)
			}
		}
	}
	if v, _, _ := (energy.Loss{Kind: energy.LogLoss, Margin: 2}).Value(0, 1); !math.IsNaN(v) {
		t.Errorf("a margin on the log loss gave %v, want NaN (invalid)", v)
	}
}

// blobs3 draws n points of three classes, N(centre_c, 0.6² I) with centres
// on a triangle of side 3√3: a user's own classification problem.
func blobs3(n int, seed uint64) ([][]float64, []int) {
	r := rand.New(rand.NewPCG(seed, 3))
	x := make([][]float64, n)
	y := make([]int, n)
	for i := range x {
		c := i % 3
		a := 2 * math.Pi * float64(c) / 3
		x[i] = []float64{3*math.Cos(a) + 0.6*r.NormFloat64(), 3*math.Sin(a) + 0.6*r.NormFloat64()}
		y[i] = c
	}
	return x, y
}

// E(y, x) over one-hot answers, trained with each contrastive loss, ranks
// the correct class lowest on held-out data; the loss Train reports is the
// mean of Loss.Value over the batch; the energy loss, which pushes nothing
// up, lowers the incorrect answers' energies as well.
func TestConditionalLosses(t *testing.T) {
	x, y := blobs3(300, 1)
	xt, yt := blobs3(600, 2)
	answers := [][]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	for _, k := range append(contrastive, energy.EnergyLoss) {
		c, err := energy.NewConditional(energy.ConditionalConfig{X: 2, Y: 3, Hidden: []int{32, 32}, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		loss := energy.Loss{Kind: k}
		before, err := c.Loss(x, y, answers, loss)
		if err != nil {
			t.Fatal(err)
		}
		e0, _ := c.Energies(xt, answers)
		// One full-batch step: its loss is the plain-Go loss before
		// training (the same numbers summed in another order: measured
		// ≤ 1e-15).
		h, err := c.Train(context.Background(), x, y, answers, energy.ConditionalTrainConfig{Loss: loss, Steps: 1, LR: 3e-3, BatchSize: len(x), Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		if math.IsNaN(before) || !(math.Abs(h.Loss[0]-before) <= 1e-12*math.Max(1, math.Abs(before))) {
			t.Errorf("%v: graph loss %.15g, plain loss %.15g", k, h.Loss[0], before)
		}
		h, err = c.Train(context.Background(), x, y, answers, energy.ConditionalTrainConfig{Loss: loss, Steps: 300, LR: 3e-3, BatchSize: 50, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		pred, _ := c.Predict(xt, answers)
		acc := 0.0
		for i := range pred {
			if pred[i] == yt[i] {
				acc++
			}
		}
		acc /= float64(len(pred))
		e1, _ := c.Energies(xt, answers)
		var dWrong float64
		for i := range e1 {
			for a := range answers {
				if a != yt[i] {
					dWrong += e1[i][a] - e0[i][a]
				}
			}
		}
		dWrong /= float64(2 * len(e1))
		t.Logf("%v: loss %.4f → %.4f, held-out accuracy %.3f, mean change of incorrect energies %+.3f", k, h.Loss[0], h.Loss[len(h.Loss)-1], acc, dWrong)
		if k == energy.EnergyLoss {
			if dWrong >= -1 {
				t.Errorf("energy loss: incorrect answers' energies changed by %+.3f; expected the collapse (a fall of more than 1)", dWrong)
			}
			continue
		}
		// The classes overlap little (Bayes accuracy ≈ 0.99).
		if acc < 0.95 {
			t.Errorf("%v: held-out accuracy %.3f, want ≥ 0.95", k, acc)
		}
	}
}

func TestConditionalSaveLoadAndErrors(t *testing.T) {
	x, y := blobs3(60, 1)
	answers := [][]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	c, _ := energy.NewConditional(energy.ConditionalConfig{X: 2, Y: 3, Hidden: []int{8}, Seed: 4})
	if _, err := c.Train(context.Background(), x, y, answers, energy.ConditionalTrainConfig{Loss: energy.Loss{Kind: energy.Hinge, Margin: 2}, Steps: 20}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	c2, err := energy.LoadConditional(&buf)
	if err != nil {
		t.Fatal(err)
	}
	e1, _ := c.Energies(x, answers)
	e2, _ := c2.Energies(x, answers)
	for i := range e1 {
		for k := range e1[i] {
			if math.Float64bits(e1[i][k]) != math.Float64bits(e2[i][k]) {
				t.Fatalf("energy (%d, %d): %v after load, %v before", i, k, e2[i][k], e1[i][k])
			}
		}
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"label out of range", func() error {
			_, err := c.Train(ctx, x[:1], []int{3}, answers, energy.ConditionalTrainConfig{Loss: energy.Loss{Kind: energy.Hinge}})
			return err
		}()},
		{"one answer", func() error {
			_, err := c.Train(ctx, x[:1], []int{0}, answers[:1], energy.ConditionalTrainConfig{Loss: energy.Loss{Kind: energy.Hinge}})
			return err
		}()},
		{"answer length", func() error { _, err := c.Predict(x, [][]float64{{1, 0}, {0, 1}}); return err }()},
		{"input length", func() error { _, err := c.Predict([][]float64{{1}}, answers); return err }()},
		{"margin on log loss", func() error {
			_, err := c.Train(ctx, x, y, answers, energy.ConditionalTrainConfig{Loss: energy.Loss{Kind: energy.LogLoss, Margin: 1}})
			return err
		}()},
		{"labels count", func() error { _, err := c.Loss(x, y[:3], answers, energy.Loss{}); return err }()},
	} {
		if !errors.Is(tc.err, energy.ErrInput) {
			t.Errorf("%s: error %v, want ErrInput", tc.name, tc.err)
		}
	}
}

// Methods on zero values return ErrZeroValue, never panic.
func TestZeroValues(t *testing.T) {
	var e energy.MLPEnergy
	var c energy.Conditional
	var r energy.RBM
	x := [][]float64{{1, 2}}
	for name, err := range map[string]error{
		"MLPEnergy.Energy":   func() error { _, err := e.Energy(x); return err }(),
		"MLPEnergy.Train":    func() error { _, err := e.Train(context.Background(), x, energy.MLPTrainConfig{}); return err }(),
		"MLPEnergy.Langevin": func() error { _, err := e.Langevin(x, energy.LangevinConfig{}); return err }(),
		"MLPEnergy.Save":     e.Save(&bytes.Buffer{}),
		"Conditional.Predict": func() error {
			_, err := c.Predict(x, [][]float64{{0}, {1}})
			return err
		}(),
		"Conditional.Save": c.Save(&bytes.Buffer{}),
		"RBM.AIS":          func() error { _, err := r.AIS(context.Background(), energy.AISConfig{}); return err }(),
		"RBM.RAISE":        func() error { _, err := r.RAISE(context.Background(), x, energy.RAISEConfig{}); return err }(),
		"RBM.Save":         r.Save(&bytes.Buffer{}),
		"RBM.Sample":       func() error { _, err := r.Sample(x, 1, 1); return err }(),
	} {
		if !errors.Is(err, energy.ErrZeroValue) {
			t.Errorf("%s on a zero value: %v, want ErrZeroValue", name, err)
		}
	}
	if e.Dim() != 0 || c.Dim() != 0 || r.Dim() != 0 || e.Buffer() != nil {
		t.Error("Dim or Buffer of a zero value is not empty")
	}
}
