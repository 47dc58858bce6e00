package hnn

import (
	"math"
	"math/rand/v2"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/ode"
	"github.com/physbias/physbias/internal/rng"
)

// DataConfig says how Simulate samples a data set. Trajectories, Points
// and T are required (a user's system has no natural size); Noise and
// TestFraction are none at zero. System.Paper holds the paper's values for
// the systems hnn ships: cfg := sys.Paper; cfg.Seed = 1.
type DataConfig struct {
	// Trajectories is how many trajectories to simulate (≥ 1).
	Trajectories int
	// Points is how many evenly spaced states each trajectory records on
	// [0, T], both ends included (≥ 2).
	Points int
	// T is the length in time of a trajectory (positive).
	T float64
	// Noise is the standard deviation of the Gaussian noise added to the
	// recorded states (never to the derivatives, as in the paper); 0 means
	// none.
	Noise float64
	// TestFraction is the fraction of trajectories held out for test, in
	// [0, 1); 0 means none. A positive fraction holds out at least one.
	TestFraction float64
	// Seed makes the data set reproducible: it seeds the initial states
	// (the *rand.Rand given to System.Initial) and the noise.
	Seed uint64
}

// check validates c for Simulate.
func (c DataConfig) check() error {
	const hint = "set it, or start from the system's Paper config"
	switch {
	case c.Trajectories < 1 || c.Trajectories > 1<<24:
		return errorf(ErrInput, "DataConfig.Trajectories is %d; need 1 to 2^24 (%s)", c.Trajectories, hint)
	case c.Points < 2 || c.Points > 1<<24:
		return errorf(ErrInput, "DataConfig.Points is %d; need 2 to 2^24 points a trajectory (%s)", c.Points, hint)
	case !(c.T > 0) || math.IsInf(c.T, 0):
		return errorf(ErrInput, "DataConfig.T is %v; the trajectory length must be positive and finite (%s)", c.T, hint)
	case !(c.Noise >= 0) || math.IsInf(c.Noise, 0):
		return errorf(ErrInput, "DataConfig.Noise is %v; must be ≥ 0 and finite (0 means none)", c.Noise)
	case !(c.TestFraction >= 0 && c.TestFraction < 1):
		return errorf(ErrInput, "DataConfig.TestFraction is %v; must be in [0, 1) (0 means none)", c.TestFraction)
	}
	return nil
}

// Dataset holds (state, time derivative) pairs, each row-major with Dim
// values a row: X[i*Dim : (i+1)*Dim] is a state and DX the same rows of
// dx/dt. The states carry the noise; the derivatives are exact, taken on
// the clean trajectory (the paper's set-up).
type Dataset struct {
	// Dim is the phase-space dimension.
	Dim int
	// X and DX are the training pairs.
	X, DX []float64
	// TestX and TestDX are the held-out pairs.
	TestX, TestDX []float64
	// TestStart holds the clean initial state of each test trajectory, row
	// after row: where Evaluate starts its rollouts.
	TestStart []float64
	// Times are the times of the points of one trajectory.
	Times []float64
}

