package hnn

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/physbias/physbias/internal/rng"
)

// TestHamiltonsEquations checks each true system's Deriv against central
// finite differences of its Energy: dq/dt = ∂H/∂p, dp/dt = −∂H/∂q. Step
// 1e-5 gives a truncation error ≈ h²·H‴ ≈ 1e-10 and round-off ≈ 1e-11, so
// 1e-7 is a safe bound.
func TestHamiltonsEquations(t *testing.T) {
	for _, sys := range []System{MassSpring(), Pendulum(), TwoBody()} {
		r := rng.New(3)
		x := make([]float64, sys.Dim())
		dx := make([]float64, sys.Dim())
		for trial := 0; trial < 5; trial++ {
			sys.Initial(r, x)
			if err := sys.Deriv(x, dx); err != nil {
				t.Fatal(err)
			}
			n := sys.Dof
			for j := 0; j < sys.Dim(); j++ {
				const h = 1e-5
				xp := append([]float64(nil), x...)
				xm := append([]float64(nil), x...)
				xp[j] += h
				xm[j] -= h
				dH := (sys.Energy(xp) - sys.Energy(xm)) / (2 * h)
				var want float64
				if j < n {
					want = -dH // dp_j/dt = −∂H/∂q_j
					if math.Abs(dx[n+j]-want) > 1e-7 {
						t.Errorf("%s: dp%d/dt = %v, −∂H/∂q by differences %v", sys.Name, j, dx[n+j], want)
					}
				} else {
					want = dH // dq/dt = ∂H/∂p
					if math.Abs(dx[j-n]-want) > 1e-7 {
						t.Errorf("%s: dq%d/dt = %v, ∂H/∂p by differences %v", sys.Name, j-n, dx[j-n], want)
					}
				}
			}
		}
	}
}

// TestSimulatorConservesEnergy checks that the noise-free simulated
// trajectories keep H constant: RK4 with steps ≤ 0.002 has a local error
// ≈ h⁵ ≈ 1e-13, so over a few thousand steps the drift stays below 1e-8.
func TestSimulatorConservesEnergy(t *testing.T) {
	for _, sys := range []System{MassSpring(), Pendulum(), TwoBody()} {
		cfg := paper(sys, 1)
		cfg.Trajectories, cfg.Noise, cfg.TestFraction = 4, 0, 0.5
		if sys.Name == "two-body" {
			cfg.Points = 20
		}
		ds, err := Simulate(sys, cfg)
		if err != nil {
			t.Fatal(err)
		}
		pts := len(ds.Times)
		for _, part := range [][]float64{ds.X, ds.TestX} {
			for k := 0; k < len(part)/(pts*sys.Dim()); k++ {
				e0 := sys.Energy(part[k*pts*sys.Dim():])
				for i := 1; i < pts; i++ {
					e := sys.Energy(part[(k*pts+i)*sys.Dim():])
					if math.Abs(e-e0) > 1e-8 {
						t.Fatalf("%s trajectory %d: H went from %v to %v by t = %v", sys.Name, k, e0, e, ds.Times[i])
					}
				}
			}
		}
		// The derivatives stored are Hamilton's equations at the clean states.
		dx := make([]float64, len(ds.X))
		if err := sys.Deriv(ds.X, dx); err != nil {
			t.Fatal(err)
		}
		for i := range dx {
			if math.Abs(dx[i]-ds.DX[i]) > 1e-12 {
				t.Fatalf("%s: stored derivative %d is %v, Hamilton's equations give %v", sys.Name, i, ds.DX[i], dx[i])
			}
		}
	}
}

