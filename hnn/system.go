package hnn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// System is a Hamiltonian system whose energy is known: the truth the
// simulators integrate and the metrics compare against. Its phase-space
// state is x = (q₁…qₙ, p₁…pₙ), Dim = 2n.
type System struct {
	// Name is a short label ("mass-spring", "pendulum", "two-body").
	Name string
	// Dim is the phase-space dimension 2n; it must be even and positive.
	Dim int
	// Energy returns H(x).
	Energy func(x []float64) float64
	// Grad writes ∇H(x) = (∂H/∂q, ∂H/∂p) into g.
	Grad func(x, g []float64)
	// Initial draws the state a trajectory starts from.
	Initial func(r *rand.Rand, x []float64)
	// Paper is the data set of Greydanus et al. (2019) for this system:
	// what Simulate uses for the zero fields of its DataConfig.
	Paper DataConfig
}

// check reports whether s is usable.
func (s System) check() error {
	if s.Dim <= 0 || s.Dim%2 != 0 {
		return fmt.Errorf("hnn: system %q has phase-space dimension %d; it must be even and positive (q and p)", s.Name, s.Dim)
	}
	if s.Energy == nil || s.Grad == nil {
		return fmt.Errorf("hnn: system %q needs both Energy and Grad", s.Name)
	}
	return nil
}

// H returns the system's energy at the state x.
func (s System) H(x []float64) (float64, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	if len(x) != s.Dim {
		return 0, fmt.Errorf("hnn: %s state has %d values, want %d", s.Name, len(x), s.Dim)
	}
	return s.Energy(x), nil
}

// Dimension returns the phase-space dimension; System is a Field.
func (s System) Dimension() int { return s.Dim }

// Deriv writes Hamilton's equations, dq/dt = ∂H/∂p and dp/dt = −∂H/∂q, at
// each of the len(x)/Dim states stored row after row in x into dxdt.
func (s System) Deriv(x, dxdt []float64) error {
	if err := s.check(); err != nil {
		return err
	}
	if len(x) == 0 || len(x)%s.Dim != 0 || len(dxdt) != len(x) {
		return fmt.Errorf("hnn: %s Deriv got %d states values and %d derivative values; both must be the same multiple of %d", s.Name, len(x), len(dxdt), s.Dim)
	}
	n := s.Dim / 2
	g := make([]float64, s.Dim)
	for r := 0; r < len(x); r += s.Dim {
		s.Grad(x[r:r+s.Dim], g)
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
		Dim:  2,
		Energy: func(x []float64) float64 {
			return x[0]*x[0] + x[1]*x[1]
		},
		Grad: func(x, g []float64) {
			g[0], g[1] = 2*x[0], 2*x[1]
		},
		Initial: func(r *rand.Rand, x []float64) { ringState(r, x, 0.1, 1) },
		Paper:   DataConfig{Trajectories: 50, Points: 30, T: 3, Noise: 0.1, TestFraction: 0.5},
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
		Dim:  2,
		Energy: func(x []float64) float64 {
			return 2*(1-math.Cos(x[0])) + x[1]*x[1]
		},
		Grad: func(x, g []float64) {
			g[0], g[1] = 2*math.Sin(x[0]), 2*x[1]
		},
		Initial: func(r *rand.Rand, x []float64) { ringState(r, x, 1.3, 2.3) },
		Paper:   DataConfig{Trajectories: 50, Points: 45, T: 3, Noise: 0.05, TestFraction: 0.5},
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
		Dim:  8,
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
		Paper: DataConfig{Trajectories: 1000, Points: 50, T: 20, Noise: 0, TestFraction: 0.2},
	}
}
