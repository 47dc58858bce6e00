package pinn

import (
	"context"
	"errors"
	"math"
	"testing"
)

// TestPeriodicEmbeddingExact checks that with the periodic embedding u and
// its x-derivatives are equal at x = −1 and x = 1 for any weights: fresh
// random networks of both architectures, with and without random Fourier
// features, several seeds. Measured: |Δu| ≤ 2e-15, |Δu_x| ≤ 4e-14.
func TestPeriodicEmbeddingExact(t *testing.T) {
	p := AllenCahnProblem(16, 16)
	for _, cfg := range []Config{
		{Hidden: []int{16, 16}, Fourier: Fourier{Periodic: []int{0}}},
		{Hidden: []int{16, 16}, Fourier: Fourier{Periodic: []int{0}, Modes: 3}, Activation: "sin"},
		{Hidden: []int{16, 16, 16}, Architecture: ModifiedMLP, Fourier: Fourier{Periodic: []int{0}, Features: 8, Scale: 2}},
	} {
		for seed := uint64(1); seed <= 3; seed++ {
			cfg.Seed, cfg.Collocation = seed, 64
			m, err := New(p, cfg)
			if err != nil {
				t.Fatal(err)
			}
			var lo, hi [][]float64
			for _, tt := range []float64{0, 0.13, 0.5, 0.97, 1} {
				lo = append(lo, []float64{-1, tt})
				hi = append(hi, []float64{1, tt})
			}
			ul, err := m.Derivatives(lo)
			if err != nil {
				t.Fatal(err)
			}
			uh, err := m.Derivatives(hi)
			if err != nil {
				t.Fatal(err)
			}
			pl, _ := m.Predict(lo)
			for k := range lo {
				if d := math.Abs(ul.U[k] - uh.U[k]); d > 1e-12 {
					t.Errorf("%v seed %d: u(−1) − u(1) = %.3g at t = %v", cfg.Architecture, seed, d, lo[k][1])
				}
				if d := math.Abs(ul.Grad[k][0] - uh.Grad[k][0]); d > 1e-12 {
					t.Errorf("%v seed %d: u_x(−1) − u_x(1) = %.3g", cfg.Architecture, seed, d)
				}
				if d := math.Abs(ul.Hess[k][0] - uh.Hess[k][0]); d > 1e-10 {
					t.Errorf("%v seed %d: u_xx(−1) − u_xx(1) = %.3g", cfg.Architecture, seed, d)
				}
				if d := math.Abs(pl[k] - ul.U[k]); d > 1e-13 {
					t.Errorf("%v seed %d: Predict and the graph differ by %.3g", cfg.Architecture, seed, d)
				}
			}
		}
	}
}

// TestGeneralDerivatives checks the general network's derivatives
// (internal/grad through the embedding and the modified MLP) against
// 4th-order central differences of Predict (h = 2.5e-4; the random
// features make u oscillate fast, |u_xx| up to 240, so the differences'
// truncation dominates: 7e-7 at h = 1e-3, 1.4e-8 at 2.5e-4). Measured
// relative to 1 + |value|: ≤ 3e-9 (first), ≤ 2e-8 (second).
func TestGeneralDerivatives(t *testing.T) {
	p := AllenCahnProblem(16, 16)
	for _, cfg := range []Config{
		{Hidden: []int{12, 12}, Architecture: ModifiedMLP, Fourier: Fourier{Periodic: []int{0}, Modes: 2, Features: 6, Scale: 1.5}, Constraints: Hard},
		{Hidden: []int{12, 12}, Fourier: Fourier{Periodic: []int{0}, Modes: 2}, Constraints: Hard}, // the fused path
	} {
		cfg.Collocation, cfg.Seed = 32, 7
		m, err := New(p, cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkDerivatives(t, m)
	}
}

func checkDerivatives(t *testing.T, m *Model) {
	t.Helper()
	pts := [][]float64{{-0.7, 0.2}, {0.31, 0.66}, {0.9, 0.95}}
	d, err := m.Derivatives(pts)
	if err != nil {
		t.Fatal(err)
	}
	const h = 2.5e-4
	f := func(p []float64) float64 {
		u, err := m.Predict([][]float64{p})
		if err != nil {
			t.Fatal(err)
		}
		return u[0]
	}
	for k, p := range pts {
		for i := 0; i < 2; i++ {
			at := func(s float64) float64 {
				q := append([]float64(nil), p...)
				q[i] += s * h
				return f(q)
			}
			d1 := (at(-2) - 8*at(-1) + 8*at(1) - at(2)) / (12 * h)
			d2 := (-at(-2) + 16*at(-1) - 30*at(0) + 16*at(1) - at(2)) / (12 * h * h)
			if e := math.Abs(d1 - d.Grad[k][i]); e > 2e-8*(1+math.Abs(d1)) {
				t.Errorf("point %d: ∂u/∂p_%d = %v, finite differences %v (|Δ| = %.2g)", k, i, d.Grad[k][i], d1, e)
			}
			if e := math.Abs(d2 - d.Hess[k][3*i]); e > 1e-7*(1+math.Abs(d2)) {
				t.Errorf("point %d: ∂²u/∂p_%d² = %v, finite differences %v (|Δ| = %.2g)", k, i, d.Hess[k][3*i], d2, e)
			}
		}
	}
}

func TestFourierBadInput(t *testing.T) {
	p := AllenCahnProblem(16, 16)
	heat, _ := Heat{Kappa: 1}.Problem(1, 8)
	for _, c := range []struct {
		name string
		p    Problem
		cfg  Config
	}{
		{"non-periodic axis", heat, Config{Fourier: Fourier{Periodic: []int{0}}}},
		{"time axis", p, Config{Fourier: Fourier{Periodic: []int{1}}}},
		{"negative axis", p, Config{Fourier: Fourier{Periodic: []int{-1}}}},
		{"twice", p, Config{Fourier: Fourier{Periodic: []int{0, 0}}}},
		{"odd features", p, Config{Fourier: Fourier{Features: 3}}},
		{"negative modes", p, Config{Fourier: Fourier{Periodic: []int{0}, Modes: -1}}},
		{"NaN scale", p, Config{Fourier: Fourier{Features: 4, Scale: math.NaN()}}},
		{"modified widths", p, Config{Architecture: ModifiedMLP, Hidden: []int{8, 9}}},
		{"architecture", p, Config{Architecture: 7}},
	} {
		c.cfg.Collocation = 32
		if _, err := New(c.p, c.cfg); !errors.Is(err, ErrInput) {
			t.Errorf("%s: got %v, want ErrInput", c.name, err)
		}
	}
}

// TestGeneralTrains is a smoke test of training through the general
// network: the loss falls.
func TestGeneralTrains(t *testing.T) {
	m, err := New(AllenCahnProblem(64, 32), Config{Hidden: []int{16, 16}, Architecture: ModifiedMLP, Collocation: 256, Seed: 1,
		Fourier: Fourier{Periodic: []int{0}}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := m.Train(context.Background(), TrainConfig{Phases: []Phase{Adam{Steps: 100, LR: 1e-2}}})
	if err != nil {
		t.Fatal(err)
	}
	l := h.Loss()
	t.Logf("loss %.3g → %.3g in %v", l[0], l[len(l)-1], h.Elapsed)
	if !(l[len(l)-1] < 0.5*l[0]) {
		t.Errorf("loss %v → %v, want a fall by half", l[0], l[len(l)-1])
	}
	if _, ok := m.Terms()["periodic[1]"]; ok {
		t.Errorf("the periodic penalty is still in the loss: %v", m.Terms())
	}
}
