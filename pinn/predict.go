package pinn

import (
	"math"

	"github.com/physbias/physbias/internal/ad"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Predict returns u at the points (each of length Dim()), through the
// hard-constraint transform when it is on. It runs on a plain-Go copy of
// the network, without gorgonia.
func (m *Model) Predict(pts [][]float64) ([]float64, error) {
	if m.check() == nil && m.st.gen != nil {
		return m.predictGeneral(pts)
	}
	net, err := m.evalStart("Predict", pts)
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
	y := make([]float64, 1)
	in := x
	if m.emb != nil {
		in = make([]float64, m.emb.width())
	}
	for k, p := range pts {
		m.scale(x, p)
		if m.emb != nil {
			m.emb.apply(in, x)
		}
		if err := net.Forward(in, y); err != nil {
			return nil, wrap(err, "Predict")
		}
		u[k] = y[0]
		if c != nil {
			u[k] = c.g[k] + c.d[k]*y[0]
		}
	}
	return u, nil
}

// evalStart checks the model and the points and copies the network.
func (m *Model) evalStart(what string, pts [][]float64) (*ad.Dense, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if len(pts) == 0 {
		return nil, errorf(ErrInput, "%s: no points", what)
	}
	if err := checkPoints(what, pts, m.prob.Domain.Dim()); err != nil {
		return nil, err
	}
	net, err := m.st.net.Snapshot()
	return net, wrap(err, "%s", what)
}

// scale maps the point p onto the network's inputs in [−1, 1].
func (m *Model) scale(x, p []float64) {
	for i, v := range p {
		x[i] = m.a[i]*v + m.b[i]
	}
}

// Derivs holds u and its first and second derivatives at points, in the
// domain's coordinates (input index i is x_i for i < len(Space), then t).
type Derivs struct {
	// U holds u at each point.
	U []float64
	// Grad holds ∂u/∂p_i at point k in Grad[k][i].
	Grad [][]float64
	// Hess holds ∂²u/∂p_i∂p_j at point k in Hess[k][i·Dim+j].
	Hess [][]float64
	dom  Domain
}

// D returns ∂u/∂p_i at every point (nil if i is out of range).
func (d *Derivs) D(i int) []float64 {
	if d == nil || i < 0 || i >= d.dom.Dim() {
		return nil
	}
	out := make([]float64, len(d.U))
	for k, g := range d.Grad {
		out[k] = g[i]
	}
	return out
}

// D2 returns ∂²u/∂p_i∂p_j at every point (nil if i or j is out of range).
func (d *Derivs) D2(i, j int) []float64 {
	if d == nil {
		return nil
	}
	n := d.dom.Dim()
	if i < 0 || i >= n || j < 0 || j >= n {
		return nil
	}
	out := make([]float64, len(d.U))
	for k, h := range d.Hess {
		out[k] = h[i*n+j]
	}
	return out
}

// Ux returns ∂u/∂x_i (nil unless 0 ≤ i < len(Space)).
func (d *Derivs) Ux(i int) []float64 {
	if d == nil || i >= len(d.dom.Space) {
		return nil
	}
	return d.D(i)
}

// Uxx returns ∂²u/∂x_i² (nil unless 0 ≤ i < len(Space)).
func (d *Derivs) Uxx(i int) []float64 {
	if d == nil || i >= len(d.dom.Space) {
		return nil
	}
	return d.D2(i, i)
}

// Ut returns ∂u/∂t (nil for a steady problem).
func (d *Derivs) Ut() []float64 {
	if d == nil {
		return nil
	}
	return d.D(d.dom.TimeIndex())
}

// Utt returns ∂²u/∂t² (nil for a steady problem).
func (d *Derivs) Utt() []float64 {
	if d == nil {
		return nil
	}
	return d.D2(d.dom.TimeIndex(), d.dom.TimeIndex())
}

// Laplacian returns Σ_i ∂²u/∂x_i² over the spatial dimensions.
func (d *Derivs) Laplacian() []float64 {
	if d == nil {
		return nil
	}
	out := make([]float64, len(d.U))
	for i := range d.dom.Space {
		for k, v := range d.Uxx(i) {
			out[k] += v
		}
	}
	return out
}

// Derivatives returns u, its gradient and its Hessian in the domain's
// coordinates at the points, exactly (by the network's own forward and
// forward-over-reverse passes on a plain-Go copy, through the
// hard-constraint transform when it is on; the lift's derivatives there
// come from the same finite differences as in training).
func (m *Model) Derivatives(pts [][]float64) (*Derivs, error) {
	if m.check() == nil && (m.st.gen != nil || m.emb != nil) {
		return m.derivativesGeneral(pts)
	}
	net, err := m.evalStart("Derivatives", pts)
	if err != nil {
		return nil, err
	}
	n := m.prob.Domain.Dim()
	var c *cols
	if m.hard != nil {
		var sec [][2]int
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				sec = append(sec, [2]int{i, j})
			}
		}
		if c, err = m.hard.columns(pts, true, sec); err != nil {
			return nil, err
		}
	}
	out := &Derivs{U: make([]float64, len(pts)), Grad: make([][]float64, len(pts)), Hess: make([][]float64, len(pts)), dom: m.prob.Domain}
	x := make([]float64, n)
	y := make([]float64, 1)
	for k, p := range pts {
		m.scale(x, p)
		g := make([]float64, n)
		h := make([]float64, n*n)
		if err := net.Forward(x, y); err != nil {
			return nil, wrap(err, "Derivatives")
		}
		if err := net.InputGrad(x, g); err != nil {
			return nil, wrap(err, "Derivatives")
		}
		if err := net.Hessian(x, h); err != nil {
			return nil, wrap(err, "Derivatives")
		}
		// The network sees s = a·p + b: ∂/∂p_i = a_i ∂/∂s_i.
		for i := 0; i < n; i++ {
			g[i] *= m.a[i]
			for j := 0; j < n; j++ {
				h[i*n+j] *= m.a[i] * m.a[j]
			}
		}
		u := y[0]
		if c != nil {
			// u = G + d·N: u_i = G_i + d_i N + d N_i and
			// u_ij = G_ij + d_ij N + d_i N_j + d_j N_i + d N_ij.
			hu := make([]float64, n*n)
			for i := 0; i < n; i++ {
				for j := i; j < n; j++ {
					ij := [2]int{i, j}
					v := c.gSec[ij][k] + c.dSec[ij][k]*u + c.dFirst[i][k]*g[j] + c.dFirst[j][k]*g[i] + c.d[k]*h[i*n+j]
					hu[i*n+j], hu[j*n+i] = v, v
				}
			}
			for i := 0; i < n; i++ {
				g[i] = c.gFirst[i][k] + c.dFirst[i][k]*u + c.d[k]*g[i]
			}
			h = hu
			u = c.g[k] + c.d[k]*u
		}
		out.U[k], out.Grad[k], out.Hess[k] = u, g, h
	}
	return out, nil
}

