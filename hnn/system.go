package hnn

import (
	"math"
	"math/rand/v2"

	"github.com/physbias/physbias/internal/fail"
)

// System is a Hamiltonian system whose energy is known: the truth the
// simulators integrate and the metrics compare against, and the way a user
// brings a system of their own. Its phase-space state is
// x = (q₁…qₙ, p₁…pₙ) with n = Dof, so Dim() = 2n values.
//
// The functions are the user's: a panic in one is recovered and returned as
// an error matching ErrCallback that names it, and so is a non-finite H or
// gradient.
type System struct {
	// Name is a short label ("mass-spring", "pendulum", "two-body").
	Name string
	// Dof is the number of coordinates n (≥ 1); a state holds 2n values.
	Dof int
	// Energy returns H(x) for a state x of 2n values.
	Energy func(x []float64) float64
	// Grad writes ∇H(x) = (∂H/∂q, ∂H/∂p) into g (2n values).
	Grad func(x, g []float64)
	// Initial draws the state a trajectory starts from into x (2n
	// values). r is a *rand.Rand of the standard library's math/rand/v2,
	// seeded from DataConfig.Seed by Simulate (import "math/rand/v2").
	Initial func(r *rand.Rand, x []float64)
	// Separable promises H = T(p) + V(q), so that dq/dt depends on p only
	// and dp/dt on q only: Rollout then allows Leapfrog and Yoshida4.
	Separable bool
	// Paper is the data set of Greydanus et al. (2019) for this system
	// (zero for a user's system): pass it to Simulate to make the paper's
	// data.
	Paper DataConfig
}

// maxDof bounds System.Dof.
const maxDof = 1 << 13

// check reports whether s is usable.
func (s System) check() error {
	if s.Dof < 1 || s.Dof > maxDof {
		return errorf(ErrInput, "system %q has Dof %d; it must be in [1, %d] (a state holds 2·Dof values, q then p)", s.Name, s.Dof, maxDof)
	}
	if s.Energy == nil || s.Grad == nil {
		return errorf(ErrInput, "system %q needs both Energy and Grad", s.Name)
	}
	return nil
}

// Dim returns the length of a state, 2·Dof.
func (s System) Dim() int { return 2 * s.Dof }

// H returns the system's energy at the state x.
func (s System) H(x []float64) (float64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	if len(x) != s.Dim() {
		return 0, errorf(ErrInput, "%s: H got a state of %d values, want %d (2·Dof)", s.Name, len(x), s.Dim())
	}
	return s.energy(x)
}

// energy calls the user's Energy, recovering a panic.
func (s System) energy(x []float64) (h float64, err error) {
	defer fail.Recover(&err, "hnn", "System.Energy of "+s.Name)
	h = s.Energy(x)
	if math.IsNaN(h) || math.IsInf(h, 0) {
		return h, errorf(ErrCallback, "System.Energy of %s returned %v at %v", s.Name, h, x)
	}
	return h, nil
}

// grad calls the user's Grad, recovering a panic.
func (s System) grad(x, g []float64) (err error) {
	defer fail.Recover(&err, "hnn", "System.Grad of "+s.Name)
	s.Grad(x, g)
	for i, v := range g {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errorf(ErrCallback, "System.Grad of %s gave %v in component %d at %v", s.Name, v, i, x)
		}
	}
	return nil
}

// Deriv writes Hamilton's equations, dq/dt = ∂H/∂p and dp/dt = −∂H/∂q, at
// each of the states stored row after row in x into dxdt; System is a
// Field.
func (s System) Deriv(x, dxdt []float64) error {
	if err := s.check(); err != nil {
		return err
	}
	d := s.Dim()
	if len(x) == 0 || len(x)%d != 0 || len(dxdt) != len(x) {
		return errorf(ErrInput, "%s: Deriv got %d state values and %d derivative values; both must be the same multiple of %d (2·Dof)", s.Name, len(x), len(dxdt), d)
	}
	n := s.Dof
	g := make([]float64, d)
	for r := 0; r < len(x); r += d {
		if err := s.grad(x[r:r+d], g); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			dxdt[r+i] = g[n+i]
			dxdt[r+n+i] = -g[i]
		}
	}
	return nil
}

