package lnn

import (
	"math"
	"math/rand/v2"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/linalg"
)

// Dynamics gives accelerations q̈(q, q̇) of a second-order system: a
// learned Model, a System, or a user's own.
type Dynamics interface {
	// Dim returns the length of a state, 2n: q then q̇.
	Dim() int
	// Accel writes q̈ at each state of x (row after row, 2n values a row:
	// q then q̇) into qdd (n values a row).
	Accel(x, qdd []float64) error
}

// System is a second-order mechanical system whose motion is known: the
// truth the simulator integrates and the metrics compare against, and the
// way a user brings a system of their own. A state is x = (q₁…qₙ, q̇₁…q̇ₙ)
// with n = Dof, so Dim() = 2n values. DoublePendulum.System returns the
// paper's system.
//
// The functions are the user's: a panic in one is recovered and returned as
// an error matching ErrCallback that names it, and so is a non-finite
// result.
type System struct {
	// Name is a short label ("double pendulum").
	Name string
	// Dof is the number of coordinates n (1 to 16, the batched solve's
	// limit for the models).
	Dof int
	// Acceleration writes q̈ (n values) at the state x (2n values) into
	// qdd.
	Acceleration func(x, qdd []float64)
	// Energy returns the conserved energy at the state x. It is optional
	// for Simulate and Rollout and needed by Evaluate.
	Energy func(x []float64) float64
	// MinEnergy is the lowest energy of the system (at rest at the bottom
	// for a pendulum; 0 for a free particle): Evaluate measures the energy
	// drift relative to E(x₀) − MinEnergy.
	MinEnergy float64
	// Initial draws the state a trajectory starts from into x (2n values).
	// r is a *rand.Rand of the standard library's math/rand/v2 (import
	// "math/rand/v2"), seeded from DataConfig.Seed by Simulate.
	Initial func(r *rand.Rand, x []float64)
	// Separable promises that q̈ depends on q only (L = ½q̇ᵀMq̇ − V(q)
	// with M constant): Rollout then allows Leapfrog and Yoshida4.
	Separable bool
	// Paper is the data set of the paper for the systems lnn ships (zero
	// for a user's system): pass it to Simulate.
	Paper DataConfig
}

// maxDof bounds the coordinates of a System and a Model.
const maxDof = linalg.MaxN

// check reports whether s is usable.
func (s System) check() error {
	if s.Dof < 1 || s.Dof > maxDof {
		return errorf(ErrInput, "system %q has Dof %d; it must be between 1 and %d", s.Name, s.Dof, maxDof)
	}
	if s.Acceleration == nil {
		return errorf(ErrInput, "system %q has no Acceleration function", s.Name)
	}
	return nil
}

// Dim returns the length of a state, 2·Dof.
func (s System) Dim() int { return 2 * s.Dof }

// Accel writes the system's q̈ at each state of x (row after row) into
// qdd; System is a Dynamics.
func (s System) Accel(x, qdd []float64) error {
	if err := s.check(); err != nil {
		return err
	}
	B, err := checkBatch(s.Name+" Accel", x, qdd, s.Dof)
	if err != nil {
		return err
	}
	n := s.Dof
	for r := 0; r < B; r++ {
		if err := s.accel(x[2*n*r:2*n*(r+1)], qdd[n*r:n*(r+1)]); err != nil {
			return err
		}
	}
	return nil
}

// accel calls the user's Acceleration on one state, recovering a panic.
func (s System) accel(x, qdd []float64) (err error) {
	defer fail.Recover(&err, "lnn", "System.Acceleration of "+s.Name)
	s.Acceleration(x, qdd)
	for i, v := range qdd {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errorf(ErrCallback, "System.Acceleration of %s gave %v for coordinate %d at %v", s.Name, v, i, x)
		}
	}
	return nil
}

