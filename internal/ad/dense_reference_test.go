package ad

import "fmt"

// The one-point evaluation of a Dense as it was before the batched pass
// (dense_batch.go) took over: plain loops, one point, allocating. It stays
// here as the independent reference the batched pass is tested against.

// refDensePass holds one evaluation: the output and, per hidden layer, σ′ and
// (when asked for) σ″ at the pre-activations.
type refDensePass struct {
	out    []float64
	s1, s2 [][]float64
}

// forward evaluates the network at x, keeping σ′ (ord ≥ 1) and σ″ (ord ≥ 2)
// of every hidden layer.
func (d *Dense) refForward(x []float64, ord int) refDensePass {
	L := len(d.w)
	p := refDensePass{s1: make([][]float64, L-1), s2: make([][]float64, L-1)}
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

// refForwardPoint sets y = f(x) for one point.
func (d *Dense) refForwardPoint(x, y []float64) error {
	if err := d.ready("Forward"); err != nil {
		return err
	}
	if err := d.check("Forward", x, d.In(), y, d.Out()); err != nil {
		return err
	}
	copy(y, d.refForward(x, 0).out)
	return nil
}

// mulT returns g·Wᵀ for W of shape (n, m): a vector of length n.
func refMulT(w []float64, n, m int, g []float64) []float64 {
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
func (d *Dense) refReverse(p refDensePass) (ga [][]float64, gx []float64) {
	L := len(d.w)
	ga = make([][]float64, L-1)
	g := refMulT(d.w[L-1], d.sizes[L-1], d.sizes[L], []float64{1})
	for l := L - 2; l >= 0; l-- {
		ga[l] = append([]float64(nil), g...)
		for j := range g {
			g[j] *= p.s1[l][j]
		}
		g = refMulT(d.w[l], d.sizes[l], d.sizes[l+1], g)
	}
	return ga, g
}

// refInputGradPoint sets g = ∇ₓf for one point.
func (d *Dense) refInputGradPoint(x, g []float64) error {
	if err := d.ready("InputGrad"); err != nil {
		return err
	}
	if d.Out() != 1 {
		return fmt.Errorf("ad: Dense.InputGrad needs a scalar output, network has Out()=%d", d.Out())
	}
	if err := d.check("InputGrad", x, d.In(), g, d.In()); err != nil {
		return err
	}
	_, gx := d.refReverse(d.refForward(x, 1))
	copy(g, gx)
	return nil
}

// refHessianPoint sets h (row-major In()×In()) to ∇ₓ∇ₓᵀf at one point of a network
// with Out()==1, by forward-over-reverse.
func (d *Dense) refHessianPoint(x, h []float64) error {
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
	p := d.refForward(x, 2)
	ga, _ := d.refReverse(p)
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
			dga = refMulT(d.w[l], d.sizes[l], d.sizes[l+1], dgz)
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
