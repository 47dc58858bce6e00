package energy

import (
	"math"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/rng"
)

// Energy is a user's energy function on ℝ^Dim, as a struct of functions:
// the density it defines is p(x) ∝ exp(−E(x)/T).
type Energy struct {
	// Dim is the length of x; required (≥ 1).
	Dim int
	// E returns the energy at x. It is needed by Metropolis-adjusted
	// Langevin (LangevinConfig.Metropolis) and may be nil otherwise.
	E func(x []float64) float64
	// Grad sets g = ∇ₓE(x) (len(g) = Dim); required.
	Grad func(x, g []float64)
}

// LangevinConfig sets Langevin sampling. Its zero value means the defaults
// in each field's comment.
type LangevinConfig struct {
	// Steps is the number of Langevin steps; 0 means 100, negative is an
	// error.
	Steps int
	// StepSize is ε in x ← x − ε∇E(x) + √(2εT)·ξ, ξ ~ N(0, I); 0 means
	// 0.01. Unadjusted Langevin samples exp(−E/T) only up to a bias of
	// order ε; with Metropolis the bias is gone.
	StepSize float64
	// Temperature T scales the noise; 0 means 1. Du & Mordatch (2019) use
	// a noise smaller than the Langevin value, which is sampling at a
	// temperature below 1.
	Temperature float64
	// Metropolis accepts or rejects each step (MALA, Roberts & Tweedie
	// 1996), so that exp(−E/T) is sampled exactly; it needs Energy.E.
	Metropolis bool
	// Seed seeds the noise; chain k uses stream k of the seed, so each
	// chain's path does not depend on the others.
	Seed uint64
}

func (c LangevinConfig) withDefaults() (LangevinConfig, error) {
	switch {
	case c.Steps < 0:
		return c, errorf(ErrInput, "LangevinConfig.Steps is %d; must be ≥ 1 (0 means 100)", c.Steps)
	case c.StepSize < 0 || math.IsNaN(c.StepSize) || math.IsInf(c.StepSize, 0):
		return c, errorf(ErrInput, "LangevinConfig.StepSize is %v; must be finite and > 0 (0 means 0.01)", c.StepSize)
	case c.Temperature < 0 || math.IsNaN(c.Temperature) || math.IsInf(c.Temperature, 0):
		return c, errorf(ErrInput, "LangevinConfig.Temperature is %v; must be finite and > 0 (0 means 1)", c.Temperature)
	}
	if c.Steps == 0 {
		c.Steps = 100
	}
	if c.StepSize == 0 {
		c.StepSize = 0.01
	}
	if c.Temperature == 0 {
		c.Temperature = 1
	}
	return c, nil
}

// LangevinResult is the outcome of Langevin.
type LangevinResult struct {
	// X holds the final state of each chain.
	X [][]float64
	// Accepted is the fraction of proposals accepted (1 without
	// Metropolis).
	Accepted float64
}

// Langevin runs one Langevin chain from each row of x0 for cfg.Steps steps
// and returns the final states:
//
//	x ← x − ε∇E(x) + √(2εT)·ξ,
//
// optionally with a Metropolis accept/reject of each step. It returns an
// error for a bad Energy or config, rows of the wrong length or not finite,
// a callback that panics (ErrCallback) and a state or gradient that becomes
// NaN or Inf (ErrNotFinite, naming the step and chain).
func Langevin(e Energy, x0 [][]float64, cfg LangevinConfig) (res LangevinResult, err error) {
	defer fail.Recover(&err, "energy", "Energy callback")
	if e.Dim < 1 {
		return res, errorf(ErrInput, "Langevin: Energy.Dim is %d; must be ≥ 1", e.Dim)
	}
	if e.Grad == nil {
		return res, errorf(ErrInput, "Langevin: Energy.Grad is nil")
	}
	cfg, err = cfg.withDefaults()
	if err != nil {
		return res, err
	}
	if cfg.Metropolis && e.E == nil {
		return res, errorf(ErrInput, "Langevin: Metropolis needs Energy.E")
	}
	flat, err := checkRows("Langevin: x0", x0, e.Dim)
	if err != nil {
		return res, err
	}
	d := e.Dim
	eps, T := cfg.StepSize, cfg.Temperature
	noise := math.Sqrt(2 * eps * T)
	g := make([]float64, d)
	gy := make([]float64, d)
	y := make([]float64, d)
	var accepted, proposed int
	for k := range x0 {
		r := rng.Stream(cfg.Seed, uint64(k))
		x := flat[k*d : (k+1)*d]
		e.Grad(x, g)
		ex := 0.0
		if cfg.Metropolis {
			ex = e.E(x)
		}
		for step := 1; step <= cfg.Steps; step++ {
			for i := range x {
				y[i] = x[i] - eps*g[i] + noise*r.NormFloat64()
			}
			e.Grad(y, gy)
			if !finite(y) || !finite(gy) {
				return res, errorf(ErrNotFinite, "Langevin: step %d, chain %d: the state or its gradient is not finite (smaller StepSize?)", step, k)
			}
			proposed++
			if cfg.Metropolis {
				ey := e.E(y)
				// log q(x|y) − log q(y|x) for the Gaussian proposals.
				var lq float64
				for i := range x {
					a := x[i] - y[i] + eps*gy[i]
					b := y[i] - x[i] + eps*g[i]
					lq -= (a*a - b*b) / (4 * eps * T)
				}
				logA := (ex-ey)/T + lq
				if math.IsNaN(logA) || !(logA >= 0 || r.Float64() < math.Exp(logA)) {
					continue
				}
				ex = ey
			}
			accepted++
			copy(x, y)
			copy(g, gy)
		}
	}
	res.X = rows(flat, len(x0), d)
	res.Accepted = float64(accepted) / float64(max(1, proposed))
	return res, nil
}

func finite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
