package hopfield

import (
	"math"
	"testing"

	"github.com/physbias/physbias/internal/rng"
	"gonum.org/v1/gonum/diff/fd"
)

func testContinuous(t *testing.T, n, p int, gain float64) (*Continuous, [][]int8) {
	t.Helper()
	pats, _ := RandomPatterns(p, n, 21)
	net, _ := New(n)
	if err := net.StoreHebbian(pats); err != nil {
		t.Fatal(err)
	}
	th := make([]float64, n)
	for i := range th {
		th[i] = 0.02 * math.Cos(float64(3*i))
	}
	_ = net.SetThresholds(th)
	c, err := net.Continuous(ContinuousConfig{Gain: gain, Tau: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	return c, pats
}

// The energy is a Lyapunov function: ∂E/∂u_i = −τ g′(u_i) du_i/dt. Checked
// against central finite differences of Energy (step 1e-6, error ≈ 1e-9).
func TestContinuousEnergyGradient(t *testing.T) {
	c, _ := testContinuous(t, 12, 2, 1.7)
	r := rng.New(8)
	u := make([]float64, 12)
	for i := range u {
		u[i] = r.NormFloat64()
	}
	grad := fd.Gradient(nil, func(x []float64) float64 { e, _ := c.Energy(x); return e }, u, &fd.Settings{Formula: fd.Central, Step: 1e-6})
	du := make([]float64, 12)
	c.Derivative(0, u, du)
	for i := range u {
		th := math.Tanh(c.gain * u[i])
		want := -c.tau * c.gain * (1 - th*th) * du[i]
		if math.Abs(grad[i]-want) > 1e-8 {
			t.Errorf("∂E/∂u_%d: finite differences %v, −τ g′ du/dt %v", i, grad[i], want)
		}
	}
}

// The energy never rises along a trajectory (to the solver's error, bounded
// by 1e-10 of the energy scale for RK4 with dt = 0.01 and for
// Dormand–Prince at rtol 1e-9), at low and high gain, from random starts,
// and it falls overall.
func TestContinuousEnergyNeverRises(t *testing.T) {
	for _, run := range []RunConfig{{Duration: 10, Dt: 0.01}, {Duration: 10, RTol: 1e-9, ATol: 1e-12}} {
		testEnergyNeverRises(t, run)
	}
}

func testEnergyNeverRises(t *testing.T, run RunConfig) {
	for _, gain := range []float64{0.8, 5} {
		c, _ := testContinuous(t, 40, 6, gain)
		r := rng.New(uint64(10 * gain))
		for start := 0; start < 5; start++ {
			u0 := make([]float64, 40)
			for i := range u0 {
				u0[i] = 0.5 * r.NormFloat64()
			}
			tr, err := c.Run(u0, run)
			if err != nil {
				t.Fatal(err)
			}
			if start == 0 {
				t.Logf("gain %v, %+v: %d steps, E %.4f → %.4f", gain, run, tr.Steps, tr.Energy[0], tr.Energy[len(tr.Energy)-1])
			}
			e := tr.Energy
			for k := 1; k < len(e); k++ {
				if e[k] > e[k-1]+1e-10*math.Max(1, math.Abs(e[0])) {
					t.Fatalf("gain %v start %d: energy rose at t=%v: %v → %v", gain, start, tr.T[k], e[k-1], e[k])
				}
			}
			if !(e[len(e)-1] < e[0]) {
				t.Errorf("gain %v start %d: energy did not fall: %v → %v", gain, start, e[0], e[len(e)-1])
			}
		}
	}
}

// At high gain the continuous network recalls like the classical one: from
// a cue with 10% of bits flipped (u0 = 0.1·cue) the signs of V end at the
// stored pattern.
func TestContinuousRecall(t *testing.T) {
	c, pats := testContinuous(t, 100, 5, 10)
	for k, x := range pats {
		cue, _ := Corrupt(x, 0.1, uint64(k))
		u0 := Spins(cue)
		for i := range u0 {
			u0[i] *= 0.1
		}
		tr, err := c.Run(u0, RunConfig{Duration: 10, Dt: 0.005})
		if err != nil {
			t.Fatal(err)
		}
		if got := Signs(tr.U); !equalSpins(got, x) {
			o, _ := Overlap(got, x)
			t.Errorf("pattern %d: overlap %.2f after the run", k, o)
		}
	}
}

func TestContinuousErrors(t *testing.T) {
	if _, err := NewContinuous(0, nil, nil, ContinuousConfig{}); err == nil {
		t.Error("N = 0: no error")
	}
	if _, err := NewContinuous(2, []float64{0, 1, 2, 0}, nil, ContinuousConfig{}); err == nil {
		t.Error("asymmetric weights: no error")
	}
	if _, err := NewContinuous(2, []float64{0, 1, 1}, nil, ContinuousConfig{}); err == nil {
		t.Error("3 weights for 2 units: no error")
	}
	if _, err := NewContinuous(2, []float64{0, 1, 1, 0}, nil, ContinuousConfig{Gain: -1}); err == nil {
		t.Error("negative gain: no error")
	}
	if _, err := NewContinuous(2, []float64{0, 1, 1, 0}, []float64{math.NaN(), 0}, ContinuousConfig{}); err == nil {
		t.Error("NaN input: no error")
	}
	c, _ := NewContinuous(2, []float64{0, 1, 1, 0}, nil, ContinuousConfig{})
	if _, err := c.Run([]float64{1}, RunConfig{}); err == nil {
		t.Error("short start: no error")
	}
	if _, err := c.Run([]float64{1, 1}, RunConfig{Dt: -1}); err == nil {
		t.Error("negative step: no error")
	}
	if _, err := c.Run([]float64{1, 1}, RunConfig{RTol: 1e-6}); err == nil {
		t.Error("RTol without ATol: no error")
	}
	if _, err := c.Run([]float64{1, 1}, RunConfig{RTol: 1e-6, ATol: 1e-9, Dt: 0.1}); err == nil {
		t.Error("RTol with Dt: no error")
	}
	if _, err := c.Energy([]float64{1, math.Inf(1)}); err == nil {
		t.Error("Inf state: no error")
	}
}
