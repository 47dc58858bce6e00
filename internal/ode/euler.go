package ode

// Euler returns the explicit Euler method, y ← y + dt·f(t, y): order 1,
// one evaluation a step. Use it as a baseline, not for accuracy.
func Euler() Method { return &euler{} }

type euler struct{ k []float64 }

func (*euler) Name() string { return "Euler" }
func (*euler) Order() int   { return 1 }

func (m *euler) Step(f Func, t float64, y []float64, dt float64) error {
	if err := checkStep(f, y, dt); err != nil {
		return err
	}
	m.k = grow(m.k, len(y))
	f(t, y, m.k)
	for i, k := range m.k {
		y[i] += dt * k
	}
	return nil
}