// energy calls the user's Energy, recovering a panic.
func (s System) energy(x []float64) (e float64, err error) {
	if s.Energy == nil {
		return 0, errorf(ErrInput, "system %q has no Energy function", s.Name)
	}
	defer fail.Recover(&err, "lnn", "System.Energy of "+s.Name)
	e = s.Energy(x)
	if math.IsNaN(e) || math.IsInf(e, 0) {
		return e, errorf(ErrCallback, "System.Energy of %s returned %v at %v", s.Name, e, x)
	}
	return e, nil
}

// initial calls the user's Initial, recovering a panic, and checks the
// state it drew.
func (s System) initial(r *rand.Rand, x []float64) (err error) {
	if s.Initial == nil {
		return errorf(ErrInput, "system %q has no Initial state sampler", s.Name)
	}
	defer fail.Recover(&err, "lnn", "System.Initial of "+s.Name)
	s.Initial(r, x)
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errorf(ErrCallback, "System.Initial of %s drew %v in component %d", s.Name, v, i)
		}
	}
	return nil
}

// DoublePendulum is two point masses on massless rods: M1 hangs from the
// pivot on a rod of length L1, M2 from M1 on a rod of length L2, in gravity
// G. The coordinates are the angles q = (θ₁, θ₂) of the rods from the
// downward vertical. The zero value means the paper's M1 = M2 = L1 = L2 = 1
// and G = 9.8 (every field that is 0 takes its default). Its System method
// gives the System that Simulate, Rollout and Evaluate take.
type DoublePendulum struct {
	M1, M2, L1, L2, G float64
	// Amplitude bounds the initial angles of System().Initial, drawn
	// uniformly from [−Amplitude, Amplitude] with the rods at rest; 0
	// means π/3. Released from rest at angles within π/3 the double
	// pendulum has too little energy for either rod to go over the top
	// (E ≤ −1.5 g < −g for unit masses and lengths), so the angles stay
	// bounded.
	Amplitude float64
}

// System returns the double pendulum as a System: its exact q̈ and
// energy, its minimum energy, initial states released from rest at angles
// within ±Amplitude, and the paper's data set (100 training and 20 test
// trajectories of 5 s, 50 samples each).
func (p DoublePendulum) System() (System, error) {
	p, err := p.withDefaults()
	if err != nil {
		return System{}, err
	}
	amp := p.Amplitude
	return System{
		Name:         "double pendulum",
		Dof:          2,
		Acceleration: p.accel,
		Energy:       p.energy,
		MinEnergy:    -(p.M1+p.M2)*p.G*p.L1 - p.M2*p.G*p.L2,
		Initial: func(r *rand.Rand, x []float64) {
			x[0], x[1] = amp*(2*r.Float64()-1), amp*(2*r.Float64()-1)
			x[2], x[3] = 0, 0
		},
		Paper: DataConfig{Trajectories: 100, TestTrajectories: 20, T: 5, Samples: 50},
	}, nil
}

func (p DoublePendulum) withDefaults() (DoublePendulum, error) {
	for _, f := range []*float64{&p.M1, &p.M2, &p.L1, &p.L2} {
		if *f == 0 {
			*f = 1
		}
	}
	if p.G == 0 {
		p.G = 9.8
	}
	if p.Amplitude == 0 {
		p.Amplitude = math.Pi / 3
	}
	if !(p.Amplitude > 0) || math.IsInf(p.Amplitude, 0) {
		return p, errorf(ErrInput, "DoublePendulum.Amplitude is %v; must be positive and finite (0 means π/3)", p.Amplitude)
	}
	for _, v := range []struct {
		name string
		x    float64
	}{{"M1", p.M1}, {"M2", p.M2}, {"L1", p.L1}, {"L2", p.L2}, {"G", p.G}} {
		if !(v.x > 0) || math.IsInf(v.x, 0) {
			return p, errorf(ErrInput, "DoublePendulum.%s is %v; must be positive and finite (0 means the default)", v.name, v.x)
		}
	}
	// The mass matrix's determinant is at least m₁m₂l₁²l₂², and the
	// energy's scales are (m₁+m₂)l₁², (m₁+m₂)g l₁ and m₂g l₂: none may
	// underflow to 0 or overflow, or Accel and Energy give NaN.
	for _, v := range []float64{p.M1 * p.M2 * p.L1 * p.L1 * p.L2 * p.L2, (p.M1 + p.M2) * p.L1 * p.L1 * p.M2 * p.L2 * p.L2,
		(p.M1 + p.M2) * p.G * p.L1, p.M2 * p.G * p.L2} {
		if v == 0 || math.IsInf(v, 0) {
			return p, errorf(ErrInput, "DoublePendulum %+v: masses, lengths and g so extreme that the equations of motion overflow float64", p)
		}
	}
	return p, nil
}

