package ad

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Dense is a plain-Go copy of an MLP's parameters that evaluates the network
// and its input derivatives without gorgonia: for rollouts, integrators,
// metrics and plots after training. ForwardBatch, InputGradBatch,
// HessianBatch and JacobianBatch take B points at once, one matrix product a
// layer on the core's GEMM, into the caller's buffers (allocated only when
// nil); Forward, InputGrad and Hessian run the same pass on one point. It is safe for concurrent use
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

// Forward sets y = f(x) for one point; len(x) = In(), len(y) = Out().
func (d *Dense) Forward(x, y []float64) error {
	if err := d.ready("Forward"); err != nil {
		return err
	}
	if err := d.check("Forward", x, d.In(), y, d.Out()); err != nil {
		return err
	}
	d.run(passForward, x, 1, denseOut{y: y})
	return nil
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
	d.run(passGrad, x, 1, denseOut{grad: g})
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
	d.run(passHessian, x, 1, denseOut{hess: h})
	return nil
}
