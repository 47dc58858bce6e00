package lnn

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestGraphMatchesPlainGo: the q̈ of the training graph (internal/ad
// derivatives, linalg solve, gorgonia ops) and of the plain-Go rollout path
// (ad.Dense's batched passes, solveSmall) are the same maths in a different order
// of operations, for every kind, at untrained weights.
func TestGraphMatchesPlainGo(t *testing.T) {
	for _, k := range []Kind{LNN, DeLaN, Baseline} {
		m, err := New(2, Config{Kind: k, Hidden: []int{16, 16}, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		x := randStates(7, 8, 2)
		want := make([]float64, 16)
		if err := m.Accel(x, want); err != nil {
			t.Fatal(err)
		}
		got := graphAccel(t, m, x)
		e := relErr(got, want)
		t.Logf("%v: graph vs plain-Go q̈ rel err %.2g", k, e)
		// Rounding differences amplified by the condition number of the
		// learned mass matrix (untrained: up to ~1e3).
		if e > 1e-9 {
			t.Errorf("%v: graph vs plain-Go q̈ rel err %.2g > 1e-9", k, e)
		}
	}
}

// TestCholeskyDerivatives: DeLaN's ∂C/∂q_k (the Cholesky network's
// Jacobian through the softplus of its diagonal, several points in one
// batched pass) against 4th-order central differences of C itself.
func TestCholeskyDerivatives(t *testing.T) {
	d, err := New(3, Config{Kind: DeLaN, Hidden: []int{16, 16}, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	q := []float64{0.3, -0.7, 1.1, -0.4, 0.2, 0.9}
	_, dc, err := d.cholesky(q, true)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for b := 0; b < 2; b++ {
		for f := 0; f < 9; f++ {
			fd := fdGrad4(func(y []float64) float64 {
				c, _, err := d.cholesky(y, false)
				if err != nil {
					t.Fatal(err)
				}
				return c[f]
			}, q[3*b:3*b+3], 1e-3)
			for k := 0; k < 3; k++ {
				worst = math.Max(worst, math.Abs(dc[b*3+k][f]-fd[k]))
			}
		}
	}
	t.Logf("∂C/∂q vs finite differences: max abs diff %.2g", worst)
	// 4th-order differences of an O(1) smooth function at h = 1e-3: ~1e-11
	// (measured 5.6e-13).
	if worst > 1e-9 {
		t.Errorf("∂C/∂q vs finite differences: max abs diff %.2g > 1e-9", worst)
	}
}

// TestLearnedEnergyConserved: whatever the weights, the flow of a
// Lagrangian model conserves its own energy E = q̇·∇q̇L − L (Model.Energy).
// Untrained LNN (with MassEps 10, so that its mass matrix stays regular)
// and DeLaN networks, rolled out for 0.5 s with RK4 at dt = 1e-3: the
// learned energy must stay constant to RK4's error, while the states move
// by O(1).
func TestLearnedEnergyConserved(t *testing.T) {
	for _, c := range []Config{{Kind: LNN, MassEps: 10}, {Kind: DeLaN}} {
		c.Hidden, c.Seed, c.TimeScale = []int{16, 16}, 3, 0.5
		m, err := New(2, c)
		if err != nil {
			t.Fatal(err)
		}
		x0 := []float64{0.4, -0.3, 0.5, 0.2}
		tr, err := Rollout(m, x0, 0.5, 500, RK4())
		if err != nil {
			t.Fatal(err)
		}
		e := make([]float64, len(tr.X))
		var drift, moved float64
		for i, x := range tr.X {
			if err := m.Energy(x, e[i:i+1]); err != nil {
				t.Fatal(err)
			}
			drift = math.Max(drift, math.Abs(e[i]-e[0]))
			moved = math.Max(moved, math.Abs(x[0]-x0[0])+math.Abs(x[1]-x0[1]))
		}
		t.Logf("%v: learned energy %.4g, drift %.2g over 0.5 s; angles moved by up to %.2g", c.Kind, e[0], drift, moved)
		// RK4's local error is O(dt⁵) per step with O(1) derivatives:
		// about 1e-13 over 500 steps (measured ≤ 8e-14); 1e-10 leaves room for stiffer
		// random networks. The energy must be a nontrivial function of
		// the state for the test to mean anything.
		if drift > 1e-10*(1+math.Abs(e[0])) || moved < 0.05 {
			t.Errorf("%v: learned energy drifts by %.2g (E = %.4g); angles moved by %.2g", c.Kind, drift, e[0], moved)
		}
	}
}

// TestEvaluateTrueSystem: the true system scores (almost) zero on every
// metric — RK4 at 0.01 s against RK4 at 0.001 s — which checks Evaluate's
// bookkeeping from outside the models.
func TestEvaluateTrueSystem(t *testing.T) {
	sys := pendulum(t)
	_, te := simulate(t, DataConfig{Trajectories: 1, TestTrajectories: 3, Seed: 4})
	met, err := Evaluate(sys, sys, te, EvalConfig{T: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", met)
	// RK4 at dt = 0.01 on a system with frequencies of a few rad/s: global
	// error ~1e-6 over 5 s, energy drift ~1e-7.
	if met.TestLoss != 0 || met.StateMSE > 1e-8 || met.MaxEnergyErr > 1e-5 || met.MedianEnergyErr > met.MaxEnergyErr ||
		met.Rollouts != 3 || met.Points != 501 || met.Diverged != 0 {
		t.Errorf("true system: %+v", met)
	}
	// The drift curve: zero at t = 0, its mean EnergyErr (the same sums in
	// another order: 1e-12 relative), nowhere above MaxEnergyErr.
	c := met.EnergyErrCurve
	if len(c) != met.Points || c[0] != 0 {
		t.Fatalf("drift curve of %d points starting at %v, want %d starting at 0", len(c), c[0], met.Points)
	}
	var mean, top float64
	for _, v := range c {
		mean += v / float64(len(c))
		top = math.Max(top, v)
	}
	if math.Abs(mean-met.EnergyErr) > 1e-12*met.EnergyErr || top > met.MaxEnergyErr || !(top > 0) {
		t.Errorf("drift curve: mean %v (EnergyErr %v), max %v (MaxEnergyErr %v)", mean, met.EnergyErr, top, met.MaxEnergyErr)
	}
}

// TestTrainDeterministic: the same seed gives bit-identical weights and
// losses, for every kind, under GOMAXPROCS 1 and 2 (the core's products
// may run on several goroutines); another seed gives other weights.
func TestTrainDeterministic(t *testing.T) {
	d, err := DoublePendulum{}.RandomStates(64, 1, 2, 6)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []Kind{LNN, DeLaN, Baseline} {
		run := func(seed uint64, procs int) (*Model, History) {
			old := runtime.GOMAXPROCS(procs)
			defer runtime.GOMAXPROCS(old)
			m, err := New(2, Config{Kind: k, Hidden: []int{8, 8}, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			tc := tcfg(20, seed)
			tc.BatchSize = 16
			h := fit(t, m, d, tc)
			return m, h
		}
		a, ha := run(1, 1)
		b, hb := run(1, 2)
		c, _ := run(2, 2)
		if len(ha.Loss) != 20 {
			t.Errorf("%v: %d losses, want 20", k, len(ha.Loss))
		}
		for i := range ha.Loss {
			if ha.Loss[i] != hb.Loss[i] {
				t.Fatalf("%v: step %d loss %v vs %v with the same seed", k, i, ha.Loss[i], hb.Loss[i])
			}
		}
		same := true
		for n := range a.theta {
			for i := range a.theta[n] {
				if a.theta[n][i] != b.theta[n][i] {
					t.Fatalf("%v: weights differ with the same seed", k)
				}
				same = same && a.theta[n][i] == c.theta[n][i]
			}
		}
		if same {
			t.Errorf("%v: seeds 1 and 2 give the same weights", k)
		}
	}
}

// antiSpring is q̈ = +q: its state stays finite over 10 s but its energy
// grows like e^{2t}.
type antiSpring struct{}

func (antiSpring) Dim() int { return 2 }
func (antiSpring) Accel(x, qdd []float64) error {
	for r := 0; r < len(qdd); r++ {
		qdd[r] = x[2*r]
	}
	return nil
}

// TestEvaluateCountsEnergyBlowUp: a rollout whose energy runs away while
// its state stays finite counts as diverged (EvalConfig.DivergeEnergy),
// instead of an energy error of 1e8 beside "0 diverged".
func TestEvaluateCountsEnergyBlowUp(t *testing.T) {
	spring := System{
		Name: "spring", Dof: 1,
		Acceleration: func(x, qdd []float64) { qdd[0] = -x[0] },
		Energy:       func(x []float64) float64 { return (x[0]*x[0] + x[1]*x[1]) / 2 },
		Initial:      func(r *rand.Rand, x []float64) { x[0], x[1] = 0.5+r.Float64(), 0 },
		Separable:    true,
	}
	data, err := Simulate(spring, DataConfig{Trajectories: 1, TestTrajectories: 3, T: 1, Samples: 4})
	if err != nil {
		t.Fatal(err)
	}
	met, err := Evaluate(antiSpring{}, spring, data.Test, EvalConfig{T: 10})
	if err != nil || met.Diverged != 3 || !math.IsInf(met.EnergyErr, 1) {
		t.Fatalf("%+v, %v", met, err)
	}
	// The true system itself: RK4 at 0.01 s, measured relative drift 1.4e-11.
	met, err = Evaluate(spring, spring, data.Test, EvalConfig{T: 10})
	if err != nil || met.Diverged != 0 || !(met.MaxEnergyErr < 1e-10) {
		t.Fatalf("%+v, %v", met, err)
	}
}
