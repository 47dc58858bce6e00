package flows_test

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/physbias/physbias/flows"
)

// harmonic is H = p²/2 + ω²q²/2 in n independent dimensions, a user's
// own Separable.
func harmonic(n int, w float64) flows.Separable {
	return flows.Separable{
		Dim:   n,
		GradK: func(p, g []float64) { copy(g, p) },
		GradV: func(q, g []float64) {
			for i, v := range q {
				g[i] = w * w * v
			}
		},
	}
}

// For the harmonic oscillator one leapfrog step is the linear map
// M = [[1 − a, h], [−ω²h(1 − a/2), 1 − a]], a = ω²h²/2 (closed form), so k steps
// are M^k; and leapfrog conserves exactly the modified energy
// p²/2 + ω²q²(1 − ω²h²/4)/2.
func TestLeapfrogHarmonicClosedForm(t *testing.T) {
	const w, h, k = 1.3, 0.2, 50
	a := w * w * h * h / 2
	M := mat.NewDense(2, 2, []float64{1 - a, h, -w * w * h * (1 - a/2), 1 - a})
	var Mk mat.Dense
	Mk.Pow(M, k)
	q, p := []float64{0.7, -1.1}, []float64{0.2, 0.5}
	q0, p0 := append([]float64(nil), q...), append([]float64(nil), p...)
	if err := flows.Leapfrog(harmonic(2, w), q, p, h, k); err != nil {
		t.Fatal(err)
	}
	for i := range q {
		wq := Mk.At(0, 0)*q0[i] + Mk.At(0, 1)*p0[i]
		wp := Mk.At(1, 0)*q0[i] + Mk.At(1, 1)*p0[i]
		// Measured: 2e-15.
		if math.Abs(q[i]-wq) > 1e-13 || math.Abs(p[i]-wp) > 1e-13 {
			t.Errorf("dim %d: leapfrog (%v, %v), closed form (%v, %v)", i, q[i], p[i], wq, wp)
		}
		e := func(q, p float64) float64 { return p*p/2 + w*w*q*q*(1-w*w*h*h/4)/2 }
		if d := math.Abs(e(q[i], p[i]) - e(q0[i], p0[i])); d > 1e-14 {
			t.Errorf("dim %d: modified energy changed by %g", i, d)
		}
	}
	if err := flows.LeapfrogInverse(harmonic(2, w), q, p, h, k); err != nil {
		t.Fatal(err)
	}
	if d := math.Max(maxAbsDiff(q, q0), maxAbsDiff(p, p0)); d > 1e-13 {
		t.Errorf("inverse misses the start by %g", d)
	}
}

// nhfMap returns the NHF's forward map on one phase-space point x = (q, p).
func nhfMap(t *testing.T, m *flows.NHF, inverse bool) func(x []float64) []float64 {
	d := m.Dim()
	return func(x []float64) []float64 {
		q, p := append([]float64(nil), x[:d]...), append([]float64(nil), x[d:]...)
		var err error
		if inverse {
			err = m.Inverse(q, p)
		} else {
			err = m.Forward(q, p)
		}
		if err != nil {
			t.Fatal(err)
		}
		return append(q, p...)
	}
}

