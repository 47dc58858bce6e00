package hnn

import (
	"fmt"
	"math"

	"github.com/physbias/physbias/internal/rng"
)

// DataConfig says how Simulate samples a data set. A zero field means the
// system's paper value (System.Paper).
type DataConfig struct {
	// Trajectories is how many trajectories to simulate.
	Trajectories int
	// Points is how many evenly spaced states each trajectory records on
	// [0, T], both ends included.
	Points int
	// T is the length in time of a trajectory.
	T float64
	// Noise is the standard deviation of the Gaussian noise added to the
	// recorded states (never to the derivatives, as in the paper). A
	// negative value means no noise.
	Noise float64
	// TestFraction is the fraction of trajectories held out for test, in
	// (0, 1). A negative value means none.
	TestFraction float64
	// Seed makes the data set reproducible.
	Seed uint64
}

// withDefaults fills the zero fields of c from p.
func (c DataConfig) withDefaults(p DataConfig) DataConfig {
	if c.Trajectories == 0 {
		c.Trajectories = p.Trajectories
	}
	if c.Points == 0 {
		c.Points = p.Points
	}
	if c.T == 0 {
		c.T = p.T
	}
	if c.Noise == 0 {
		c.Noise = p.Noise
	}
	if c.TestFraction == 0 {
		c.TestFraction = p.TestFraction
	}
	if c.Noise < 0 {
		c.Noise = 0
	}
	if c.TestFraction < 0 {
		c.TestFraction = 0
	}
	return c
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
		return nil, fmt.Errorf("hnn: system %q has no Initial state sampler", sys.Name)
	}
	c := cfg.withDefaults(sys.Paper)
	switch {
	case c.Trajectories < 1:
		return nil, fmt.Errorf("hnn: %d trajectories; need at least 1", c.Trajectories)
	case c.Points < 2:
		return nil, fmt.Errorf("hnn: %d points a trajectory; need at least 2", c.Points)
	case !(c.T > 0) || math.IsInf(c.T, 0):
		return nil, fmt.Errorf("hnn: trajectory length T = %v; must be positive and finite", c.T)
	case math.IsNaN(c.Noise) || math.IsInf(c.Noise, 0):
		return nil, fmt.Errorf("hnn: noise %v is not a number", c.Noise)
	case !(c.TestFraction < 1):
		return nil, fmt.Errorf("hnn: test fraction %v; must be below 1", c.TestFraction)
	}
	nTest := int(math.Round(c.TestFraction * float64(c.Trajectories)))
	if c.TestFraction > 0 && nTest == 0 {
		nTest = 1
	}
	nTrain := c.Trajectories - nTest
	if nTrain < 1 {
		return nil, fmt.Errorf("hnn: %d trajectories leave none for training at test fraction %v", c.Trajectories, c.TestFraction)
	}
	d := sys.Dim
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
		sys.Initial(init, x)
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
					return nil, fmt.Errorf("hnn: %s trajectory %d left the finite numbers at t = %v", sys.Name, k, ds.Times[i])
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
		return fmt.Errorf("hnn: nil data set")
	}
	if d.Dim <= 0 || d.Dim%2 != 0 {
		return fmt.Errorf("hnn: data set has phase-space dimension %d; it must be even and positive (q and p)", d.Dim)
	}
	if len(d.X) == 0 || len(d.X)%d.Dim != 0 || len(d.DX) != len(d.X) {
		return fmt.Errorf("hnn: data set has %d state values and %d derivative values; need the same positive multiple of %d", len(d.X), len(d.DX), d.Dim)
	}
	if len(d.TestX)%d.Dim != 0 || len(d.TestDX) != len(d.TestX) {
		return fmt.Errorf("hnn: data set has %d test state values and %d test derivative values; need the same multiple of %d", len(d.TestX), len(d.TestDX), d.Dim)
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
			return fmt.Errorf("hnn: %s[%d] is %v", name, i, a)
		}
	}
	return nil
}
