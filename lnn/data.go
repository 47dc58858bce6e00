package lnn

import (
	"fmt"
	"math"

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
		return fmt.Errorf("lnn: nil data set")
	}
	if d.Dof <= 0 {
		return fmt.Errorf("lnn: data set has %d coordinates; must be positive", d.Dof)
	}
	if d.Dof > len(d.X)/2 || len(d.X)%(2*d.Dof) != 0 {
		return fmt.Errorf("lnn: data set has %d state values, not whole states of 2×%d values", len(d.X), d.Dof)
	}
	if len(d.QDD) != d.Len()*d.Dof {
		return fmt.Errorf("lnn: data set has %d states but %d acceleration values; want %d", d.Len(), len(d.QDD), d.Len()*d.Dof)
	}
	if len(d.Initial)%(2*d.Dof) != 0 {
		return fmt.Errorf("lnn: data set has %d initial-state values, not whole states of %d values", len(d.Initial), 2*d.Dof)
	}
	if err := finite("data set states", d.X); err != nil {
		return err
	}
	if err := finite("data set accelerations", d.QDD); err != nil {
		return err
	}
	return finite("data set initial states", d.Initial)
}

// DataConfig sets Simulate. The zero value means 100 training and 20 test
// trajectories of 5 s, each released from rest at angles drawn uniformly
// from [−π/3, π/3], sampled 50 times (every 0.1 s), seed 0.
type DataConfig struct {
	// Trajectories and TestTrajectories are the numbers of trajectories in
	// the training and the test set; 0 means 100 and 20.
	Trajectories, TestTrajectories int
	// T is the length of each trajectory in seconds; 0 means 5.
	T float64
	// Samples is the number of states taken from each trajectory, at times
	// k·T/Samples for k = 0 … Samples−1; 0 means 50.
	Samples int
	// Amplitude bounds the initial angles, drawn uniformly from
	// [−Amplitude, Amplitude]; 0 means π/3. Released from rest at angles
	// within π/3 the double pendulum has too little energy for either rod
	// to go over the top (E ≤ −1.5 g < −g for unit masses and lengths), so
	// the angles stay bounded.
	Amplitude float64
	// Seed draws the initial states; the test set uses its own stream.
	Seed uint64
}

func (c DataConfig) withDefaults() (DataConfig, error) {
	if c.Trajectories == 0 {
		c.Trajectories = 100
	}
	if c.TestTrajectories == 0 {
		c.TestTrajectories = 20
	}
	if c.T == 0 {
		c.T = 5
	}
	if c.Samples == 0 {
		c.Samples = 50
	}
	if c.Amplitude == 0 {
		c.Amplitude = math.Pi / 3
	}
	switch {
	case c.Trajectories < 0 || c.TestTrajectories < 0:
		return c, fmt.Errorf("lnn: DataConfig has %d training and %d test trajectories; must be positive (0 means the default)", c.Trajectories, c.TestTrajectories)
	case !(c.T > 0) || math.IsInf(c.T, 0):
		return c, fmt.Errorf("lnn: DataConfig.T is %v; must be positive and finite", c.T)
	case c.Samples < 0:
		return c, fmt.Errorf("lnn: DataConfig.Samples is %d; must be positive (0 means 50)", c.Samples)
	case !(c.Amplitude > 0) || math.IsInf(c.Amplitude, 0):
		return c, fmt.Errorf("lnn: DataConfig.Amplitude is %v; must be positive and finite", c.Amplitude)
	case c.T/simStep > maxSimSteps:
		return c, fmt.Errorf("lnn: DataConfig.T is %v s; trajectories longer than %g s (%g RK4 steps) are not supported", c.T, maxSimSteps*simStep, float64(maxSimSteps))
	case c.Samples > maxStates/max(c.Trajectories, c.TestTrajectories):
		return c, fmt.Errorf("lnn: DataConfig asks for %d×%d and %d×%d states; at most 2^28 a set", c.Trajectories, c.Samples, c.TestTrajectories, c.Samples)
	}
	return c, nil
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

// Simulate makes a training and a test set of (q, q̇, q̈) sampled along
// trajectories of p released from rest at random angles (see DataConfig).
// The trajectories are integrated with RK4 at steps of at most 1 ms; q̈ is
// p's exact acceleration at each sampled state.
func (p DoublePendulum) Simulate(cfg DataConfig) (train, test *Dataset, err error) {
	if p, err = p.withDefaults(); err != nil {
		return nil, nil, err
	}
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	train, err = p.simulate(c, c.Trajectories, rng.Stream(c.Seed, 0))
	if err != nil {
		return nil, nil, err
	}
	test, err = p.simulate(c, c.TestTrajectories, rng.Stream(c.Seed, 1))
	if err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

type uniformSource interface{ Float64() float64 }

func (p DoublePendulum) simulate(c DataConfig, trajs int, r uniformSource) (*Dataset, error) {
	d := &Dataset{Dof: 2}
	every := c.T / float64(c.Samples)
	sub := max(1, int(math.Ceil(every/simStep-1e-9)))
	f := func(_ float64, y, dydt []float64) {
		dydt[0], dydt[1] = y[2], y[3]
		p.accel(y, dydt[2:])
	}
	for k := 0; k < trajs; k++ {
		x0 := []float64{c.Amplitude * (2*r.Float64() - 1), c.Amplitude * (2*r.Float64() - 1), 0, 0}
		d.Initial = append(d.Initial, x0...)
		d.X = append(d.X, x0...)
		steps := 0
		_, _, err := ode.Solve(f, ode.RK4(), x0, 0, every*float64(c.Samples-1), every/float64(sub), func(_ float64, y []float64) {
			if steps++; steps%sub == 0 {
				d.X = append(d.X, y...)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("lnn: simulating trajectory %d: %v", k, err)
		}
	}
	d.QDD = make([]float64, d.Len()*2)
	if err := p.Accel(d.X, d.QDD); err != nil {
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
		return nil, fmt.Errorf("lnn: RandomStates: %d states; need between 1 and 2^28", n)
	}
	if !(amp > 0) || math.IsInf(amp, 0) || !(vel >= 0) || math.IsInf(vel, 0) {
		return nil, fmt.Errorf("lnn: RandomStates: amplitude %v and velocity bound %v; need amp > 0 and vel ≥ 0, finite", amp, vel)
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