// Lagrangian returns L = T − V at the state x = (θ₁, θ₂, θ̇₁, θ̇₂):
//
//	T = ½(m₁+m₂)l₁²θ̇₁² + ½m₂l₂²θ̇₂² + m₂l₁l₂θ̇₁θ̇₂cos(θ₁−θ₂),
//	V = −(m₁+m₂)g l₁cos θ₁ − m₂g l₂cos θ₂.
func (p DoublePendulum) Lagrangian(x []float64) (float64, error) {
	p, err := p.withDefaults()
	if err != nil {
		return 0, err
	}
	if err := checkState("Lagrangian", x, 2); err != nil {
		return 0, err
	}
	t, v := p.kinetic(x), p.potential(x)
	return t - v, nil
}

// Energy returns E = T + V at the state x (see Lagrangian).
func (p DoublePendulum) Energy(x []float64) (float64, error) {
	p, err := p.withDefaults()
	if err != nil {
		return 0, err
	}
	if err := checkState("Energy", x, 2); err != nil {
		return 0, err
	}
	return p.kinetic(x) + p.potential(x), nil
}

// MinEnergy returns the energy of the pendulum hanging at rest,
// −(m₁+m₂)g l₁ − m₂g l₂, the minimum of Energy.
func (p DoublePendulum) MinEnergy() (float64, error) {
	p, err := p.withDefaults()
	if err != nil {
		return 0, err
	}
	return -(p.M1+p.M2)*p.G*p.L1 - p.M2*p.G*p.L2, nil
}

func (p DoublePendulum) kinetic(x []float64) float64 {
	d1, d2 := x[2], x[3]
	return 0.5*(p.M1+p.M2)*p.L1*p.L1*d1*d1 + 0.5*p.M2*p.L2*p.L2*d2*d2 +
		p.M2*p.L1*p.L2*d1*d2*math.Cos(x[0]-x[1])
}

func (p DoublePendulum) potential(x []float64) float64 {
	return -(p.M1+p.M2)*p.G*p.L1*math.Cos(x[0]) - p.M2*p.G*p.L2*math.Cos(x[1])
}

// MassMatrix writes the 2×2 mass matrix M(q) = ∇q̇∇q̇ᵀL (row-major) at the
// angles q into m:
//
//	M = [(m₁+m₂)l₁²  m₂l₁l₂cos(θ₁−θ₂); m₂l₁l₂cos(θ₁−θ₂)  m₂l₂²].
func (p DoublePendulum) MassMatrix(q, m []float64) error {
	p, err := p.withDefaults()
	if err != nil {
		return err
	}
	if len(q) != 2 || len(m) != 4 {
		return errorf(ErrInput, "MassMatrix needs 2 angles and room for 4 values, got %d and %d", len(q), len(m))
	}
	c := p.M2 * p.L1 * p.L2 * math.Cos(q[0]-q[1])
	m[0], m[1], m[2], m[3] = (p.M1+p.M2)*p.L1*p.L1, c, c, p.M2*p.L2*p.L2
	return nil
}