// Residual returns the PDE residual r(p) at the points, evaluated on a
// separate graph with the current parameters.
func (m *Model) Residual(pts [][]float64) ([]float64, error) {
	if _, err := m.evalStart("Residual", pts); err != nil {
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
	r, err := m.residualNode(s, pts, "Residual")
	if err != nil {
		return nil, err
	}
	var out G.Value
	G.Read(r, &out)
	vm := G.NewTapeMachine(s.g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, wrap(err, "evaluating the residual")
	}
	t, ok := out.(tensor.Tensor)
	if !ok {
		return nil, errorf(ErrInput, "residual value is %T, not a tensor", out)
	}
	d, ok := t.Data().([]float64)
	if !ok || len(d) != len(pts) {
		return nil, errorf(ErrInput, "residual value has unexpected data %T", t.Data())
	}
	return append([]float64(nil), d...), nil
}

// RelativeL2 returns ‖u − ref‖₂ / ‖ref‖₂, the error measure of Raissi et
// al.
func RelativeL2(u, ref []float64) (float64, error) {
	if len(u) != len(ref) || len(u) == 0 {
		return 0, errorf(ErrInput, "RelativeL2: lengths %d and %d", len(u), len(ref))
	}
	var num, den float64
	for i := range u {
		d := u[i] - ref[i]
		num += d * d
		den += ref[i] * ref[i]
	}
	if den == 0 {
		return 0, errorf(ErrInput, "RelativeL2: the reference is zero")
	}
	r := math.Sqrt(num / den)
	if math.IsNaN(r) {
		return 0, errorf(ErrNotFinite, "RelativeL2: NaN")
	}
	return r, nil
}