// The learned leapfrog map has Jacobian determinant 1: the determinant of
// a 4th-order finite-difference Jacobian, for data dimensions 1, 2 and 3
// and a step size large enough that the map is far from the identity.
func TestNHFVolumePreserving(t *testing.T) {
	for _, d := range []int{1, 2, 3} {
		// Three stages in 2-D: a composition of Hamiltonian flows.
		stages := 1
		if d == 2 {
			stages = 3
		}
		m, err := flows.NewNHF(d, flows.NHFConfig{Hidden: []int{16, 16}, Stages: stages, StepSize: 0.4, Leapfrog: 8, Seed: uint64(d)})
		if err != nil {
			t.Fatal(err)
		}
		f := nhfMap(t, m, false)
		for k, x := range [][]float64{
			{0.3, -0.8, 1.2, 0.5, -0.1, 0.9},
			{-1.5, 0.4, 0.0, 2.0, 1.1, -0.6},
		} {
			J := fdJacobian(t, f, x[:2*d], 1e-3)
			det := mat.Det(J)
			var I mat.Dense
			I.Sub(J, eye(2*d))
			// Measured: |det − 1| ≤ 2e-12; ‖J − I‖ is 0.85–2.6, so the map is
			// far from the identity.
			if math.Abs(det-1) > 1e-10 {
				t.Errorf("d=%d point %d: det J = %.15f", d, k, det)
			}
			if mat.Norm(&I, 2) < 0.1 {
				t.Errorf("d=%d point %d: the map is nearly the identity (‖J−I‖ = %g); the test shows nothing", d, k, mat.Norm(&I, 2))
			}
			t.Logf("d=%d point %d: det J − 1 = %.2g, ‖J − I‖ = %.2g", d, k, det-1, mat.Norm(&I, 2))
		}
	}
}

func eye(n int) *mat.Dense {
	I := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		I.Set(i, i, 1)
	}
	return I
}

// Inverse undoes Forward to 1e-12 on 1,000 points of a 3-D NHF.
func TestNHFInverse(t *testing.T) {
	m, err := flows.NewNHF(3, flows.NHFConfig{Hidden: []int{16, 16}, StepSize: 0.4, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	q, p, err := m.SampleJoint(1000, 3)
	if err != nil {
		t.Fatal(err)
	}
	q0, p0 := append([]float64(nil), q...), append([]float64(nil), p...)
	if err := m.Inverse(q, p); err != nil {
		t.Fatal(err)
	}
	moved := maxAbsDiff(q, q0)
	if err := m.Forward(q, p); err != nil {
		t.Fatal(err)
	}
	// Measured: 1.3e-15 (the map moves q by up to 2.7).
	d := math.Max(maxAbsDiff(q, q0), maxAbsDiff(p, p0))
	if d > 1e-12 {
		t.Errorf("Forward(Inverse(x)) misses x by %g", d)
	}
	t.Logf("round trip error %.2g; the map moves q by up to %.2g", d, moved)
}

func TestLeapfrogErrors(t *testing.T) {
	h := harmonic(2, 1)
	q, p := []float64{1, 2}, []float64{3, 4}
	for _, c := range []struct {
		name  string
		h     flows.Separable
		q, p  []float64
		dt    float64
		steps int
		want  error
	}{
		{"zero step", h, q, p, 0, 1, flows.ErrInput},
		{"negative step", h, q, p, -0.1, 1, flows.ErrInput},
		{"NaN step", h, q, p, math.NaN(), 1, flows.ErrInput},
		{"no steps", h, q, p, 0.1, 0, flows.ErrInput},
		{"odd state", h, []float64{1, 2, 3}, []float64{1, 2, 3}, 0.1, 1, flows.ErrInput},
		{"p shorter", h, q, p[:1], 0.1, 1, flows.ErrInput},
		{"NaN q", h, []float64{math.NaN(), 1}, p, 0.1, 1, flows.ErrNotFinite},
		{"nil gradient", flows.Separable{Dim: 2}, q, p, 0.1, 1, flows.ErrInput},
		{"panicking gradient", flows.Separable{Dim: 2, GradK: h.GradK, GradV: func(q, g []float64) { g[5] = 1 }}, q, p, 0.1, 1, flows.ErrCallback},
		{"diverging", flows.Separable{Dim: 2, GradK: h.GradK, GradV: func(q, g []float64) {
			for i := range g {
				g[i] = math.Inf(1)
			}
		}}, q, p, 0.1, 1, flows.ErrNotFinite},
	} {
		qq, pp := append([]float64(nil), c.q...), append([]float64(nil), c.p...)
		err := flows.Leapfrog(c.h, qq, pp, c.dt, c.steps)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
}
