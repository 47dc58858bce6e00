package energy_test

import (
	"errors"
	"math"
	"testing"

	"github.com/physbias/physbias/energy"
)

// moments returns the mean of x_i^p over rows, and its standard error.
func moment(xs [][]float64, i int, p float64) (mean, se float64) {
	n := float64(len(xs))
	var s, s2 float64
	for _, x := range xs {
		v := math.Pow(x[i], p)
		s += v
		s2 += v * v
	}
	mean = s / n
	return mean, math.Sqrt((s2/n - mean*mean) / n)
}

func startRows(n, d int, v float64) [][]float64 {
	out := make([][]float64, n)
	for k := range out {
		out[k] = make([]float64, d)
		for i := range out[k] {
			out[k][i] = v * float64((k+i)%3-1)
		}
	}
	return out
}

// Langevin on a Gaussian with variances 1 and 4: unadjusted Langevin has
// the closed-form stationary variance s²/(1 − ε/(2s²)) of its linear
// recursion (a 5% bias at ε = 0.1, s² = 1), and Metropolis-adjusted
// Langevin removes the bias.
func TestLangevinGaussianMoments(t *testing.T) {
	s2 := []float64{1, 4}
	e := energy.Energy{Dim: 2,
		E: func(x []float64) float64 { return x[0]*x[0]/(2*s2[0]) + x[1]*x[1]/(2*s2[1]) },
		Grad: func(x, g []float64) {
			g[0], g[1] = x[0]/s2[0], x[1]/s2[1]
		}}
	const eps, n = 0.1, 20000
	for _, mala := range []bool{false, true} {
		res, err := energy.Langevin(e, startRows(n, 2, 1), energy.LangevinConfig{Steps: 300, StepSize: eps, Metropolis: mala, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range s2 {
			want := s / (1 - eps/(2*s))
			if mala {
				want = s
			}
			m1, se1 := moment(res.X, i, 1)
			m2, se2 := moment(res.X, i, 2)
			t.Logf("metropolis=%v, x%d: mean %.4f ± %.4f, E[x²] %.4f ± %.4f, want %.4f (acceptance %.3f)", mala, i, m1, se1, m2, se2, want, res.Accepted)
			// Independent chains: the standard errors are exact; 4σ.
			if math.Abs(m1) > 4*se1 || math.Abs(m2-want) > 4*se2 {
				t.Errorf("metropolis=%v, x%d: mean %.4f, E[x²] %.4f, want 0 and %.4f (±4σ = %.4f)", mala, i, m1, m2, want, 4*se2)
			}
		}
	}
}

// Metropolis-adjusted Langevin in a double well E = 2(x² − 1)² (barrier 2)
// matches the moments ⟨x⟩ = 0, ⟨x²⟩ and ⟨x⁴⟩ computed by quadrature.
func TestLangevinDoubleWell(t *testing.T) {
	E := func(x float64) float64 { return 2 * (x*x - 1) * (x*x - 1) }
	e := energy.Energy{Dim: 1,
		E:    func(x []float64) float64 { return E(x[0]) },
		Grad: func(x, g []float64) { g[0] = 8 * x[0] * (x[0]*x[0] - 1) }}
	var z, q2, q4 float64
	for k := -40000; k <= 40000; k++ {
		x := float64(k) * 1e-4
		p := math.Exp(-E(x))
		z, q2, q4 = z+p, q2+x*x*p, q4+x*x*x*x*p
	}
	want2, want4 := q2/z, q4/z
	res, err := energy.Langevin(e, startRows(4000, 1, 1), energy.LangevinConfig{Steps: 2000, StepSize: 0.05, Metropolis: true, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	m1, se1 := moment(res.X, 0, 1)
	m2, se2 := moment(res.X, 0, 2)
	m4, se4 := moment(res.X, 0, 4)
	t.Logf("⟨x⟩ %.4f ± %.4f, ⟨x²⟩ %.4f ± %.4f (want %.4f), ⟨x⁴⟩ %.4f ± %.4f (want %.4f), acceptance %.3f", m1, se1, m2, se2, want2, m4, se4, want4, res.Accepted)
	if math.Abs(m1) > 4*se1 || math.Abs(m2-want2) > 4*se2 || math.Abs(m4-want4) > 4*se4 {
		t.Errorf("double well moments off by more than 4σ")
	}
}

func TestLangevinBadInput(t *testing.T) {
	grad := func(x, g []float64) { g[0] = x[0] }
	x := [][]float64{{0.5}}
	for _, c := range []struct {
		name string
		e    energy.Energy
		x    [][]float64
		cfg  energy.LangevinConfig
		kind error
	}{
		{"no dim", energy.Energy{Grad: grad}, x, energy.LangevinConfig{}, energy.ErrInput},
		{"no grad", energy.Energy{Dim: 1}, x, energy.LangevinConfig{}, energy.ErrInput},
		{"row length", energy.Energy{Dim: 1, Grad: grad}, [][]float64{{1, 2}}, energy.LangevinConfig{}, energy.ErrInput},
		{"NaN start", energy.Energy{Dim: 1, Grad: grad}, [][]float64{{math.NaN()}}, energy.LangevinConfig{}, energy.ErrNotFinite},
		{"negative step", energy.Energy{Dim: 1, Grad: grad}, x, energy.LangevinConfig{StepSize: -1}, energy.ErrInput},
		{"MALA without E", energy.Energy{Dim: 1, Grad: grad}, x, energy.LangevinConfig{Metropolis: true}, energy.ErrInput},
		{"diverges", energy.Energy{Dim: 1, Grad: func(x, g []float64) { g[0] = -x[0] * x[0] * x[0] }}, [][]float64{{3}}, energy.LangevinConfig{StepSize: 1}, energy.ErrNotFinite},
		{"panics", energy.Energy{Dim: 1, Grad: func(x, g []float64) { g[1] = 0 }}, x, energy.LangevinConfig{}, energy.ErrCallback},
	} {
		if _, err := energy.Langevin(c.e, c.x, c.cfg); !errors.Is(err, c.kind) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.kind)
		}
	}
}
