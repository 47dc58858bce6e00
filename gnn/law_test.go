package gnn_test

import (
	"errors"
	"math"
	"testing"

	"github.com/physbias/physbias/gnn"
	"github.com/physbias/physbias/internal/rng"
)

// From exact forces, FitLaw returns each simulator's law: the right
// scaling and powers, coefficients to 1e-9 (measured ≤ 1e-12) and a
// relative error near rounding, in 2-D and 3-D and for 3 and 5 particles.
// From a force divided by the receiver's charge or mass (what a message
// may carry when the node update multiplies it back) it returns the
// sender's field, q_s·Δx/r³, or the acceleration, m_s·Δx/r³.
func TestFitLawRecoversExactLaws(t *testing.T) {
	cases := []struct {
		pot    gnn.Potential
		div    string // "", "q_r" or "m_r": the force divided by the receiver's charge or mass
		scale  string
		powers []int
		coef   []float64 // per power, on the component's own Δx
	}{
		{gnn.Spring, "", "1", []int{-1, 0}, []float64{2, -2}},
		{gnn.R1, "", "m_r·m_s", []int{-2}, []float64{-1}},
		{gnn.R2, "", "m_r·m_s", []int{-3}, []float64{-1}},
		{gnn.Charge, "", "q_r·q_s", []int{-3}, []float64{1}},
		{gnn.Charge, "q_r", "q_s", []int{-3}, []float64{1}},
		{gnn.Charge, "m_r", "q_r·q_s/m_r", []int{-3}, []float64{1}},
		{gnn.R2, "m_r", "m_s", []int{-3}, []float64{-1}},
	}
	for _, tc := range cases {
		for _, dim := range []int{2, 3} {
			nb := simulate(t, tc.pot, dim, 2*dim-1, 10, 5, 3, 0.5)
			et, err := tc.pot.Edges(nb.Graphs, dim)
			if err != nil {
				t.Fatal(err)
			}
			for d := range dim {
				y := make([]float64, len(et.Force))
				for e, f := range et.Force {
					y[e] = f[d]
					switch tc.div {
					case "q_r":
						y[e] /= et.QR[e]
					case "m_r":
						y[e] /= et.MR[e]
					}
				}
				law, err := gnn.FitLaw(et, y)
				if err != nil {
					t.Fatal(err)
				}
				if law.Scale != tc.scale || len(law.Powers) != len(tc.powers) {
					t.Fatalf("%v %dD component %d: found %v (scale %s, powers %v), want scale %s powers %v", tc.pot, dim, d, law, law.Scale, law.Powers, tc.scale, tc.powers)
				}
				for i, p := range tc.powers {
					if law.Powers[i] != p {
						t.Fatalf("%v: powers %v, want %v", tc.pot, law.Powers, tc.powers)
					}
					for k, a := range law.Coef[i] {
						want := 0.0
						if k == d {
							want = tc.coef[i]
						}
						if math.Abs(a-want) > 1e-9 {
							t.Fatalf("%v %dD F_%d: coefficient %d,%d = %v, want %v (law %v)", tc.pot, dim, d, i, k, a, want, law)
						}
					}
				}
				if law.RelErr > 1e-9 {
					t.Fatalf("%v: relative error %v", tc.pot, law.RelErr)
				}
				if d == 0 && dim == 2 {
					t.Logf("%v: F_x = %v (relative error %.1g)", tc.pot, law, law.RelErr)
				}
			}
		}
	}
}

