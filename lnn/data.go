package lnn

import (
	"math"
	"math/rand/v2"

	"github.com/physbias/physbias/internal/ode"
	"github.com/physbias/physbias/internal/rng"
)

// Dataset is a set of states and their accelerations.
type Dataset struct {
	// Dof is n, the number of coordinates.
	Dof int
	// X holds the states, row after row: q₁…qₙ, q̇₁…q̇ₙ.
	X []float64
	// QDD holds q̈ at each state, row after row (n values a row).
	QDD []float64
	// Initial holds the initial state of each trajectory the samples were
	// taken from, row after row (2n values a row); empty for RandomStates.
	// Evaluate rolls out from these.
	Initial []float64
	// Test is the held-out set Simulate makes beside the training set
	// (nil when DataConfig.TestTrajectories is 0): pass it to Evaluate.
	// Train ignores it.
	Test *Dataset
}

// Len returns the number of states.
func (d *Dataset) Len() int {
	if d == nil || d.Dof <= 0 || d.Dof > len(d.X)/2 {
		return 0
	}
	return len(d.X) / (2 * d.Dof)
}

// check validates d's shapes and values.
func (d *Dataset) check() error {
	if d == nil {
		return errorf(ErrInput, "nil data set")
	}
	if d.Dof <= 0 {
		return errorf(ErrInput, "data set has %d coordinates; must be positive", d.Dof)
	}
	if d.Dof > len(d.X)/2 || len(d.X)%(2*d.Dof) != 0 {
		return errorf(ErrInput, "data set has %d state values, not whole states of 2×%d values", len(d.X), d.Dof)
	}
	if len(d.QDD) != d.Len()*d.Dof {
		return errorf(ErrInput, "data set has %d states but %d acceleration values; want %d", d.Len(), len(d.QDD), d.Len()*d.Dof)
	}
	if len(d.Initial)%(2*d.Dof) != 0 {
		return errorf(ErrInput, "data set has %d initial-state values, not whole states of %d values", len(d.Initial), 2*d.Dof)
	}
	if err := finite("data set states", d.X); err != nil {
		return err
	}
	if err := finite("data set accelerations", d.QDD); err != nil {
		return err
	}
	return finite("data set initial states", d.Initial)
}

// DataConfig says how Simulate samples a data set. Trajectories, T and
// Samples are required (a user's system has no natural size);
// TestTrajectories is none at zero. System.Paper holds the paper's values
// for the systems lnn ships: cfg := sys.Paper; cfg.Seed = 1.
type DataConfig struct {
	// Trajectories is the number of training trajectories (≥ 1).
	Trajectories int
	// TestTrajectories is the number of test trajectories, in
	// Dataset.Test; 0 means none.
	TestTrajectories int
	// T is the length of each trajectory in seconds (positive).
	T float64
	// Samples is the number of states taken from each trajectory, at times
	// k·T/Samples for k = 0 … Samples−1 (≥ 1).
	Samples int
	// Seed draws the initial states (the *rand.Rand given to
	// System.Initial); the test set uses its own stream.
	Seed uint64
}

func (c DataConfig) check() error {
	const hint = "set it, or start from the system's Paper config"
	switch {
	case c.Trajectories < 1:
		return errorf(ErrInput, "DataConfig.Trajectories is %d; need at least 1 (%s)", c.Trajectories, hint)
	case c.TestTrajectories < 0:
		return errorf(ErrInput, "DataConfig.TestTrajectories is %d; must be ≥ 0 (0 means none)", c.TestTrajectories)
	case !(c.T > 0) || math.IsInf(c.T, 0):
		return errorf(ErrInput, "DataConfig.T is %v; must be positive and finite (%s)", c.T, hint)
	case c.Samples < 1:
		return errorf(ErrInput, "DataConfig.Samples is %d; need at least 1 (%s)", c.Samples, hint)
	case c.T/simStep > maxSimSteps:
		return errorf(ErrInput, "DataConfig.T is %v s; trajectories longer than %g s (%g RK4 steps) are not supported", c.T, maxSimSteps*simStep, float64(maxSimSteps))
	case c.Samples > maxStates/max(c.Trajectories, c.TestTrajectories):
		return errorf(ErrInput, "DataConfig asks for %d×%d and %d×%d states; at most 2^28 a set", c.Trajectories, c.Samples, c.TestTrajectories, c.Samples)
	}
	return nil
}

// maxStates bounds the number of states of a generated data set (4 values
// each: 2^30 values, 8 GiB).
const maxStates = 1 << 28

