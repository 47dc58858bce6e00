package ode

// RK4 returns the classical fourth-order Runge–Kutta method: order 4, four
// evaluations a step.
func RK4() Method { return &rk4{} }

type rk4 struct{ k1, k2, k3, k4, tmp []float64 }

func (*rk4) Name() string { return "RK4" }
func (*rk4) Order() int   { return 4 }

func (m *rk4) Step(f Func, t float64, y []float64, dt float64) error {
	if err := checkStep(f, y, dt); err != nil {
		return err
	}
	n := len(y)
	m.k1, m.k2, m.k3, m.k4, m.tmp = grow(m.k1, n), grow(m.k2, n), grow(m.k3, n), grow(m.k4, n), grow(m.tmp, n)
	k1, k2, k3, k4, tmp := m.k1, m.k2, m.k3, m.k4, m.tmp
	h2 := dt / 2
	f(t, y, k1)
	for i := range tmp {
		tmp[i] = y[i] + h2*k1[i]
	}
	f(t+h2, tmp, k2)
	for i := range tmp {
		tmp[i] = y[i] + h2*k2[i]
	}
	f(t+h2, tmp, k3)
	for i := range tmp {
		tmp[i] = y[i] + dt*k3[i]
	}
	f(t+dt, tmp, k4)
	h6 := dt / 6
	for i := range y {
		y[i] += h6 * (k1[i] + 2*(k2[i]+k3[i]) + k4[i])
	}
	return nil
}