// Simulate integrates sys from random initial states and returns a data
// set split by trajectory into training and test parts. The integrator is
// classical RK4 with at least 50 steps between recorded points (a step of
// at most 0.002 time units), whose local error (≈1e-13 here) is far below
// the noise.
func Simulate(sys System, cfg DataConfig) (*Dataset, error) {
	if err := sys.check(); err != nil {
		return nil, err
	}
	if sys.Initial == nil {
		return nil, errorf(ErrInput, "system %q has no Initial state sampler", sys.Name)
	}
	c := cfg
	if err := c.check(); err != nil {
		return nil, err
	}
	if uint64(c.Trajectories)*uint64(c.Points)*uint64(sys.Dim()) > 1<<28 {
		return nil, errorf(ErrInput, "%d trajectories of %d points of %d values are more than 2^28 values", c.Trajectories, c.Points, sys.Dim())
	}
	nTest := int(math.Round(c.TestFraction * float64(c.Trajectories)))
	if c.TestFraction > 0 && nTest == 0 {
		nTest = 1
	}
	nTrain := c.Trajectories - nTest
	if nTrain < 1 {
		return nil, errorf(ErrInput, "%d trajectories leave none for training at test fraction %v", c.Trajectories, c.TestFraction)
	}
	d := sys.Dim()
	ds := &Dataset{Dim: d, Times: make([]float64, c.Points)}
	for i := range ds.Times {
		ds.Times[i] = c.T * float64(i) / float64(c.Points-1)
	}
	gap := c.T / float64(c.Points-1)
	sub := int(math.Max(50, math.Ceil(gap/0.002)))

	init := rng.Stream(c.Seed, 0)
	noise := rng.Stream(c.Seed, 1)
	x := make([]float64, d)
	dx := make([]float64, d)
	for k := 0; k < c.Trajectories; k++ {
		if err := sys.initial(init, x); err != nil {
			return nil, err
		}
		test := k >= nTrain
		if test {
			ds.TestStart = append(ds.TestStart, x...)
		}
		for i := 0; i < c.Points; i++ {
			if i > 0 {
				if err := integrate(sys, x, gap, sub); err != nil {
					return nil, err
				}
			}
			for _, v := range x {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, errorf(ErrNotFinite, "%s trajectory %d left the finite numbers at t = %v", sys.Name, k, ds.Times[i])
				}
			}
			if err := sys.Deriv(x, dx); err != nil {
				return nil, err
			}
			row := make([]float64, d)
			for j := range x {
				row[j] = x[j] + c.Noise*noise.NormFloat64()
			}
			if test {
				ds.TestX = append(ds.TestX, row...)
				ds.TestDX = append(ds.TestDX, dx...)
			} else {
				ds.X = append(ds.X, row...)
				ds.DX = append(ds.DX, dx...)
			}
		}
	}
	return ds, nil
}

// Len returns the number of training pairs.
func (d *Dataset) Len() int {
	if d == nil || d.Dim == 0 {
		return 0
	}
	return len(d.X) / d.Dim
}

// check reports whether d is a consistent data set with finite values.
func (d *Dataset) check() error {
	if d == nil {
		return errorf(ErrInput, "nil data set")
	}
	if d.Dim <= 0 || d.Dim%2 != 0 {
		return errorf(ErrInput, "data set has phase-space dimension %d; it must be even and positive (q and p)", d.Dim)
	}
	if len(d.X) == 0 || len(d.X)%d.Dim != 0 || len(d.DX) != len(d.X) {
		return errorf(ErrInput, "data set has %d state values and %d derivative values; need the same positive multiple of %d", len(d.X), len(d.DX), d.Dim)
	}
	if len(d.TestX)%d.Dim != 0 || len(d.TestDX) != len(d.TestX) {
		return errorf(ErrInput, "data set has %d test state values and %d test derivative values; need the same multiple of %d", len(d.TestX), len(d.TestDX), d.Dim)
	}
	for name, v := range map[string][]float64{"X": d.X, "DX": d.DX, "TestX": d.TestX, "TestDX": d.TestDX} {
		if err := finite(name, v); err != nil {
			return err
		}
	}
	return nil
}

// finite returns an error naming the first NaN or Inf in v.
func finite(name string, v []float64) error {
	for i, a := range v {
		if math.IsNaN(a) || math.IsInf(a, 0) {
			return errorf(ErrNotFinite, "%s[%d] is %v", name, i, a)
		}
	}
	return nil
}

// initial calls the user's Initial, recovering a panic, and checks the
// state it drew.
func (s System) initial(r *rand.Rand, x []float64) (err error) {
	defer fail.Recover(&err, "hnn", "System.Initial of "+s.Name)
	s.Initial(r, x)
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errorf(ErrCallback, "System.Initial of %s drew %v in component %d", s.Name, v, i)
		}
	}
	return nil
}

// integrate advances the true system's single state x by t in n RK4
// steps of exactly t/n (internal/ode's RK4), to make data.
func integrate(sys System, x []float64, t float64, n int) error {
	m := ode.RK4()
	h := t / float64(n)
	var ferr error
	rhs := func(_ float64, y, dydt []float64) {
		if ferr == nil {
			ferr = sys.Deriv(y, dydt)
		}
	}
	for i := 0; i < n; i++ {
		if err := m.Step(rhs, 0, x, h); err != nil {
			return errorf(ErrInput, "%w", err)
		}
		if ferr != nil {
			return ferr
		}
	}
	return nil
}