// TestSimulatePaperSizes checks the paper's data set sizes and the radius
// range of the mass-spring's initial states.
func TestSimulatePaperSizes(t *testing.T) {
	ds, err := Simulate(MassSpring(), paper(MassSpring(), 2))
	if err != nil {
		t.Fatal(err)
	}
	if ds.Len() != 25*30 || len(ds.TestX) != 25*30*2 || len(ds.TestStart) != 25*2 || len(ds.Times) != 30 || ds.Times[29] != 3 {
		t.Fatalf("mass-spring: %d training pairs, %d test values, %d starts, %d times ending at %v", ds.Len(), len(ds.TestX), len(ds.TestStart), len(ds.Times), ds.Times[len(ds.Times)-1])
	}
	for k := 0; k < 25; k++ {
		if r := math.Hypot(ds.TestStart[2*k], ds.TestStart[2*k+1]); r < 0.1 || r > 1 {
			t.Fatalf("test start %d has radius %v outside [0.1, 1]", k, r)
		}
	}
	// Noise σ = 0.1: the residual of the noisy states about the clean
	// ones (whose derivative is stored) has that standard deviation;
	// recover clean q from dp/dt = −2q.
	var ss float64
	for i := 0; i < ds.Len(); i++ {
		e := ds.X[2*i] - (-ds.DX[2*i+1] / 2)
		ss += e * e
	}
	if sd := math.Sqrt(ss / float64(ds.Len())); math.Abs(sd-0.1) > 0.01 {
		t.Fatalf("noise standard deviation %v, want 0.1 ± 0.01 (750 samples: sampling error ≈ 0.0026)", sd)
	}
}

// TestRolloutClosedForm checks both integrators on the mass-spring
// against its closed form q = q₀cos2t + p₀sin2t, p = p₀cos2t − q₀sin2t,
// and their orders: halving h divides the error by ≈ 16 (RK4) and ≈ 4
// (implicit midpoint). The implicit midpoint rule keeps any quadratic
// invariant exactly, so H = q² + p² stays constant to round-off.
func TestRolloutClosedForm(t *testing.T) {
	sys := MassSpring()
	x0 := []float64{0.3, -0.7, 1, 0}
	const T = 5.0
	errAt := func(m Method, steps int) (float64, float64) {
		out, err := Rollout(sys, x0, T, steps, m)
		if err != nil {
			t.Fatal(err)
		}
		worst, drift := 0.0, 0.0
		for k := 0; k < 2; k++ {
			q0, p0 := x0[2*k], x0[2*k+1]
			e0 := q0*q0 + p0*p0
			for i := 0; i <= steps; i++ {
				tt := T * float64(i) / float64(steps)
				q, p := out.X[i][2*k], out.X[i][2*k+1]
				c, s := math.Cos(2*tt), math.Sin(2*tt)
				worst = math.Max(worst, math.Hypot(q-(q0*c+p0*s), p-(p0*c-q0*s)))
				drift = math.Max(drift, math.Abs(q*q+p*p-e0))
			}
		}
		return worst, drift
	}
	for _, c := range []struct {
		m     Method
		order float64
	}{{RK4(), 4}, {ImplicitMidpoint(), 2}, {Leapfrog(), 2}, {Yoshida4(), 4}} {
		e1, _ := errAt(c.m, 200)
		e2, drift := errAt(c.m, 400)
		got := math.Log2(e1 / e2)
		if math.Abs(got-c.order) > 0.15 {
			t.Errorf("%v: observed order %.3f, want %v (errors %.3g, %.3g)", c.m, got, c.order, e1, e2)
		}
		if c.m == ImplicitMidpoint() && drift > 1e-12 {
			t.Errorf("implicit midpoint changed the quadratic H by %v", drift)
		}
	}
}

// TestMidpointPendulumEnergy checks the symplectic method's hallmark on a
// non-quadratic H: over 100 periods the implicit midpoint rule's energy
// error stays bounded (no drift), while with the same large step RK4's
// energy drifts away.
func TestMidpointPendulumEnergy(t *testing.T) {
	sys := Pendulum()
	x0 := []float64{2.5, 0}
	e0 := sys.Energy(x0)
	const T, steps = 400.0, 4000 // h = 0.1
	drift := func(m Method) (first, last float64) {
		out, err := Rollout(sys, x0, T, steps, m)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i <= steps; i++ {
			d := math.Abs(sys.Energy(out.X[i]) - e0)
			if i <= steps/10 {
				first = math.Max(first, d)
			} else if i >= steps*9/10 {
				last = math.Max(last, d)
			}
		}
		return first, last
	}
	f, l := drift(ImplicitMidpoint())
	if l > 1.5*f {
		t.Errorf("implicit midpoint energy error grew from %.3g (first tenth) to %.3g (last tenth)", f, l)
	}
	rf, rl := drift(RK4())
	if rl < 3*rf {
		t.Errorf("RK4 energy error from %.3g to %.3g: expected a drift at h = 0.1", rf, rl)
	}
	t.Logf("|ΔH| first/last tenth: midpoint %.3g/%.3g, RK4 %.3g/%.3g", f, l, rf, rl)
}

