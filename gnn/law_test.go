package gnn_test

import (
	"math"
	"testing"

	"github.com/physbias/physbias/gnn"
)

// From exact forces, FitLaw returns each simulator's law: the right
// scaling and powers, coefficients to 1e-9 (measured ≤ 1e-12) and a
// relative error near rounding, in 2-D and 3-D and for 3 and 5 particles.
func TestFitLawRecoversExactLaws(t *testing.T) {
	cases := []struct {
		pot    gnn.Potential
		scale  string
		powers []int
		coef   []float64 // per power, on the component's own Δx
	}{
		{gnn.Spring, "1", []int{-1, 0}, []float64{2, -2}},
		{gnn.R1, "m_r·m_s", []int{-2}, []float64{-1}},
		{gnn.R2, "m_r·m_s", []int{-3}, []float64{-1}},
		{gnn.Charge, "q_r·q_s", []int{-3}, []float64{1}},
	}
	for _, tc := range cases {
		for _, dim := range []int{2, 3} {
			nb, err := gnn.SimulateNBody(gnn.NBodyConfig{Potential: tc.pot, Dim: dim, Particles: 2*dim - 1, Sims: 10, Steps: 5, Seed: 3, MassSpread: 0.5})
			if err != nil {
				t.Fatal(err)
			}
			et, err := tc.pot.Edges(nb.Data.Graphs, dim)
			if err != nil {
				t.Fatal(err)
			}
			for d := range dim {
				y := make([]float64, len(et.Force))
				for e, f := range et.Force {
					y[e] = f[d]
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
	nb, err := gnn.SimulateNBody(gnn.NBodyConfig{Potential: gnn.Spring, Sims: 50, Steps: 10, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	et, _ := gnn.Spring.Edges(nb.Data.Graphs, 2)
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
