package ising_test

import (
	"math"
	"testing"

	"github.com/physbias/physbias/internal/rng"
	"github.com/physbias/physbias/ising"
)

// ar1 returns n samples of the AR(1) process x_t = ρ x_{t−1} +
// sqrt(1−ρ²) ε_t with unit variance, whose integrated autocorrelation time
// is exactly τ_int = (1/2)(1+ρ)/(1−ρ).
func ar1(n int, rho float64, seed uint64) []float64 {
	r := rng.New(seed)
	x := make([]float64, n)
	v := r.NormFloat64()
	q := math.Sqrt(1 - rho*rho)
	for i := range x {
		v = rho*v + q*r.NormFloat64()
		x[i] = v
	}
	return x
}

// TestIntegratedTimeAR1: τ_int of AR(1) series against the closed form.
// With Sokal's window W ≈ 6τ the estimate's relative standard error is
// sqrt(2(2W+1)/n) (Madras–Sokal), 3–4% here; the tolerance is 15%.
func TestIntegratedTimeAR1(t *testing.T) {
	for _, rho := range []float64{0, 0.5, 0.8, 0.95} {
		want := 0.5 * (1 + rho) / (1 - rho)
		got, err := ising.IntegratedTime(ar1(200_000, rho, 1))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("ρ = %.2f: τ_int %.3f, exact %.3f", rho, got, want)
		if math.Abs(got-want) > 0.15*want {
			t.Errorf("ρ = %.2f: τ_int %.3f, exact %.3f", rho, got, want)
		}
	}
	if tau, _ := ising.IntegratedTime([]float64{2, 2, 2, 2, 2}); tau != 0.5 {
		t.Errorf("constant series: τ_int %v, want 0.5", tau)
	}
}

// TestErrorBarsAR1: the jackknife error bar of the mean of a correlated
// series equals the exact standard error sqrt(2 τ_int σ²/n), within the
// ~10% scatter of an error estimated from 64 blocks (tolerance 30%); and
// over 40 independent series the mean lands within one error bar about
// 68% of the time (binomial range 20–35 accepted).
func TestErrorBarsAR1(t *testing.T) {
	const rho, n = 0.9, 20_000
	tau := 0.5 * (1 + rho) / (1 - rho)
	want := math.Sqrt(2 * tau / n)
	inside := 0
	for seed := range uint64(40) {
		x := ar1(n, rho, seed+10)
		s := &ising.Series{N: 1, T: 1, E: x, M: x}
		o, err := s.Observables()
		if err != nil {
			t.Fatal(err)
		}
		if seed == 0 {
			t.Logf("error bar %.5f, exact %.5f (τ_int %.2f, exact %.2f, %d blocks)", o.Energy.Err, want, o.Energy.Tau, tau, o.Blocks)
			if math.Abs(o.Energy.Err-want) > 0.3*want {
				t.Errorf("error bar %.5f, exact %.5f", o.Energy.Err, want)
			}
		}
		if math.Abs(o.Energy.Value) < o.Energy.Err {
			inside++
		}
	}
	t.Logf("mean within one error bar of 0 in %d of 40 series", inside)
	if inside < 20 || inside > 35 {
		t.Errorf("mean within one error bar of 0 in %d of 40 series, want about 27", inside)
	}
}
