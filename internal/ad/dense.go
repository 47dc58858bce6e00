package ad

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
)

// Dense is a plain-Go copy of an MLP's parameters that evaluates the network
// and its input derivatives one point at a time, without gorgonia: for
// rollouts, integrators and plots after training. It is safe for concurrent
// use by several goroutines (it keeps no scratch state).
type Dense struct {
	sizes []int
	act   Activation
	w     [][]float64 // w[l] row-major (sizes[l], sizes[l+1])
	b     [][]float64
}

// Snapshot copies the current parameter values of m into a Dense.
func (m *MLP) Snapshot() (*Dense, error) {
	d := &Dense{sizes: append([]int(nil), m.sizes...), act: m.act}
	for l := range m.w {
		w, err := nodeData(m.w[l])
		if err != nil {
			return nil, err
		}
		b, err := nodeData(m.b[l])
		if err != nil {
			return nil, err
		}
		d.w = append(d.w, append([]float64(nil), w...))
		d.b = append(d.b, append([]float64(nil), b...))
	}
	return d, nil
}

// NewDense builds a Dense from explicit weights: w[l] row-major of shape
// (sizes[l], sizes[l+1]) and b[l] of length sizes[l+1]. The slices are copied.
func NewDense(sizes []int, act Activation, w, b [][]float64) (*Dense, error) {
	if len(sizes) < 2 {
		return nil, fmt.Errorf("ad: NewDense: need at least 2 layer sizes, got %v", sizes)
	}
	for i, s := range sizes {
		if s < 1 {
			return nil, fmt.Errorf("ad: NewDense: layer size %d is %d, must be ≥ 1", i, s)
		}
	}
	if !act.valid() {
		return nil, fmt.Errorf("ad: NewDense: unknown activation %d", int(act))
	}
	if len(w) != len(sizes)-1 || len(b) != len(sizes)-1 {
		return nil, fmt.Errorf("ad: NewDense: %d layers need %d weight and bias slices, got %d and %d",
			len(sizes)-1, len(sizes)-1, len(w), len(b))
	}
	d := &Dense{sizes: append([]int(nil), sizes...), act: act}
	for l := range w {
		if len(w[l]) != sizes[l]*sizes[l+1] {
			return nil, fmt.Errorf("ad: NewDense: W%d has %d values, want %d×%d", l, len(w[l]), sizes[l], sizes[l+1])
		}
		if len(b[l]) != sizes[l+1] {
			return nil, fmt.Errorf("ad: NewDense: b%d has %d values, want %d", l, len(b[l]), sizes[l+1])
		}
		d.w = append(d.w, append([]float64(nil), w[l]...))
		d.b = append(d.b, append([]float64(nil), b[l]...))
	}
	return d, nil
}

// nodeData returns the float64 backing slice of a parameter node's value.
func nodeData(n *G.Node) ([]float64, error) {
	v := n.Value()
	if v == nil {
		return nil, fmt.Errorf("ad: parameter %s has no value", n.Name())
	}
	d, ok := v.Data().([]float64)
	if !ok {
		return nil, fmt.Errorf("ad: parameter %s holds %T, want []float64", n.Name(), v.Data())
	}
	return d, nil
}

// In returns the input width.
func (d *Dense) In() int { return d.sizes[0] }

// Out returns the output width.
func (d *Dense) Out() int { return d.sizes[len(d.sizes)-1] }

func (d *Dense) check(what string, x []float64, nx int, y []float64, ny int) error {
	if len(x) != nx {
		return fmt.Errorf("ad: Dense.%s: input has length %d, want %d", what, len(x), nx)
	}
	if len(y) != ny {
		return fmt.Errorf("ad: Dense.%s: output has length %d, want %d", what, len(y), ny)
	}
	return nil
}

// forward returns the pre-activations of every layer (the last is f(x)).
func (d *Dense) forward(x []float64) [][]float64 {
	zs := make([][]float64, len(d.w))
	a := x
	for l, w := range d.w {
		n, m := d.sizes[l], d.sizes[l+1]
		z := append([]float64(nil), d.b[l]...)
		for i := 0; i < n; i++ {
			ai := a[i]
			if ai == 0 {
				continue
			}
			row := w[i*m : (i+1)*m]
			for j, v := range row {
				z[j] += ai * v
			}
		}
		zs[l] = z
		if l+1 < len(d.w) {
			a = make([]float64, m)
			for j, zj := range z {
				a[j], _, _, _ = d.act.eval(zj)
			}
		}
	}
	return zs
}