func TestBadInput(t *testing.T) {
	sys := MassSpring()
	if err := sys.Deriv([]float64{1, 2, 3}, make([]float64, 3)); !errors.Is(err, ErrInput) {
		t.Error("Deriv accepted 3 values for a 2-D system")
	}
	none := sys
	none.Dof = 0
	if _, err := Simulate(none, sys.Paper); !errors.Is(err, ErrInput) {
		t.Error("Simulate accepted Dof 0")
	}
	one := sys.Paper
	one.Points = 1
	if _, err := Simulate(sys, one); !errors.Is(err, ErrInput) {
		t.Error("Simulate accepted 1 point a trajectory")
	}
	// A zero DataConfig says what is missing instead of "0 trajectories".
	if _, err := Simulate(sys, DataConfig{}); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "Paper") {
		t.Errorf("zero DataConfig: %v", err)
	}
	for _, c := range []DataConfig{{Noise: -1}, {TestFraction: -0.1}, {TestFraction: 1}} {
		d := sys.Paper
		d.Noise, d.TestFraction = c.Noise, c.TestFraction
		if _, err := Simulate(sys, d); !errors.Is(err, ErrInput) {
			t.Errorf("Simulate accepted %+v", c)
		}
	}
	if _, err := Rollout(sys, []float64{1}, 1, 10, RK4()); !errors.Is(err, ErrInput) {
		t.Error("Rollout accepted a 1-value state in 2-D")
	}
	if _, err := Rollout(sys, []float64{math.NaN(), 0}, 1, 10, RK4()); !errors.Is(err, ErrNotFinite) {
		t.Error("Rollout accepted a NaN initial state")
	}
	if _, err := Rollout(sys, []float64{1, 0}, 1, 10, Method{}); !errors.Is(err, ErrInput) {
		t.Error("Rollout accepted the zero Method")
	}
	m, err := New(2, Config{Hidden: []int{4}})
	if err != nil {
		t.Fatal(err)
	}
	// A learned H is not separable: leapfrog would be silently wrong.
	if _, err := Rollout(m, []float64{1, 0}, 1, 10, Leapfrog()); !errors.Is(err, ErrInput) {
		t.Errorf("Rollout of a model with leapfrog: %v", err)
	}
}

// TestUserCallbacks: a user's System whose functions panic or return NaN
// gives errors matching ErrCallback that name the function, from
// Simulate, Deriv and Rollout; none panics.
func TestUserCallbacks(t *testing.T) {
	good := MassSpring()
	for _, c := range []struct {
		what string
		mod  func(s *System)
	}{
		{"System.Grad", func(s *System) { s.Grad = func(x, g []float64) { g[5] = 1 } }},
		{"System.Grad", func(s *System) { s.Grad = func(x, g []float64) { g[0], g[1] = math.NaN(), 0 } }},
		{"System.Initial", func(s *System) { s.Initial = func(r *rand.Rand, x []float64) { x[2] = 1 } }},
		{"System.Energy", func(s *System) { s.Energy = func(x []float64) float64 { panic("boom") } }},
	} {
		s := good
		s.Name = "mine"
		c.mod(&s)
		_, err := Simulate(s, paper(s, 1))
		if c.what == "System.Energy" {
			_, err = s.H([]float64{1, 0})
		}
		if !errors.Is(err, ErrCallback) || !strings.Contains(err.Error(), c.what) || !strings.HasPrefix(err.Error(), "hnn: ") {
			t.Errorf("%s: %v", c.what, err)
		}
		if c.what == "System.Grad" {
			tr, err := Rollout(s, []float64{1, 0}, 1, 10, RK4())
			if !errors.Is(err, ErrCallback) || len(tr.X) != 1 {
				t.Errorf("Rollout with a failing %s: %v", c.what, err)
			}
		}
	}
}
