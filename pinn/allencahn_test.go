package pinn

import (
	"errors"
	"math"
	"testing"
)

// TestAllenCahnOrder checks that ETDRK4 converges at its order: halving dt
// divides the error at t = 0.25 by about 2⁴ = 16 (against a run with dt/16
// as the reference, n = 128 modes, on the benchmark's initial condition).
func TestAllenCahnOrder(t *testing.T) {
	ac := AllenCahn{}
	const n, tEnd = 128, 0.25
	ref, err := ac.Solve(AllenCahnInitial, n, tEnd, 640, 640)
	if err != nil {
		t.Fatal(err)
	}
	last := func(s *Spectral) []float64 { return s.U[len(s.U)-1] }
	var errs []float64
	for _, steps := range []int{10, 20, 40} {
		s, err := ac.Solve(AllenCahnInitial, n, tEnd, steps, steps)
		if err != nil {
			t.Fatal(err)
		}
		var e float64
		for j, v := range last(s) {
			e = math.Max(e, math.Abs(v-last(ref)[j]))
		}
		errs = append(errs, e)
	}
	for k := 1; k < len(errs); k++ {
		order := math.Log2(errs[k-1] / errs[k])
		t.Logf("dt/%d: max error %.3g, observed order %.2f", 1<<k, errs[k], order)
		// Measured: orders 4.10 and 4.05 (errors 1.4e-6, 8.0e-8, 4.9e-9).
		if order < 3.7 || order > 4.4 {
			t.Errorf("observed order %.2f between dt/%d and dt/%d, want about 4 (errors %v)", order, 1<<(k-1), 1<<k, errs)
		}
	}
}

// TestAllenCahnSpectral checks the space discretisation: the heat part
// alone (R tiny) on u₀ = cos πx decays exactly as e^{−Dπ²t}, and the
// interpolant At reproduces a smooth function between the grid points.
func TestAllenCahnSpectral(t *testing.T) {
	ac := AllenCahn{D: 0.1, R: 1e-300}
	s, err := ac.Solve(func(x float64) float64 { return math.Cos(math.Pi * x) }, 16, 1, 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := math.Exp(-0.1 * math.Pi * math.Pi)
	for _, x := range []float64{-0.93, -0.1, 0.377, 0.999} {
		got := s.At(x, 1)
		// Measured: 1e-16 (the linear part is integrated exactly).
		if d := math.Abs(got - want*math.Cos(math.Pi*x)); d > 1e-13 {
			t.Errorf("u(%v, 1) = %v, want %v (|Δ| = %.2g)", x, got, want*math.Cos(math.Pi*x), d)
		}
	}
	// Periodic: the grid does not hold x = 1, the interpolant gives u(−1).
	if d := math.Abs(s.At(1, 1) - s.At(-1, 1)); d > 1e-14 {
		t.Errorf("u(1) − u(−1) = %.2g, want 0", d)
	}
}

func TestAllenCahnBadInput(t *testing.T) {
	ac := AllenCahn{}
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"odd n", func() error { _, err := ac.Solve(AllenCahnInitial, 33, 1, 10, 1); return err }},
		{"small n", func() error { _, err := ac.Solve(AllenCahnInitial, 4, 1, 10, 1); return err }},
		{"no steps", func() error { _, err := ac.Solve(AllenCahnInitial, 32, 1, 0, 1); return err }},
		{"tEnd", func() error { _, err := ac.Solve(AllenCahnInitial, 32, -1, 10, 1); return err }},
		{"nil u0", func() error { _, err := ac.Solve(nil, 32, 1, 10, 1); return err }},
		{"D < 0", func() error { _, err := AllenCahn{D: -1}.Solve(AllenCahnInitial, 32, 1, 10, 1); return err }},
	} {
		if err := c.run(); !errors.Is(err, ErrInput) {
			t.Errorf("%s: got %v, want ErrInput", c.name, err)
		}
	}
	_, err := ac.Solve(func(float64) float64 { return math.NaN() }, 32, 1, 10, 1)
	if !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN u0: got %v, want ErrNotFinite", err)
	}
}