// simStep is the RK4 step of the data simulator, in seconds (the sampling
// interval is divided into whole steps no longer than this). At 1e-3 s the
// RK4 error of the double pendulum is below 1e-10 over 5 s.
const simStep = 1e-3

// maxSimSteps bounds the RK4 steps of one simulated trajectory.
const maxSimSteps = 1e9

// Simulate makes a training set, and in its Test field a test set, of
// (q, q̇, q̈) sampled along trajectories of sys from initial states drawn by
// sys.Initial (see DataConfig). The trajectories are integrated with RK4 at
// steps of at most 1 ms; q̈ is sys's exact acceleration at each sampled
// state.
func Simulate(sys System, cfg DataConfig) (*Dataset, error) {
	if err := sys.check(); err != nil {
		return nil, err
	}
	if sys.Initial == nil {
		return nil, errorf(ErrInput, "system %q has no Initial state sampler", sys.Name)
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	train, err := simulateSet(sys, cfg, cfg.Trajectories, rng.Stream(cfg.Seed, 0))
	if err != nil {
		return nil, err
	}
	if cfg.TestTrajectories > 0 {
		if train.Test, err = simulateSet(sys, cfg, cfg.TestTrajectories, rng.Stream(cfg.Seed, 1)); err != nil {
			return nil, err
		}
	}
	return train, nil
}

func simulateSet(sys System, c DataConfig, trajs int, r *rand.Rand) (*Dataset, error) {
	n := sys.Dof
	d := &Dataset{Dof: n}
	every := c.T / float64(c.Samples)
	sub := max(1, int(math.Ceil(every/simStep-1e-9)))
	var ferr error
	f := func(_ float64, y, dydt []float64) {
		copy(dydt[:n], y[n:])
		if ferr != nil {
			fillNaN(dydt[n:])
			return
		}
		if ferr = sys.accel(y, dydt[n:]); ferr != nil {
			fillNaN(dydt[n:]) // makes ode.Solve stop at this step
		}
	}
	for k := 0; k < trajs; k++ {
		x0 := make([]float64, 2*n)
		if err := sys.initial(r, x0); err != nil {
			return nil, err
		}
		d.Initial = append(d.Initial, x0...)
		d.X = append(d.X, x0...)
		steps := 0
		_, _, err := ode.Solve(f, ode.RK4(), x0, 0, every*float64(c.Samples-1), every/float64(sub), func(_ float64, y []float64) {
			if steps++; steps%sub == 0 {
				d.X = append(d.X, y...)
			}
		})
		if ferr != nil {
			return nil, ferr
		}
		if err != nil {
			return nil, errorf(ErrNotFinite, "simulating %s trajectory %d: %w", sys.Name, k, err)
		}
	}
	d.QDD = make([]float64, d.Len()*n)
	if err := sys.Accel(d.X, d.QDD); err != nil {
		return nil, err
	}
	return d, nil
}

// RandomStates returns n states drawn uniformly with angles in
// [−amp, amp] and angular velocities in [−vel, vel], with p's exact q̈:
// the other sampling scheme of the paper (independent states rather than
// trajectories). The set has no Initial states. It returns an error
// unless 1 ≤ n ≤ 2^28.
func (p DoublePendulum) RandomStates(n int, amp, vel float64, seed uint64) (*Dataset, error) {
	p, err := p.withDefaults()
	if err != nil {
		return nil, err
	}
	if n < 1 || n > maxStates {
		return nil, errorf(ErrInput, "RandomStates: %d states; need between 1 and 2^28", n)
	}
	if !(amp > 0) || math.IsInf(amp, 0) || !(vel >= 0) || math.IsInf(vel, 0) {
		return nil, errorf(ErrInput, "RandomStates: amplitude %v and velocity bound %v; need amp > 0 and vel ≥ 0, finite", amp, vel)
	}
	r := rng.New(seed)
	d := &Dataset{Dof: 2, X: make([]float64, 4*n), QDD: make([]float64, 2*n)}
	for i := 0; i < n; i++ {
		s := d.X[4*i : 4*i+4]
		s[0], s[1] = amp*(2*r.Float64()-1), amp*(2*r.Float64()-1)
		s[2], s[3] = vel*(2*r.Float64()-1), vel*(2*r.Float64()-1)
	}
	if err := p.Accel(d.X, d.QDD); err != nil {
		return nil, err
	}
	return d, nil
}

func fillNaN(v []float64) {
	for i := range v {
		v[i] = math.NaN()
	}
}
