package pinn

import (
	"fmt"
	"math"

	"github.com/physbias/physbias/internal/ad"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Predict returns u at the points (each of length Domain.Dim()), through the
// hard-constraint transform when it is on. It runs on a plain-Go copy of the
// network, without gorgonia.
func (m *Model) Predict(pts [][]float64) ([]float64, error) {
	if len(pts) == 0 {
		return nil, fmt.Errorf("pinn: Predict: no points")
	}
	if err := checkPoints("Predict", pts, m.prob.Domain.Dim()); err != nil {
		return nil, err
	}
	net, err := m.st.net.Snapshot()
	if err != nil {
		return nil, fmt.Errorf("pinn: %v", err)
	}
	var c *cols
	if m.hard != nil {
		if c, err = m.hard.columns(pts, false, nil); err != nil {
			return nil, err
		}
	}
	return m.predict(net, pts, c)
}

func (m *Model) predict(net *ad.Dense, pts [][]float64, c *cols) ([]float64, error) {
	u := make([]float64, len(pts))
	x := make([]float64, len(m.a))
	y := make([]float64, 1)
	for k, p := range pts {
		for i, v := range p {
			x[i] = m.a[i]*v + m.b[i]
		}
		if err := net.Forward(x, y); err != nil {
			return nil, fmt.Errorf("pinn: %v", err)
		}
		u[k] = y[0]
		if c != nil {
			u[k] = c.g[k] + c.d[k]*y[0]
		}
	}
	return u, nil
}

// Residual returns the PDE residual r(p) at the points, evaluated on a
// separate graph with the current parameters.
func (m *Model) Residual(pts [][]float64) ([]float64, error) {
	if len(pts) == 0 {
		return nil, fmt.Errorf("pinn: Residual: no points")
	}
	if err := checkPoints("Residual", pts, m.prob.Domain.Dim()); err != nil {
		return nil, err
	}
	vals, err := m.values()
	if err != nil {
		return nil, err
	}
	s, err := m.newState(vals)
	if err != nil {
		return nil, err
	}
	r, err := m.residualNode(s, pts)
	if err != nil {
		return nil, err
	}
	var out G.Value
	G.Read(r, &out)
	vm := G.NewTapeMachine(s.g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, fmt.Errorf("pinn: evaluating the residual: %v", err)
	}
	t, ok := out.(tensor.Tensor)
	if !ok {
		return nil, fmt.Errorf("pinn: residual value is %T, not a tensor", out)
	}
	d, ok := t.Data().([]float64)
	if !ok || len(d) != len(pts) {
		return nil, fmt.Errorf("pinn: residual value has unexpected data %T", t.Data())
	}
	return append([]float64(nil), d...), nil
}

// RelativeL2 returns ‖u − ref‖₂ / ‖ref‖₂, the error measure of Raissi et
// al.
func RelativeL2(u, ref []float64) (float64, error) {
	if len(u) != len(ref) || len(u) == 0 {
		return 0, fmt.Errorf("pinn: RelativeL2: lengths %d and %d", len(u), len(ref))
	}
	var num, den float64
	for i := range u {
		d := u[i] - ref[i]
		num += d * d
		den += ref[i] * ref[i]
	}
	if den == 0 {
		return 0, fmt.Errorf("pinn: RelativeL2: the reference is zero")
	}
	r := math.Sqrt(num / den)
	if math.IsNaN(r) {
		return 0, fmt.Errorf("pinn: RelativeL2: NaN")
	}
	return r, nil
}
