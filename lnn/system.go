package lnn

import (
	"fmt"
	"math"
)

// Dynamics gives accelerations q̈(q, q̇) of a second-order system with Dof
// coordinates: a learned Model or a true system.
type Dynamics interface {
	// Dof returns n, the number of coordinates q.
	Dof() int
	// Accel writes q̈ at each state of x (row after row, 2n values a row:
	// q then q̇) into qdd (n values a row).
	Accel(x, qdd []float64) error
}

// DoublePendulum is two point masses on massless rods: M1 hangs from the
// pivot on a rod of length L1, M2 from M1 on a rod of length L2, in gravity
// G. The coordinates are the angles q = (θ₁, θ₂) of the rods from the
// downward vertical. The zero value means the paper's M1 = M2 = L1 = L2 = 1
// and G = 9.8 (every field that is 0 takes its default).
type DoublePendulum struct {
	M1, M2, L1, L2, G float64
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
	for _, v := range []struct {
		name string
		x    float64
	}{{"M1", p.M1}, {"M2", p.M2}, {"L1", p.L1}, {"L2", p.L2}, {"G", p.G}} {
		if !(v.x > 0) || math.IsInf(v.x, 0) {
			return p, fmt.Errorf("lnn: DoublePendulum.%s is %v; must be positive and finite (0 means the default)", v.name, v.x)
		}
	}
	// The mass matrix's determinant is at least m₁m₂l₁²l₂², and the
	// energy's scales are (m₁+m₂)l₁², (m₁+m₂)g l₁ and m₂g l₂: none may
	// underflow to 0 or overflow, or Accel and Energy give NaN.
	for _, v := range []float64{p.M1 * p.M2 * p.L1 * p.L1 * p.L2 * p.L2, (p.M1 + p.M2) * p.L1 * p.L1 * p.M2 * p.L2 * p.L2,
		(p.M1 + p.M2) * p.G * p.L1, p.M2 * p.G * p.L2} {
		if v == 0 || math.IsInf(v, 0) {
			return p, fmt.Errorf("lnn: DoublePendulum %+v: masses, lengths and g so extreme that the equations of motion overflow float64", p)
		}
	}
	return p, nil
}

// Dof returns 2.
func (p DoublePendulum) Dof() int { return 2 }

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
		return fmt.Errorf("lnn: MassMatrix needs 2 angles and room for 4 values, got %d and %d", len(q), len(m))
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
		return 0, fmt.Errorf("lnn: Potential needs 2 angles, got %d", len(q))
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
		return fmt.Errorf("lnn: %s: state has %d values, want %d (q and q̇ for %d coordinates)", what, len(x), 2*n, n)
	}
	return finite(what+" state", x)
}

// checkBatch checks that x holds whole finite states of n coordinates and
// that qdd has room for n accelerations per state; it returns the number of
// states.
func checkBatch(what string, x, qdd []float64, n int) (int, error) {
	if len(x) == 0 || len(x)%(2*n) != 0 {
		return 0, fmt.Errorf("lnn: %s: got %d state values, not whole states of %d values (q and q̇ for %d coordinates)", what, len(x), 2*n, n)
	}
	B := len(x) / (2 * n)
	if len(qdd) != B*n {
		return 0, fmt.Errorf("lnn: %s: q̈ has room for %d values, want %d (%d states × %d coordinates)", what, len(qdd), B*n, B, n)
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
			return fmt.Errorf("lnn: %s: value %d is %v", what, i, x)
		}
	}
	return nil
}
