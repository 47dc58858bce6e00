package lnn

import (
	"context"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
)

// TestBadInput: every user mistake gives an error starting with "lnn: "
// that matches the sentinel it should, never a panic.
func TestBadInput(t *testing.T) {
	m, err := New(2, Config{Hidden: []int{4}})
	if err != nil {
		t.Fatal(err)
	}
	sys := pendulum(t)
	p := DoublePendulum{}
	good, _ := simulate(t, DataConfig{Trajectories: 2, TestTrajectories: 1, Samples: 5, T: 0.5})
	nanData := *good
	nanData.X = append([]float64(nil), good.X...)
	nanData.X[3] = math.NaN()
	wrongDof := *good
	wrongDof.Dof = 1
	ctx := context.Background()
	tc := TrainConfig{Steps: 1}
	train := func(m *Model, d *Dataset, tc TrainConfig) error { _, err := m.Train(ctx, d, tc); return err }
	newErr := func(c Config) error { _, err := New(2, c); return err }
	rollout := func(d Dynamics, x0 []float64, t1 float64, steps int, meth Method) error {
		_, err := Rollout(d, x0, t1, steps, meth)
		return err
	}
	cases := []struct {
		name string
		err  error
		kind error
	}{
		{"zero coordinates", func() error { _, err := New(0, Config{}); return err }(), ErrInput},
		{"too many coordinates", func() error { _, err := New(100, Config{}); return err }(), ErrInput},
		{"empty hidden", newErr(Config{Hidden: []int{}}), ErrInput},
		{"negative width", newErr(Config{Hidden: []int{3, -1}}), ErrInput},
		{"bad kind", newErr(Config{Kind: 7}), ErrInput},
		{"Inf MassEps", newErr(Config{MassEps: math.Inf(1)}), ErrInput},
		{"negative MassEps", newErr(Config{MassEps: -1}), ErrInput},
		{"MassEps and NoMassEps", newErr(Config{MassEps: 1, NoMassEps: true}), ErrInput},
		{"MassEps for the baseline", newErr(Config{Kind: Baseline, MassEps: 1}), ErrInput},
		{"NoMassEps for the baseline", newErr(Config{Kind: Baseline, NoMassEps: true}), ErrInput},
		{"negative TimeScale", newErr(Config{TimeScale: -1}), ErrInput},
		{"negative steps", train(m, good, TrainConfig{Steps: -1}), ErrInput},
		{"NaN LR", train(m, good, TrainConfig{LR: math.NaN()}), ErrInput},
		{"negative FinalLR", train(m, good, TrainConfig{FinalLR: -1}), ErrInput},
		{"negative clip", train(m, good, TrainConfig{ClipNorm: -1}), ErrInput},
		{"negative weight decay", train(m, good, TrainConfig{WeightDecay: -1}), ErrInput},
		{"negative batch", train(m, good, TrainConfig{BatchSize: -3}), ErrInput},
		{"negative time limit", train(m, good, TrainConfig{TimeLimit: -1}), ErrInput},
		{"nil context", func() error {
			var nilCtx context.Context
			_, err := m.Train(nilCtx, good, tc)
			return err
		}(), ErrInput},
		{"short state", m.Accel(make([]float64, 3), make([]float64, 2)), ErrInput},
		{"wrong q̈ room", m.Accel(make([]float64, 4), make([]float64, 3)), ErrInput},
		{"NaN state", m.Accel([]float64{0, math.NaN(), 0, 0}, make([]float64, 2)), ErrNotFinite},
		{"Inf state energy", m.Energy([]float64{0, math.Inf(1), 0, 0}, make([]float64, 1)), ErrNotFinite},
		{"NaN data", train(m, &nanData, tc), ErrNotFinite},
		{"wrong dof data", train(m, &wrongDof, tc), ErrInput},
		{"nil data", train(m, nil, tc), ErrInput},
		{"batch larger than data", train(m, good, TrainConfig{Steps: 1, BatchSize: 1000}), ErrInput},
		{"rollout NaN start", rollout(m, []float64{math.NaN(), 0, 0, 0}, 0.01, 3, RK4()), ErrNotFinite},
		{"rollout wrong dim", rollout(m, []float64{0, 0, 0}, 0.01, 3, RK4()), ErrInput},
		{"rollout zero t1", rollout(m, []float64{0, 0, 0, 0}, 0, 3, RK4()), ErrInput},
		{"rollout no steps", rollout(m, []float64{0, 0, 0, 0}, 0.1, 0, RK4()), ErrInput},
		{"rollout nil", rollout(nil, []float64{0, 0, 0, 0}, 0.1, 1, RK4()), ErrInput},
		{"rollout zero method", rollout(m, []float64{0, 0, 0, 0}, 0.1, 1, Method{}), ErrInput},
		{"rollout leapfrog of a model", rollout(m, []float64{0, 0, 0, 0}, 0.1, 1, Leapfrog()), ErrInput},
		{"rollout leapfrog of the pendulum", rollout(sys, []float64{0, 0, 0, 0}, 0.1, 1, Leapfrog()), ErrInput},
		{"negative mass", func() error { _, err := DoublePendulum{M1: -1}.Energy([]float64{0, 0, 0, 0}); return err }(), ErrInput},
		{"overflowing masses", func() error { _, err := DoublePendulum{M1: 1e308, M2: 1e308}.Energy([]float64{0, 0, 1, 1}); return err }(), ErrInput},
		{"underflowing masses", DoublePendulum{M1: 1e-308, M2: 1e-308, L1: 1e-200}.Accel([]float64{0, 1, 1, 1}, make([]float64, 2)), ErrInput},
		{"pendulum NaN state", DoublePendulum{}.Accel([]float64{0, 0, math.NaN(), 0}, make([]float64, 2)), ErrNotFinite},
		{"bad amplitude", func() error { _, err := DoublePendulum{Amplitude: -1}.System(); return err }(), ErrInput},
		{"zero DataConfig", func() error { _, err := Simulate(sys, DataConfig{}); return err }(), ErrInput},
		{"negative test trajectories", func() error {
			c := sys.Paper
			c.TestTrajectories = -1
			_, err := Simulate(sys, c)
			return err
		}(), ErrInput},
		{"random states none", func() error { _, err := p.RandomStates(0, 1, 1, 0); return err }(), ErrInput},
		{"evaluate no initial states", func() error {
			rs, _ := p.RandomStates(4, 1, 1, 0)
			_, err := Evaluate(m, sys, rs, EvalConfig{})
			return err
		}(), ErrInput},
		{"evaluate system without energy", func() error {
			s := sys
			s.Energy = nil
			_, err := Evaluate(m, s, good, EvalConfig{})
			return err
		}(), ErrInput},
		{"baseline energy", func() error {
			b, _ := New(2, Config{Kind: Baseline, Hidden: []int{4}})
			return b.Energy(make([]float64, 4), make([]float64, 1))
		}(), ErrInput},
		// Zero values, and sizes that overflow or would exhaust memory
		// (these panicked or crashed before).
		{"zero Model Accel", new(Model).Accel(make([]float64, 4), make([]float64, 2)), ErrZeroValue},
		{"zero Model Energy", new(Model).Energy(make([]float64, 4), make([]float64, 1)), ErrZeroValue},
		{"zero Model Train", train(new(Model), good, tc), ErrZeroValue},
		{"zero Model Loss", func() error { _, err := new(Model).Loss(good); return err }(), ErrZeroValue},
		{"zero Model Save", new(Model).Save(io.Discard), ErrZeroValue},
		{"zero Model Evaluate", func() error { _, err := Evaluate(new(Model), sys, good, EvalConfig{}); return err }(), ErrZeroValue},
		{"nil *Model rollout", rollout((*Model)(nil), []float64{0, 0, 0, 0}, 0.1, 1, RK4()), ErrZeroValue},
		{"rollout of 2^40 steps", rollout(m, []float64{0, 0, 0, 0}, 0.1, 1<<40, RK4()), ErrInput},
		{"evaluate T/DT overflows", func() error {
			_, test := simulate(t, DataConfig{Trajectories: 1, TestTrajectories: 1, Samples: 3})
			_, err := Evaluate(m, sys, test, EvalConfig{T: 1e300, DT: 1e-300})
			return err
		}(), ErrInput},
		{"data set Dof overflows", (&Dataset{Dof: math.MaxInt/2 + 1, X: []float64{1}, QDD: []float64{1}}).check(), ErrInput},
		{"random states 2^62", func() error { _, err := p.RandomStates(math.MaxInt/2, 1, 1, 0); return err }(), ErrInput},
		{"simulate T = 1e300", func() error {
			_, err := Simulate(sys, DataConfig{Trajectories: 1, T: 1e300, Samples: 1})
			return err
		}(), ErrInput},
		{"hidden width 2^40", newErr(Config{Hidden: []int{1 << 40}}), ErrInput},
		{"hidden 2^20×2^20", newErr(Config{Hidden: []int{1 << 20, 1 << 20}}), ErrInput},
		{"TimeScale 1e300", newErr(Config{TimeScale: 1e300}), ErrInput},
		{"data with overflowing time scale", func() error {
			huge := &Dataset{Dof: 2, X: []float64{1e200, 0, 0, 0}, QDD: []float64{1, 1}}
			mh, _ := New(2, Config{Hidden: []int{4}})
			return train(mh, huge, tc)
		}(), ErrInput},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.HasPrefix(c.err.Error(), "lnn: ") || strings.Count(c.err.Error(), "lnn:") != 1 {
			t.Errorf("%s: error %q does not start with one \"lnn: \"", c.name, c.err)
		}
		if !errors.Is(c.err, c.kind) {
			t.Errorf("%s: error %q does not match %v", c.name, c.err, c.kind)
		}
	}
}