// Forward sets y = f(x) for one point; len(x) = In(), len(y) = Out().
func (d *Dense) Forward(x, y []float64) error {
	if err := d.check("Forward", x, d.In(), y, d.Out()); err != nil {
		return err
	}
	zs := d.forward(x)
	copy(y, zs[len(zs)-1])
	return nil
}

// mulT returns g·Wᵀ for W of shape (n, m): a vector of length n.
func mulT(w []float64, n, m int, g []float64) []float64 {
	r := make([]float64, n)
	for i := 0; i < n; i++ {
		row := w[i*m : (i+1)*m]
		s := 0.0
		for j, v := range row {
			s += v * g[j]
		}
		r[i] = s
	}
	return r
}

// InputGrad sets g = ∇ₓf for one point of a network with Out()==1.
func (d *Dense) InputGrad(x, g []float64) error {
	if d.Out() != 1 {
		return fmt.Errorf("ad: Dense.InputGrad needs a scalar output, network has Out()=%d", d.Out())
	}
	if err := d.check("InputGrad", x, d.In(), g, d.In()); err != nil {
		return err
	}
	zs := d.forward(x)
	L := len(d.w)
	gz := []float64{1}
	for l := L - 1; l >= 0; l-- {
		ga := mulT(d.w[l], d.sizes[l], d.sizes[l+1], gz)
		if l == 0 {
			copy(g, ga)
			break
		}
		for j, zj := range zs[l-1] {
			_, s1, _, _ := d.act.eval(zj)
			ga[j] *= s1
		}
		gz = ga
	}
	return nil
}

// Hessian sets h (row-major In()×In()) to ∇ₓ∇ₓᵀf at one point of a network
// with Out()==1, by forward-over-reverse.
func (d *Dense) Hessian(x, h []float64) error {
	if d.Out() != 1 {
		return fmt.Errorf("ad: Dense.Hessian needs a scalar output, network has Out()=%d", d.Out())
	}
	n := d.In()
	if err := d.check("Hessian", x, n, h, n*n); err != nil {
		return err
	}
	zs := d.forward(x)
	L := len(d.w)
	// Reverse pass: ga[l] is the cotangent of hidden activation l.
	ga := make([][]float64, L-1)
	gz := []float64{1}
	for l := L - 1; l >= 1; l-- {
		g := mulT(d.w[l], d.sizes[l], d.sizes[l+1], gz)
		ga[l-1] = append([]float64(nil), g...)
		for j, zj := range zs[l-1] {
			_, s1, _, _ := d.act.eval(zj)
			g[j] *= s1
		}
		gz = g
	}
	for c := 0; c < n; c++ {
		// Forward tangents along e_c: ż_l per hidden layer.
		zd := make([][]float64, L-1)
		t := append([]float64(nil), d.w[0][c*d.sizes[1]:(c+1)*d.sizes[1]]...)
		for l := 0; l < L-1; l++ {
			zd[l] = t
			m := d.sizes[l+2]
			nt := make([]float64, m)
			for i, ti := range t {
				_, s1, _, _ := d.act.eval(zs[l][i])
				a := s1 * ti
				row := d.w[l+1][i*m : (i+1)*m]
				for j, v := range row {
					nt[j] += a * v
				}
			}
			t = nt
		}
		// Tangent of the reverse pass.
		var dga []float64
		for l := L - 2; l >= 0; l-- {
			dgz := make([]float64, d.sizes[l+1])
			for j, zj := range zs[l] {
				_, s1, s2, _ := d.act.eval(zj)
				v := s2 * ga[l][j] * zd[l][j]
				if dga != nil {
					v += s1 * dga[j]
				}
				dgz[j] = v
			}
			dga = mulT(d.w[l], d.sizes[l], d.sizes[l+1], dgz)
		}
		for r := 0; r < n; r++ {
			v := 0.0
			if dga != nil {
				v = dga[r]
			}
			h[r*n+c] = v
		}
	}
	return nil
}

// CheckFinite returns an error naming the first NaN or ±Inf in data, or nil.
func CheckFinite(name string, data []float64) error {
	for i, v := range data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("ad: %s[%d] = %v is not finite", name, i, v)
		}
	}
	return nil
}