// ringState draws a 2-D state uniformly in direction with a radius drawn
// uniformly in [rmin, rmax], the way the paper starts its 1-D systems.
func ringState(r *rand.Rand, x []float64, rmin, rmax float64) {
	for {
		x[0], x[1] = 2*r.Float64()-1, 2*r.Float64()-1
		if n := math.Hypot(x[0], x[1]); n > 1e-3 {
			rad := rmin + (rmax-rmin)*r.Float64()
			x[0], x[1] = x[0]/n*rad, x[1]/n*rad
			return
		}
	}
}

// MassSpring is the ideal mass-spring of the paper, H = q² + p² (so
// dq/dt = 2p, dp/dt = −2q): 50 trajectories of 30 points on t ∈ [0, 3],
// radius √H drawn from U[0.1, 1], noise σ = 0.1 on q and p, half for test.
func MassSpring() System {
	return System{
		Name: "mass-spring",
		Dof:  1,
		Energy: func(x []float64) float64 {
			return x[0]*x[0] + x[1]*x[1]
		},
		Grad: func(x, g []float64) {
			g[0], g[1] = 2*x[0], 2*x[1]
		},
		Initial:   func(r *rand.Rand, x []float64) { ringState(r, x, 0.1, 1) },
		Separable: true,
		Paper:     DataConfig{Trajectories: 50, Points: 30, T: 3, Noise: 0.1, TestFraction: 0.5},
	}
}

// Pendulum is the ideal pendulum of the paper, H = 2(1 − cos q) + p² (so
// dq/dt = 2p, dp/dt = −2 sin q): 50 trajectories of 45 points on
// t ∈ [0, 3], radius |(q, p)| drawn from U[1.3, 2.3], noise σ = 0.05, half
// for test. With these radii (the paper's text; the authors' code draws
// U[0.2, 2.0]) orbits with H > 4 go over the top and rotate: 7 of the 25
// test orbits of seed 0.
func Pendulum() System {
	return System{
		Name: "pendulum",
		Dof:  1,
		Energy: func(x []float64) float64 {
			return 2*(1-math.Cos(x[0])) + x[1]*x[1]
		},
		Grad: func(x, g []float64) {
			g[0], g[1] = 2*math.Sin(x[0]), 2*x[1]
		},
		Initial:   func(r *rand.Rand, x []float64) { ringState(r, x, 1.3, 2.3) },
		Separable: true,
		Paper:     DataConfig{Trajectories: 50, Points: 45, T: 3, Noise: 0.05, TestFraction: 0.5},
	}
}

// TwoBody is the paper's two-body problem: two bodies of unit mass in the
// plane under gravity (G = 1), H = |p₁|²/2 + |p₂|²/2 − 1/|q₁ − q₂|, state
// (q₁x, q₁y, q₂x, q₂y, p₁x, p₁y, p₂x, p₂y). Orbits start near-circular
// about the centre of mass: body 1 at a position drawn from U[0.5, 1.5]²,
// body 2 opposite it, speeds of a circular orbit scaled by 1 + 0.05·N(0,1).
// The paper's data set is 1,000 trajectories of 50 points on t ∈ [0, 20],
// no noise, a fifth for test.
func TwoBody() System {
	return System{
		Name: "two-body",
		Dof:  4,
		Energy: func(x []float64) float64 {
			dx, dy := x[0]-x[2], x[1]-x[3]
			return 0.5*(x[4]*x[4]+x[5]*x[5]+x[6]*x[6]+x[7]*x[7]) - 1/math.Hypot(dx, dy)
		},
		Grad: func(x, g []float64) {
			dx, dy := x[0]-x[2], x[1]-x[3]
			r := math.Hypot(dx, dy)
			r3 := r * r * r
			// ∂(−1/r)/∂q₁ = (q₁ − q₂)/r³.
			g[0], g[1] = dx/r3, dy/r3
			g[2], g[3] = -dx/r3, -dy/r3
			copy(g[4:8], x[4:8])
		},
		Initial: func(r *rand.Rand, x []float64) {
			px, py := 0.5+r.Float64(), 0.5+r.Float64()
			rad := math.Hypot(px, py)
			// Separation 2·rad: circular speed 1/(2√rad), perpendicular.
			s := (1 + 0.05*r.NormFloat64()) / (2 * math.Pow(rad, 1.5))
			vx, vy := -py*s, px*s
			x[0], x[1], x[2], x[3] = px, py, -px, -py
			x[4], x[5], x[6], x[7] = vx, vy, -vx, -vy
		},
		Separable: true,
		Paper:     DataConfig{Trajectories: 1000, Points: 50, T: 20, Noise: 0, TestFraction: 0.2},
	}
}
