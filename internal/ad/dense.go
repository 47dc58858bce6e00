package ad

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Dense is a plain-Go copy of an MLP's parameters that evaluates the network
// and its input derivatives without gorgonia: for rollouts, integrators,
// metrics and plots after training. Forward, InputGrad and Hessian take one
// point; ForwardBatch, InputGradBatch, HessianBatch and JacobianBatch take B
// points at once, one matrix product a layer on the core's GEMM, into the
// caller's buffers (allocated only when nil). It is safe for concurrent use
// by several goroutines (scratch space comes from a pool).
type Dense struct {
	sizes []int
	act   Activation
	w     [][]float64 // w[l] row-major (sizes[l], sizes[l+1])
	b     [][]float64
}

// Snapshot copies the current parameter values of m into a Dense.
func (m *MLP) Snapshot() (*Dense, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
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
// (sizes[l], sizes[l+1]) and b[l] of length sizes[l+1], all finite. The
// slices are copied.
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
		if err := CheckFinite(fmt.Sprintf("NewDense: W%d", l), w[l]); err != nil {
			return nil, err
		}
		if err := CheckFinite(fmt.Sprintf("NewDense: b%d", l), b[l]); err != nil {
			return nil, err
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

// In returns the input width (0 for a Dense not made by NewDense or
// Snapshot).
func (d *Dense) In() int {
	if d == nil || len(d.sizes) == 0 {
		return 0
	}
	return d.sizes[0]
}

// Out returns the output width (0 for a Dense not made by NewDense or
// Snapshot).
func (d *Dense) Out() int {
	if d == nil || len(d.sizes) == 0 {
		return 0
	}
	return d.sizes[len(d.sizes)-1]
}

// ready returns an error for a nil or zero-value Dense.
func (d *Dense) ready(what string) error {
	if d == nil || len(d.w) == 0 {
		return fmt.Errorf("ad: Dense.%s: Dense is nil or empty: make it with NewDense or MLP.Snapshot", what)
	}
	return nil
}

func (d *Dense) check(what string, x []float64, nx int, y []float64, ny int) error {
	if len(x) != nx {
		return fmt.Errorf("ad: Dense.%s: input has length %d, want %d", what, len(x), nx)
	}
	if len(y) != ny {
		return fmt.Errorf("ad: Dense.%s: output has length %d, want %d", what, len(y), ny)
	}
	return nil
}

// densePass holds one evaluation: the output and, per hidden layer, σ′ and
// (when asked for) σ″ at the pre-activations.
type densePass struct {
	out    []float64
	s1, s2 [][]float64
}

// forward evaluates the network at x, keeping σ′ (ord ≥ 1) and σ″ (ord ≥ 2)
// of every hidden layer.
func (d *Dense) forward(x []float64, ord int) densePass {
	L := len(d.w)
	p := densePass{s1: make([][]float64, L-1), s2: make([][]float64, L-1)}
	a := x
	for l, w := range d.w {
		n, m := d.sizes[l], d.sizes[l+1]
		z := append([]float64(nil), d.b[l]...)
		for i := 0; i < n; i++ {
			ai := a[i]
			if ai == 0 {
				continue
			}
			for j, v := range w[i*m : (i+1)*m] {
				z[j] += ai * v
			}
		}
		if l == L-1 {
			p.out = z
			break
		}
		if ord >= 1 {
			p.s1[l] = make([]float64, m)
		}
		if ord >= 2 {
			p.s2[l] = make([]float64, m)
		}
		for j, zj := range z { // z becomes the activation in place
			v, d1, d2, _ := d.act.eval(zj)
			z[j] = v
			if ord >= 1 {
				p.s1[l][j] = d1
			}
			if ord >= 2 {
				p.s2[l][j] = d2
			}
		}
		a = z
	}
	return p
}

// Forward sets y = f(x) for one point; len(x) = In(), len(y) = Out().
func (d *Dense) Forward(x, y []float64) error {
	if err := d.ready("Forward"); err != nil {
		return err
	}
	if err := d.check("Forward", x, d.In(), y, d.Out()); err != nil {
		return err
	}
	copy(y, d.forward(x, 0).out)
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

// reverse runs the reverse pass from the scalar output and returns, per
// hidden layer, the cotangent of its activation, and the input gradient.
func (d *Dense) reverse(p densePass) (ga [][]float64, gx []float64) {
	L := len(d.w)
	ga = make([][]float64, L-1)
	g := mulT(d.w[L-1], d.sizes[L-1], d.sizes[L], []float64{1})
	for l := L - 2; l >= 0; l-- {
		ga[l] = append([]float64(nil), g...)
		for j := range g {
			g[j] *= p.s1[l][j]
		}
		g = mulT(d.w[l], d.sizes[l], d.sizes[l+1], g)
	}
	return ga, g
}

// InputGrad sets g = ∇ₓf for one point of a network with Out()==1.
func (d *Dense) InputGrad(x, g []float64) error {
	if err := d.ready("InputGrad"); err != nil {
		return err
	}
	if d.Out() != 1 {
		return fmt.Errorf("ad: Dense.InputGrad needs a scalar output, network has Out()=%d", d.Out())
	}
	if err := d.check("InputGrad", x, d.In(), g, d.In()); err != nil {
		return err
	}
	_, gx := d.reverse(d.forward(x, 1))
	copy(g, gx)
	return nil
}

// Hessian sets h (row-major In()×In()) to ∇ₓ∇ₓᵀf at one point of a network
// with Out()==1, by forward-over-reverse.
func (d *Dense) Hessian(x, h []float64) error {
	if err := d.ready("Hessian"); err != nil {
		return err
	}
	if d.Out() != 1 {
		return fmt.Errorf("ad: Dense.Hessian needs a scalar output, network has Out()=%d", d.Out())
	}
	n := d.In()
	if err := d.check("Hessian", x, n, h, n*n); err != nil {
		return err
	}
	p := d.forward(x, 2)
	ga, _ := d.reverse(p)
	L := len(d.w)
	zd := make([][]float64, L-1)
	for c := 0; c < n; c++ {
		// Forward tangents along e_c: ż_l per hidden layer.
		if L > 1 {
			t := append([]float64(nil), d.w[0][c*d.sizes[1]:(c+1)*d.sizes[1]]...)
			for l := 0; l < L-1; l++ {
				zd[l] = t
				if l == L-2 {
					break
				}
				m := d.sizes[l+2]
				nt := make([]float64, m)
				for i, ti := range t {
					a := p.s1[l][i] * ti
					if a == 0 {
						continue
					}
					for j, v := range d.w[l+1][i*m : (i+1)*m] {
						nt[j] += a * v
					}
				}
				t = nt
			}
		}
		// Tangent of the reverse pass.
		var dga []float64
		for l := L - 2; l >= 0; l-- {
			dgz := make([]float64, d.sizes[l+1])
			for j := range dgz {
				v := p.s2[l][j] * ga[l][j] * zd[l][j]
				if dga != nil {
					v += p.s1[l][j] * dga[j]
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
