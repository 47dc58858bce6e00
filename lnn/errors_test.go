package lnn

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// TestBadInput: every user mistake gives an error starting with "lnn: ",
// never a panic.
func TestBadInput(t *testing.T) {
	m, err := New(2, Config{Hidden: []int{4}})
	if err != nil {
		t.Fatal(err)
	}
	sys := DoublePendulum{}
	good, _, err := sys.Simulate(DataConfig{Trajectories: 2, TestTrajectories: 1, Samples: 5, T: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	nanData := *good
	nanData.X = append([]float64(nil), good.X...)
	nanData.X[3] = math.NaN()
	wrongDof := *good
	wrongDof.Dof = 1
	cases := []struct {
		name string
		err  error
	}{
		{"zero coordinates", func() error { _, err := New(0, Config{}); return err }()},
		{"too many coordinates", func() error { _, err := New(100, Config{}); return err }()},
		{"empty hidden", func() error { _, err := New(2, Config{Hidden: []int{}}); return err }()},
		{"negative width", func() error { _, err := New(2, Config{Hidden: []int{3, -1}}); return err }()},
		{"bad kind", func() error { _, err := New(2, Config{Kind: 7}); return err }()},
		{"negative steps", func() error { _, err := New(2, Config{Steps: -1}); return err }()},
		{"NaN LR", func() error { _, err := New(2, Config{LR: math.NaN()}); return err }()},
		{"negative batch", func() error { _, err := New(2, Config{BatchSize: -3}); return err }()},
		{"Inf MassEps", func() error { _, err := New(2, Config{MassEps: math.Inf(1)}); return err }()},
		{"negative TimeScale", func() error { _, err := New(2, Config{TimeScale: -1}); return err }()},
		{"short state", m.Accel(make([]float64, 3), make([]float64, 2))},
		{"wrong q̈ room", m.Accel(make([]float64, 4), make([]float64, 3))},
		{"NaN state", m.Accel([]float64{0, math.NaN(), 0, 0}, make([]float64, 2))},
		{"Inf state energy", m.Energy([]float64{0, math.Inf(1), 0, 0}, make([]float64, 1))},
		{"NaN data", func() error { _, err := m.Train(&nanData); return err }()},
		{"wrong dof data", func() error { _, err := m.Train(&wrongDof); return err }()},
		{"nil data", func() error { _, err := m.Train(nil); return err }()},
		{"batch larger than data", func() error {
			mb, _ := New(2, Config{Hidden: []int{4}, BatchSize: 1000})
			_, err := mb.Train(good)
			return err
		}()},
		{"rollout NaN start", func() error { _, err := Rollout(m, []float64{math.NaN(), 0, 0, 0}, 0.01, 3); return err }()},
		{"rollout wrong dim", func() error { _, err := Rollout(m, []float64{0, 0, 0}, 0.01, 3); return err }()},
		{"rollout zero dt", func() error { _, err := Rollout(m, []float64{0, 0, 0, 0}, 0, 3); return err }()},
		{"rollout no steps", func() error { _, err := Rollout(m, []float64{0, 0, 0, 0}, 0.1, 0); return err }()},
		{"rollout nil", func() error { _, err := Rollout(nil, []float64{0, 0, 0, 0}, 0.1, 1); return err }()},
		{"negative mass", func() error { _, err := DoublePendulum{M1: -1}.Energy([]float64{0, 0, 0, 0}); return err }()},
		{"overflowing masses", func() error { _, err := DoublePendulum{M1: 1e308, M2: 1e308}.Energy([]float64{0, 0, 1, 1}); return err }()},
		{"underflowing masses", DoublePendulum{M1: 1e-308, M2: 1e-308, L1: 1e-200}.Accel([]float64{0, 1, 1, 1}, make([]float64, 2))},
		{"pendulum NaN state", DoublePendulum{}.Accel([]float64{0, 0, math.NaN(), 0}, make([]float64, 2))},
		{"data bad amplitude", func() error { _, _, err := sys.Simulate(DataConfig{Amplitude: -1}); return err }()},
		{"random states none", func() error { _, err := sys.RandomStates(0, 1, 1, 0); return err }()},
		{"evaluate no initial states", func() error {
			rs, _ := sys.RandomStates(4, 1, 1, 0)
			_, err := Evaluate(m, sys, rs, EvalConfig{})
			return err
		}()},
		{"baseline energy", func() error {
			b, _ := New(2, Config{Kind: Baseline, Hidden: []int{4}})
			return b.Energy(make([]float64, 4), make([]float64, 1))
		}()},
		// Zero values, and sizes that overflow or would exhaust memory
		// (these panicked or crashed before).
		{"zero Model Accel", new(Model).Accel(make([]float64, 4), make([]float64, 2))},
		{"zero Model Energy", new(Model).Energy(make([]float64, 4), make([]float64, 1))},
		{"zero Model Train", func() error { _, err := new(Model).Train(good); return err }()},
		{"zero Model Loss", func() error { _, err := new(Model).Loss(good); return err }()},
		{"nil *Model rollout", func() error { _, err := Rollout((*Model)(nil), []float64{0, 0, 0, 0}, 0.1, 1); return err }()},
		{"rollout of 2^40 steps", func() error { _, err := Rollout(m, []float64{0, 0, 0, 0}, 0.1, 1<<40); return err }()},
		{"evaluate T/DT overflows", func() error {
			_, test, _ := sys.Simulate(DataConfig{Trajectories: 1, TestTrajectories: 1, Samples: 3})
			_, err := Evaluate(m, sys, test, EvalConfig{T: 1e300, DT: 1e-300})
			return err
		}()},
		{"data set Dof overflows", (&Dataset{Dof: math.MaxInt/2 + 1, X: []float64{1}, QDD: []float64{1}}).check()},
		{"random states 2^62", func() error { _, err := sys.RandomStates(math.MaxInt/2, 1, 1, 0); return err }()},
		{"simulate T = 1e300", func() error { _, _, err := sys.Simulate(DataConfig{T: 1e300, Samples: 1}); return err }()},
		{"hidden width 2^40", func() error { _, err := New(2, Config{Hidden: []int{1 << 40}}); return err }()},
		{"hidden 2^20×2^20", func() error { _, err := New(2, Config{Hidden: []int{1 << 20, 1 << 20}}); return err }()},
		{"TimeScale 1e300", func() error { _, err := New(2, Config{TimeScale: 1e300}); return err }()},
		{"data with overflowing time scale", func() error {
			huge := &Dataset{Dof: 2, X: []float64{1e200, 0, 0, 0}, QDD: []float64{1, 1}}
			mh, _ := New(2, Config{Hidden: []int{4}, Steps: 1})
			_, err := mh.Train(huge)
			return err
		}()},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.HasPrefix(c.err.Error(), "lnn: ") {
			t.Errorf("%s: error %q does not start with \"lnn: \"", c.name, c.err)
		}
	}
}

// singularLNN returns an LNN whose Lagrangian does not depend on q̇ (the
// first-layer weights of the q̇ inputs are zero) and has no MassEps: its
// mass matrix ∇q̇∇q̇ᵀL is exactly zero everywhere.
func singularLNN(t *testing.T) *Model {
	t.Helper()
	m, err := New(2, Config{Hidden: []int{8}, MassEps: -1, TimeScale: 1})
	if err != nil {
		t.Fatal(err)
	}
	theta := [][]float64{append([]float64(nil), m.theta[0]...)}
	for i := 2 * 8; i < 4*8; i++ { // rows 2 and 3 of W0 (4×8)
		theta[0][i] = 0
	}
	if err := m.setTheta(theta); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSingularMassMatrix: a learned Lagrangian with a singular mass matrix
// makes Accel and Rollout fail with a *SingularError, and Train stop with
// an error, instead of producing Inf or NaN.
func TestSingularMassMatrix(t *testing.T) {
	m := singularLNN(t)
	x0 := []float64{0.3, -0.2, 0.1, 0.4}
	var se *SingularError
	if err := m.Accel(x0, make([]float64, 2)); !errors.As(err, &se) {
		t.Fatalf("Accel: got %v, want a *SingularError", err)
	}
	traj, err := Rollout(m, x0, 0.01, 10)
	if !errors.As(err, &se) {
		t.Fatalf("Rollout: got %v, want a *SingularError", err)
	}
	if len(traj) != 4 || finite("trajectory", traj) != nil {
		t.Errorf("Rollout: returned %v, want only the (finite) initial state", traj)
	}
	if !strings.HasPrefix(err.Error(), "lnn: ") || len(se.State) != 4 {
		t.Errorf("Rollout error %q: want an lnn error carrying the state", err)
	}
	d, err := DoublePendulum{}.RandomStates(8, 1, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(d); err == nil || !strings.HasPrefix(err.Error(), "lnn: ") {
		t.Errorf("Train with a singular mass matrix: got %v, want an lnn error", err)
	}
}

// blowUp is a toy dynamics q̈ = 10 q³ whose solution leaves every bound in
// finite time.
type blowUp struct{}

func (blowUp) Dof() int { return 1 }
func (blowUp) Accel(x, qdd []float64) error {
	qdd[0] = 10 * x[0] * x[0] * x[0]
	return nil
}

// TestRolloutDiverges: a diverging rollout stops with a *DivergedError and
// returns only finite states.
func TestRolloutDiverges(t *testing.T) {
	traj, err := Rollout(blowUp{}, []float64{1, 1}, 0.01, 10000)
	var de *DivergedError
	if !errors.As(err, &de) {
		t.Fatalf("got %v, want a *DivergedError", err)
	}
	if ferr := finite("trajectory", traj); ferr != nil || len(traj) < 2 || len(traj) >= 2*10001 {
		t.Errorf("trajectory of %d values (%v): want the finite states before the blow-up", len(traj), ferr)
	}
	if want := float64(len(traj)/2) * 0.01; math.Abs(de.T-want) > 1e-12 {
		t.Errorf("DivergedError.T = %v, want %v", de.T, want)
	}
}
