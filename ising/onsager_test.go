package ising_test

import (
	"math"
	"testing"

	"github.com/physbias/physbias/ising"
)

// TestOnsagerClosedForms checks the exact 2D formulas against limits and
// against each other: C = du/dT by a central difference (h = 1e-5, error
// O(h²) ≈ 1e-9 relative away from T_c); u(T_c) = −√2; the low-temperature
// expansions u = −2 + 8e^{−8/T} + O(e^{−12/T}) and
// m = 1 − 2e^{−8/T} + O(e^{−12/T}) (one flipped spin costs 8J); and the
// high-temperature limit u = −2 tanh(1/T)(1 + O(1/T²)).
func TestOnsagerClosedForms(t *testing.T) {
	for _, T := range []float64{0.8, 1.5, 2.0, 2.2, 2.35, 3.0, 5.0} {
		const h = 1e-5
		fd := (ising.OnsagerEnergy(T+h) - ising.OnsagerEnergy(T-h)) / (2 * h)
		c := ising.OnsagerSpecificHeat(T)
		if math.Abs(fd-c) > 1e-6*math.Max(1, c) {
			t.Errorf("T = %v: C = %.9f, du/dT by differences %.9f", T, c, fd)
		}
	}
	if u := ising.OnsagerEnergy(ising.CriticalTemperature); math.Abs(u+math.Sqrt2) > 1e-12 {
		t.Errorf("u(T_c) = %v, want −√2", u)
	}
	if u := ising.OnsagerEnergy(ising.CriticalTemperature * (1 + 1e-9)); math.Abs(u+math.Sqrt2) > 1e-6 {
		t.Errorf("u just above T_c = %v, want ≈ −√2", u)
	}
	if math.Abs(ising.CriticalTemperature-2/math.Log(1+math.Sqrt2)) > 1e-15 {
		t.Errorf("T_c = %v", ising.CriticalTemperature)
	}
	// T = 0.5: the next orders are 3e^{−4/T} (u) and 4e^{−4/T} (m) relative
	// to the first, about 0.1%.
	T := 0.5
	x := math.Exp(-8 / T)
	if u := ising.OnsagerEnergy(T); math.Abs((u+2)/(8*x)-1) > 0.005 {
		t.Errorf("u(0.5) + 2 = %g, low-T series %g", u+2, 8*x)
	}
	if m := ising.OnsagerMagnetization(T); math.Abs((1-m)/(2*x)-1) > 0.005 {
		t.Errorf("1 − m(0.5) = %g, low-T series %g", 1-m, 2*x)
	}
	T = 50
	if u := ising.OnsagerEnergy(T); math.Abs(u/(-2*math.Tanh(1/T))-1) > 1e-2 {
		t.Errorf("u(50) = %g, high-T limit %g", u, -2*math.Tanh(1/T))
	}
	if m := ising.OnsagerMagnetization(2.3); m != 0 {
		t.Errorf("m above T_c = %v", m)
	}
	// Yang's magnetization at T = 2: (1 − sinh(1)^−4)^{1/8} = 0.911319…
	if m := ising.OnsagerMagnetization(2); math.Abs(m-0.9113194) > 1e-6 {
		t.Errorf("m(2) = %.7f, want 0.9113194", m)
	}
}
