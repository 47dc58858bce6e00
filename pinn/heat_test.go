package pinn

import (
	"context"
	"math"
	"testing"

	"github.com/physbias/physbias/internal/rng"
	G "gorgonia.org/gorgonia"
)

// heatError returns the relative L2 error of m against h on a 41 × 41 grid
// of [0, 1] × [0, 1].
func heatError(t *testing.T, m *Model, h Heat) float64 {
	t.Helper()
	pts, err := m.prob.Domain.Grid(41, 41)
	if err != nil {
		t.Fatal(err)
	}
	u, err := m.Predict(pts)
	if err != nil {
		t.Fatal(err)
	}
	ref := make([]float64, len(pts))
	for i, p := range pts {
		ref[i] = h.U(p[0], p[1])
	}
	e, err := RelativeL2(u, ref)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestHeatSoftAndHard solves u_t = 0.1 u_xx on [0, 1] × [0, 1] with
// u(0,t) = u(1,t) = 0 and u(x,0) = sin πx (exact: e^{−0.1π²t} sin πx) with a
// 2-16-16-1 tanh network, 300 collocation points and 50 points per condition
// face, 300 Adam steps then at most 500 L-BFGS iterations, once with the
// conditions as penalties (soft) and once built into the output (hard,
// u = sin πx + t·4x(1−x)·N). Both must reach a relative L2 error below 1e-2
// (the bar; measured: soft 3.5e-4, hard 3.5e-5).
func TestHeatSoftAndHard(t *testing.T) {
	for _, mode := range []Constraints{Soft, Hard} {
		t.Run(mode.String(), func(t *testing.T) {
			h := Heat{Kappa: 0.1}
			p, err := h.Problem(1, 50)
			if err != nil {
				t.Fatal(err)
			}
			m, err := New(p, Config{Hidden: []int{16, 16}, Collocation: 300, Constraints: mode, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			hist, err := m.Train(context.Background(), TrainConfig{Phases: []Phase{Adam{Steps: 300, LR: 1e-2}, LBFGS{MaxIter: 500}}})
			if err != nil {
				t.Fatal(err)
			}
			e := heatError(t, m, h)
			t.Logf("%v: loss %.3g after %d Adam + %d L-BFGS steps (%s), relative L2 %.3g, terms %v",
				mode, hist.Final(), len(hist.Phases[0].Loss), len(hist.Phases[1].Loss), hist.Stop, e, m.Terms())
			if e > 1e-2 {
				t.Errorf("%v constraints: relative L2 error %.3g > 1e-2", mode, e)
			}
			if _, ok := m.Terms()["initial[1]"]; ok == (mode == Hard) {
				t.Errorf("%v constraints: loss terms %v", mode, m.Terms())
			}
		})
	}
}

// TestHardConstraintsExact checks that the hard transform meets the
// Dirichlet and initial values exactly (to rounding) for an untrained
// network, on fresh face points.
func TestHardConstraintsExact(t *testing.T) {
	h := Heat{Kappa: 0.1, A: []float64{1, 0.3}}
	p, _ := h.Problem(1, 20)
	m, err := New(p, Config{Hidden: []int{8}, Collocation: 20, Constraints: Hard, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	var pts [][]float64
	var want []float64
	for i := 0; i <= 10; i++ {
		s := float64(i) / 10
		pts = append(pts, []float64{0, s}, []float64{1, s}, []float64{s, 0})
		want = append(want, 0, 0, h.Initial(s))
	}
	u, err := m.Predict(pts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range u {
		if math.Abs(u[i]-want[i]) > 1e-14 {
			t.Errorf("u%v = %.3g, condition wants %.3g", pts[i], u[i], want[i])
		}
	}
	// A lift that contradicts a Dirichlet value is an error.
	p.Lift = func(q []float64) float64 { return 1 }
	if _, err := New(p, Config{Hidden: []int{8}, Collocation: 20, Constraints: Hard}); err == nil {
		t.Error("incompatible Lift: no error")
	}
}

// TestInverseHeat learns the diffusivity κ of u_t = κ u_xx from 200 noisy
// observations (1% Gaussian noise relative to the data's RMS) of the exact
// solution with κ = 0.1, starting from κ = 0.03 (parametrised as exp θ), with
// no boundary or initial condition given. It must recover κ within 5% (the
// issue's bar; measured 0.5%).
func TestInverseHeat(t *testing.T) {
	h := Heat{Kappa: 0.1}
	dom := Domain{Space: []Interval{{0, 1}}, Time: Interval{0, 1}}
	x, err := dom.Sample(200, LatinHypercube, 7)
	if err != nil {
		t.Fatal(err)
	}
	d := &Data{X: x, U: make([]float64, len(x))}
	r := rng.New(8)
	for i, p := range x {
		d.U[i] = h.U(p[0], p[1])
	}
	var rms float64
	for _, u := range d.U {
		rms += u * u / float64(len(d.U))
	}
	rms = math.Sqrt(rms)
	for i := range d.U {
		d.U[i] += 0.01 * rms * r.NormFloat64()
	}
	p := Problem{
		Domain: dom,
		Residual: func(f *Fields) (*G.Node, error) {
			return f.Sub(f.Ut(), f.Mul(f.Coef("kappa"), f.Uxx(0))), nil
		},
		Data:     d,
		Unknowns: []Unknown{{Name: "kappa", Init: 0.03, Positive: true}},
	}
	m, err := New(p, Config{Hidden: []int{16, 16}, Collocation: 300, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	hist, err := m.Train(context.Background(), TrainConfig{Phases: []Phase{Adam{Steps: 300, LR: 1e-2}, LBFGS{MaxIter: 500}}})
	if err != nil {
		t.Fatal(err)
	}
	k, err := m.Coef("kappa")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("learned κ = %.5f (true 0.1, error %.2f%%), loss %.3g, %s", k, 100*math.Abs(k-0.1)/0.1, hist.Final(), hist.Stop)
	if math.Abs(k-0.1) > 0.05*0.1 {
		t.Errorf("learned κ = %.4f, want 0.1 within 5%%", k)
	}
}