// singularLNN returns an LNN whose Lagrangian does not depend on q̇ (the
// first-layer weights of the q̇ inputs are zero) and has no MassEps: its
// mass matrix ∇q̇∇q̇ᵀL is exactly zero everywhere.
func singularLNN(t *testing.T) *Model {
	t.Helper()
	m, err := New(2, Config{Hidden: []int{8}, NoMassEps: true, TimeScale: 1})
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
	if err := m.Accel(x0, make([]float64, 2)); !errors.As(err, &se) || !errors.Is(err, ErrSingular) {
		t.Fatalf("Accel: got %v, want a *SingularError", err)
	}
	for _, meth := range []Method{RK4(), DormandPrince(1e-6, 1e-9), ImplicitMidpoint()} {
		traj, err := Rollout(m, x0, 0.1, 10, meth)
		if !errors.As(err, &se) || !errors.Is(err, ErrSingular) {
			t.Fatalf("Rollout (%v): got %v, want a *SingularError", meth, err)
		}
		if len(traj.X) != 1 || finite("trajectory", traj.X[0]) != nil {
			t.Errorf("Rollout (%v): returned %v, want only the (finite) initial state", meth, traj.X)
		}
		if !strings.HasPrefix(err.Error(), "lnn: ") || strings.Count(err.Error(), "lnn:") != 1 || len(se.State) != 4 {
			t.Errorf("Rollout (%v) error %q: want one lnn prefix and the state", meth, err)
		}
	}
	d, err := DoublePendulum{}.RandomStates(8, 1, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Train(context.Background(), d, TrainConfig{Steps: 3})
	if !errors.Is(err, ErrSingular) || !strings.HasPrefix(err.Error(), "lnn: ") {
		t.Errorf("Train with a singular mass matrix: got %v, want an lnn error matching ErrSingular", err)
	}
}

// blowUp is a toy dynamics q̈ = 10 q³ whose solution leaves every bound in
// finite time.
type blowUp struct{}

func (blowUp) Dim() int { return 2 }
func (blowUp) Accel(x, qdd []float64) error {
	qdd[0] = 10 * x[0] * x[0] * x[0]
	return nil
}

// TestRolloutDiverges: a diverging rollout stops with a *DivergedError and
// returns only finite states.
func TestRolloutDiverges(t *testing.T) {
	traj, err := Rollout(blowUp{}, []float64{1, 1}, 100, 10000, RK4())
	var de *DivergedError
	if !errors.As(err, &de) || !errors.Is(err, ErrDiverged) || !errors.Is(err, ErrNotFinite) {
		t.Fatalf("got %v, want a *DivergedError", err)
	}
	for _, x := range traj.X {
		if ferr := finite("trajectory", x); ferr != nil {
			t.Fatal(ferr)
		}
	}
	if n := len(traj.X); n < 2 || n >= 10001 {
		t.Errorf("trajectory of %d states: want the finite states before the blow-up", n)
	}
	if want := float64(len(traj.X)) * 0.01; math.Abs(de.T-want) > 1e-12 {
		t.Errorf("DivergedError.T = %v, want %v", de.T, want)
	}
	if strings.Count(err.Error(), "lnn:") != 1 {
		t.Errorf("message %q stacks prefixes", err)
	}
}
