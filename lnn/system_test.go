package lnn

import (
	"math"
	"testing"
)

// TestDoublePendulumClosedForm checks Accel against the independent
// closed form of the double pendulum's accelerations written out in
// myPhysicsLab's "Double Pendulum" page (E. Neumann), with unequal masses
// and lengths.
func TestDoublePendulumClosedForm(t *testing.T) {
	for _, p := range []DoublePendulum{{}, {M1: 2, M2: 0.5, L1: 0.7, L2: 1.3, G: 3}} {
		q, err := p.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		x := randStates(11, 20, 2)
		got := make([]float64, 40)
		if err := p.Accel(x, got); err != nil {
			t.Fatal(err)
		}
		m1, m2, l1, l2, g := q.M1, q.M2, q.L1, q.L2, q.G
		for r := 0; r < 20; r++ {
			t1, t2, w1, w2 := x[4*r], x[4*r+1], x[4*r+2], x[4*r+3]
			den := 2*m1 + m2 - m2*math.Cos(2*t1-2*t2)
			a1 := (-g*(2*m1+m2)*math.Sin(t1) - m2*g*math.Sin(t1-2*t2) -
				2*math.Sin(t1-t2)*m2*(w2*w2*l2+w1*w1*l1*math.Cos(t1-t2))) / (l1 * den)
			a2 := 2 * math.Sin(t1-t2) * (w1*w1*l1*(m1+m2) + g*(m1+m2)*math.Cos(t1) + w2*w2*l2*m2*math.Cos(t1-t2)) / (l2 * den)
			// Two algebraically equal forms: rounding only.
			if math.Abs(got[2*r]-a1) > 1e-12*(1+math.Abs(a1)) || math.Abs(got[2*r+1]-a2) > 1e-12*(1+math.Abs(a2)) {
				t.Errorf("%+v state %d: q̈ = (%v, %v), closed form (%v, %v)", p, r, got[2*r], got[2*r+1], a1, a2)
			}
		}
	}
}

// TestSimulateConservesEnergy: the sampled states of every trajectory lie
// on the energy level of its initial state (the simulator's RK4 at 1 ms
// conserves energy to ~1e-10 over 5 s), start at rest, and the same seed
// gives the same data.
func TestSimulateConservesEnergy(t *testing.T) {
	p := DoublePendulum{}
	cfg := DataConfig{Trajectories: 5, TestTrajectories: 2, Seed: 3}
	tr, te := simulate(t, cfg)
	if tr.Len() != 5*50 || te.Len() != 2*50 || len(tr.Initial) != 5*4 {
		t.Fatalf("sizes: %d train, %d test states, %d initial values", tr.Len(), te.Len(), len(tr.Initial))
	}
	worst := 0.0
	for k := 0; k < 5; k++ {
		x0 := tr.Initial[4*k : 4*k+4]
		if x0[2] != 0 || x0[3] != 0 || math.Abs(x0[0]) > math.Pi/3 || math.Abs(x0[1]) > math.Pi/3 {
			t.Errorf("trajectory %d starts at %v: want rest within ±π/3", k, x0)
		}
		e0, _ := p.Energy(x0)
		for i := 0; i < 50; i++ {
			e, _ := p.Energy(tr.X[(k*50+i)*4 : (k*50+i+1)*4])
			worst = math.Max(worst, math.Abs(e-e0))
		}
	}
	if worst > 1e-8 {
		t.Errorf("energy varies by %.2g along simulated trajectories; want < 1e-8", worst)
	}
	tr2, _ := simulate(t, cfg)
	for i := range tr.X {
		if tr.X[i] != tr2.X[i] {
			t.Fatalf("same seed, different data at %d", i)
		}
	}
}
