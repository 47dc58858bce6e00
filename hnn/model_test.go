package hnn

import (
	"math"
	"testing"

	"github.com/physbias/physbias/internal/ad"
)

// TestDerivIsSymplecticGradientOfEnergy checks the HNN's field against
// central finite differences of its own learned H: dq/dt = ∂H/∂p,
// dp/dt = −∂H/∂q. With h = 1e-5 the truncation error is ≈ h²·|H‴| ≈ 1e-10
// and round-off ≈ 1e-16/h ≈ 1e-11; the bound 1e-7 leaves room.
func TestDerivIsSymplecticGradientOfEnergy(t *testing.T) {
	for _, dim := range []int{2, 8} {
		m, err := New(dim, Config{Hidden: []int{16, 16}, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, 3*dim)
		for i := range x {
			x[i] = math.Sin(float64(7*i + 1))
		}
		dx := make([]float64, len(x))
		if err := m.Deriv(x, dx); err != nil {
			t.Fatal(err)
		}
		n := dim / 2
		e := make([]float64, 1)
		H := func(s []float64) float64 {
			if err := m.Energy(s, e); err != nil {
				t.Fatal(err)
			}
			return e[0]
		}
		for r := 0; r < 3; r++ {
			s := x[r*dim : (r+1)*dim]
			for j := 0; j < dim; j++ {
				const h = 1e-5
				p := append([]float64(nil), s...)
				q := append([]float64(nil), s...)
				p[j] += h
				q[j] -= h
				dH := (H(p) - H(q)) / (2 * h)
				got, want := dx[r*dim+(j+n)%dim], dH // j < n: dp/dt = −∂H/∂q
				if j < n {
					want = -dH
				}
				if math.Abs(got-want) > 1e-7 {
					t.Errorf("dim %d state %d coordinate %d: field %v, finite differences of H give %v", dim, r, j, got, want)
				}
			}
		}
	}
}

// TestNetMatchesDense checks the batched plain-Go evaluator the rollouts
// use against internal/ad's point-wise Dense on the same weights (values
// and input gradients agree to round-off, 1e-12).
func TestNetMatchesDense(t *testing.T) {
	m, err := New(4, Config{Hidden: []int{7, 5}, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	var w, b [][]float64
	for l := range m.net.w {
		w, b = append(w, m.net.w[l]), append(b, m.net.b[l])
	}
	d, err := ad.NewDense(m.sizes, ad.Tanh, w, b)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, 5*4)
	for i := range x {
		x[i] = math.Cos(float64(3*i + 2))
	}
	h := make([]float64, 5)
	if err := m.Energy(x, h); err != nil {
		t.Fatal(err)
	}
	g := make([]float64, len(x))
	m.net.inputGrad(x, 5, g)
	y, gd := make([]float64, 1), make([]float64, 4)
	for r := 0; r < 5; r++ {
		if err := d.Forward(x[4*r:4*r+4], y); err != nil {
			t.Fatal(err)
		}
		if err := d.InputGrad(x[4*r:4*r+4], gd); err != nil {
			t.Fatal(err)
		}
		if math.Abs(y[0]-h[r]) > 1e-12 {
			t.Errorf("state %d: H %v, ad.Dense %v", r, h[r], y[0])
		}
		for j := range gd {
			if math.Abs(gd[j]-g[4*r+j]) > 1e-12 {
				t.Errorf("state %d: ∂H/∂x%d %v, ad.Dense %v", r, j, g[4*r+j], gd[j])
			}
		}
	}
}

// TestGraphLossMatchesPlainGo checks that the training graph computes the
// same field as the plain-Go evaluator: the loss of the first full-batch
// step (before its update) equals Model.Loss on the training pairs at the
// initial weights, for the HNN and the baseline (1e-12 relative: the same
// sums in another order).
func TestGraphLossMatchesPlainGo(t *testing.T) {
	c := paper(MassSpring(), 5)
	c.Trajectories = 6
	ds, err := Simulate(MassSpring(), c)
	if err != nil {
		t.Fatal(err)
	}
	for _, base := range []bool{false, true} {
		m, err := New(2, Config{Hidden: []int{12}, Baseline: base, Seed: 6})
		if err != nil {
			t.Fatal(err)
		}
		want, err := m.Loss(ds.X, ds.DX)
		if err != nil {
			t.Fatal(err)
		}
		h := fit(t, m, ds, steps(1))
		if len(h.Loss) != 1 || math.Abs(h.Loss[0]-want) > 1e-12*want {
			t.Errorf("baseline=%v: graph loss %v, plain Go %v", base, h.Loss, want)
		}
		after, _ := m.Loss(ds.X, ds.DX)
		if !(after < want) {
			t.Errorf("baseline=%v: one Adam step did not lower the loss (%v → %v)", base, want, after)
		}
	}
}