// Messages whose two large components are exact linear transforms of the
// force and whose others are near constant: FitMessages picks the two, with
// R² 1 and the transform's coefficients.
func TestFitMessagesLinear(t *testing.T) {
	nb := simulate(t, gnn.Spring, 2, 4, 50, 10, 4, 0)
	et, _ := gnn.Spring.Edges(nb.Graphs, 2)
	msgs := make([][]float64, len(et.Force))
	for e, f := range et.Force {
		// components 1 and 3 carry 3F₁ − F₂ and F₁ + 2F₂; 0 and 2 are tiny.
		msgs[e] = []float64{1e-3 * float64(e%7), 3*f[0] - f[1] + 0.5, 1e-3, f[0] + 2*f[1]}
	}
	fit, err := gnn.FitMessages(msgs, et.Force, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(fit.Components) != 2 || fit.Components[0] != 1 || fit.Components[1] != 3 {
		t.Fatalf("components %v, want [1 3]", fit.Components)
	}
	if fit.MeanR2() < 1-1e-12 {
		t.Fatalf("exact linear messages: R² %v", fit.R2)
	}
	if c := fit.Coef[0]; math.Abs(c[0]-0.5) > 1e-9 || math.Abs(c[1]-3) > 1e-9 || math.Abs(c[2]+1) > 1e-9 {
		t.Fatalf("coefficients %v, want [0.5 3 -1]", c)
	}
}

// Dead message components (a ReLU layer that never fires leaves its bias,
// a constant) explain none of the force: R² 0, not the 1 of a constant
// fitted exactly.
func TestFitMessagesConstant(t *testing.T) {
	nb := simulate(t, gnn.Spring, 2, 4, 5, 10, 4, 0)
	et, _ := gnn.Spring.Edges(nb.Graphs, 2)
	msgs := make([][]float64, len(et.Force))
	for e := range msgs {
		msgs[e] = []float64{0.3, -1.7}
	}
	fit, err := gnn.FitMessages(msgs, et.Force, 2)
	if err != nil {
		t.Fatal(err)
	}
	if fit.R2[0] != 0 || fit.R2[1] != 0 {
		t.Fatalf("constant messages: R² %v, want 0", fit.R2)
	}
}

// With noise of 20% of the force's spread added, FitLaw still returns the
// spring law (two powers, −1 and 0, in the ratio −1) and a single power for
// the charge law; measured relative errors 0.20, the noise level.
func TestFitLawNoisy(t *testing.T) {
	for _, tc := range []struct {
		pot    gnn.Potential
		powers []int
	}{{gnn.Spring, []int{-1, 0}}, {gnn.Charge, []int{-3}}, {gnn.R1, []int{-2}}} {
		nb := simulate(t, tc.pot, 2, 4, 20, 10, 5, 0.5)
		et, _ := tc.pot.Edges(nb.Graphs, 2)
		r := rng.New(6)
		y := make([]float64, len(et.Force))
		for e, f := range et.Force {
			y[e] = f[1]
		}
		sd := stdDev(y)
		for e := range y {
			y[e] += 0.2 * sd * r.NormFloat64()
		}
		law, err := gnn.FitLaw(et, y)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%v: %v (relative error %.2f)", tc.pot, law, law.RelErr)
		if len(law.Powers) != len(tc.powers) || law.Powers[0] != tc.powers[0] {
			t.Fatalf("%v with noise: found %v (powers %v), want powers %v", tc.pot, law, law.Powers, tc.powers)
		}
		if tc.pot == gnn.Spring {
			if ratio := law.Coef[0][1] / law.Coef[1][1]; math.Abs(ratio+1) > 0.05 {
				t.Fatalf("spring: coefficient ratio %v, want −1 (rest length 1)", ratio)
			}
		}
	}
}

func stdDev(y []float64) float64 {
	m := 0.0
	for _, v := range y {
		m += v
	}
	m /= float64(len(y))
	s := 0.0
	for _, v := range y {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(y)))
}

func TestAnalysisBadInput(t *testing.T) {
	nb := simulate(t, gnn.Spring, 2, 4, 2, 5, 1, 0)
	et, _ := gnn.Spring.Edges(nb.Graphs, 2)
	y := make([]float64, len(et.Dx))
	bad := *et
	bad.Dx = append([][]float64{{1}}, et.Dx[1:]...)
	if _, err := gnn.FitLaw(&bad, y); !errors.Is(err, gnn.ErrInput) {
		t.Errorf("short Δx row: %v", err)
	}
	if _, err := gnn.FitLaw(et, y[1:]); !errors.Is(err, gnn.ErrInput) {
		t.Errorf("short target: %v", err)
	}
	y[3] = math.NaN()
	if _, err := gnn.FitLaw(et, y); !errors.Is(err, gnn.ErrNotFinite) {
		t.Errorf("NaN target: %v", err)
	}
	if _, err := gnn.FitMessages(et.Force, et.Force[1:], 0); !errors.Is(err, gnn.ErrInput) {
		t.Errorf("rows disagree: %v", err)
	}
	if _, err := gnn.FitMessages(et.Force, et.Force, 3); !errors.Is(err, gnn.ErrInput) {
		t.Errorf("k too large: %v", err)
	}
	if _, err := gnn.Spring.Edges(nb.Graphs, 3); !errors.Is(err, gnn.ErrInput) {
		t.Errorf("wrong dimension: %v", err)
	}
	ok := gnn.DataConfig{Sims: 2, Steps: 3, DT: 0.01}
	for name, sys := range map[string]gnn.System{
		"space": gnn.Spring.System(4, 4), "particles": gnn.Spring.System(2, 1), "potential": gnn.Potential(9).System(2, 4),
	} {
		if _, err := gnn.Simulate(sys, ok); !errors.Is(err, gnn.ErrInput) {
			t.Errorf("System %s: %v", name, err)
		}
	}
	for name, c := range map[string]gnn.DataConfig{
		"zero": {}, "dt": {Sims: 2, Steps: 3, DT: -1}, "noise": {Sims: 2, Steps: 3, DT: 0.01, Noise: math.NaN()},
		"substeps": {Sims: 2, Steps: 3, DT: 0.01, Substeps: -1}, "test": {Sims: 2, Steps: 3, DT: 0.01, TestFraction: 0.9},
		"size": {Sims: 1 << 20, Steps: 1 << 10, DT: 0.01},
	} {
		if _, err := gnn.Simulate(gnn.Spring.System(2, 4), c); !errors.Is(err, gnn.ErrInput) {
			t.Errorf("DataConfig %s: %v", name, err)
		}
	}
}
