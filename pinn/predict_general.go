package pinn

import (
	G "gorgonia.org/gorgonia"
)

// predictGeneral is Predict for the general network: a plain-Go forward
// pass through the embedding and the layers.
func (m *Model) predictGeneral(pts [][]float64) ([]float64, error) {
	if len(pts) == 0 {
		return nil, errorf(ErrInput, "Predict: no points")
	}
	if err := checkPoints("Predict", pts, m.prob.Domain.Dim()); err != nil {
		return nil, err
	}
	net, err := m.st.gen.snapshot()
	if err != nil {
		return nil, err
	}
	var c *cols
	if m.hard != nil {
		if c, err = m.hard.columns(pts, false, nil); err != nil {
			return nil, err
		}
	}
	u := make([]float64, len(pts))
	x := make([]float64, len(m.a))
	for k, p := range pts {
		m.scale(x, p)
		u[k] = net.forward(x)
		if c != nil {
			u[k] = c.g[k] + c.d[k]*u[k]
		}
	}
	return u, nil
}

// derivativesGeneral is Derivatives for the general network: u, the
// gradient and the Hessian from internal/grad on a graph of their own, with
// the current parameters.
func (m *Model) derivativesGeneral(pts [][]float64) (*Derivs, error) {
	if len(pts) == 0 {
		return nil, errorf(ErrInput, "Derivatives: no points")
	}
	n := m.prob.Domain.Dim()
	if err := checkPoints("Derivatives", pts, n); err != nil {
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
	var sec [][2]int
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			sec = append(sec, [2]int{i, j})
		}
	}
	j, err := m.jetAt(s.b, s, pts, true, sec)
	if err != nil {
		return nil, err
	}
	var u G.Value
	first := make([]G.Value, n)
	second := make([]G.Value, len(sec))
	G.Read(j.u, &u)
	for i := 0; i < n; i++ {
		G.Read(j.first[i], &first[i])
	}
	for k, ij := range sec {
		G.Read(j.sec[ij], &second[k])
	}
	vm := G.NewTapeMachine(s.g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, wrap(err, "Derivatives")
	}
	out := &Derivs{Grad: make([][]float64, len(pts)), Hess: make([][]float64, len(pts)), dom: m.prob.Domain}
	if out.U, err = valueData(u); err != nil {
		return nil, err
	}
	out.U = append([]float64(nil), out.U...)
	for k := range pts {
		out.Grad[k] = make([]float64, n)
		out.Hess[k] = make([]float64, n*n)
	}
	for i := 0; i < n; i++ {
		d, err := valueData(first[i])
		if err != nil {
			return nil, err
		}
		for k := range pts {
			out.Grad[k][i] = d[k]
		}
	}
	for q, ij := range sec {
		d, err := valueData(second[q])
		if err != nil {
			return nil, err
		}
		for k := range pts {
			out.Hess[k][ij[0]*n+ij[1]] = d[k]
			out.Hess[k][ij[1]*n+ij[0]] = d[k]
		}
	}
	return out, nil
}