// Potential returns V(q) = −(m₁+m₂)g l₁cos θ₁ − m₂g l₂cos θ₂.
func (p DoublePendulum) Potential(q []float64) (float64, error) {
	p, err := p.withDefaults()
	if err != nil {
		return 0, err
	}
	if len(q) != 2 {
		return 0, errorf(ErrInput, "Potential needs 2 angles, got %d", len(q))
	}
	return -(p.M1+p.M2)*p.G*p.L1*math.Cos(q[0]) - p.M2*p.G*p.L2*math.Cos(q[1]), nil
}

// Accel writes the exact accelerations at each state of x into qdd: with
// Δ = θ₁ − θ₂ it solves
//
//	(m₁+m₂)l₁² θ̈₁ + m₂l₁l₂cosΔ θ̈₂ = −m₂l₁l₂ θ̇₂² sinΔ − (m₁+m₂)g l₁ sin θ₁
//	m₂l₁l₂cosΔ θ̈₁ + m₂l₂² θ̈₂     =  m₂l₁l₂ θ̇₁² sinΔ − m₂g l₂ sin θ₂
//
// by Cramer's rule (the determinant m₂l₁²l₂²(m₁ + m₂sin²Δ) is positive).
func (p DoublePendulum) Accel(x, qdd []float64) error {
	p, err := p.withDefaults()
	if err != nil {
		return err
	}
	B, err := checkBatch("DoublePendulum.Accel", x, qdd, 2)
	if err != nil {
		return err
	}
	for r := 0; r < B; r++ {
		s := x[4*r : 4*r+4]
		p.accel(s, qdd[2*r:2*r+2])
	}
	return nil
}

// energy is Energy without the checks (p has its defaults).
func (p DoublePendulum) energy(x []float64) float64 { return p.kinetic(x) + p.potential(x) }

func (p DoublePendulum) accel(s, a []float64) {
	t1, t2, d1, d2 := s[0], s[1], s[2], s[3]
	sd, cd := math.Sincos(t1 - t2)
	k := p.M2 * p.L1 * p.L2
	a11, a12, a22 := (p.M1+p.M2)*p.L1*p.L1, k*cd, p.M2*p.L2*p.L2
	r1 := -k*d2*d2*sd - (p.M1+p.M2)*p.G*p.L1*math.Sin(t1)
	r2 := k*d1*d1*sd - p.M2*p.G*p.L2*math.Sin(t2)
	det := a11*a22 - a12*a12
	a[0] = (a22*r1 - a12*r2) / det
	a[1] = (a11*r2 - a12*r1) / det
}

// checkState checks one finite state of n coordinates (2n values).
func checkState(what string, x []float64, n int) error {
	if len(x) != 2*n {
		return errorf(ErrInput, "%s: state has %d values, want %d (q and q̇ for %d coordinates)", what, len(x), 2*n, n)
	}
	return finite(what+" state", x)
}

// checkBatch checks that x holds whole finite states of n coordinates and
// that qdd has room for n accelerations per state; it returns the number of
// states.
func checkBatch(what string, x, qdd []float64, n int) (int, error) {
	if len(x) == 0 || len(x)%(2*n) != 0 {
		return 0, errorf(ErrInput, "%s: got %d state values, not whole states of %d values (q and q̇ for %d coordinates)", what, len(x), 2*n, n)
	}
	B := len(x) / (2 * n)
	if len(qdd) != B*n {
		return 0, errorf(ErrInput, "%s: q̈ has room for %d values, want %d (%d states × %d coordinates)", what, len(qdd), B*n, B, n)
	}
	if err := finite(what+" state", x); err != nil {
		return 0, err
	}
	return B, nil
}

// finite returns an error naming the first NaN or Inf in v.
func finite(what string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return errorf(ErrNotFinite, "%s: value %d is %v", what, i, x)
		}
	}
	return nil
}
