package lnn

import "math"

// jacNet is a plain-Go softplus MLP that evaluates its output and its
// Jacobian with respect to the inputs by forward tangents, for the DeLaN
// Cholesky network in rollouts (internal/ad's Dense gives only scalar-output
// gradients and Hessians).
type jacNet struct {
	sizes []int
	w, b  [][]float64 // w[l] row-major (sizes[l], sizes[l+1])
}

// newJacNet splits theta, laid out W0, b0, W1, b1, … row-major, into layers.
func newJacNet(sizes []int, theta []float64) *jacNet {
	n := &jacNet{sizes: sizes}
	off := 0
	for l := 0; l+1 < len(sizes); l++ {
		fi, fo := sizes[l], sizes[l+1]
		n.w = append(n.w, theta[off:off+fi*fo])
		off += fi * fo
		n.b = append(n.b, theta[off:off+fo])
		off += fo
	}
	return n
}

func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// eval returns f(x) (Out values) and the Jacobian ∂f/∂x (Out×In, row-major).
func (n *jacNet) eval(x []float64) (y, jac []float64) {
	in, L := n.sizes[0], len(n.w)
	a := x
	var t []float64 // input tangents of a: identity at the input
	for l := 0; l < L; l++ {
		fo := n.sizes[l+1]
		z, zt := n.affine(l, a, t)
		if l == L-1 {
			jac = make([]float64, fo*in)
			for i := 0; i < in; i++ {
				for j := 0; j < fo; j++ {
					jac[j*in+i] = zt[i*fo+j]
				}
			}
			return z, jac
		}
		a = make([]float64, fo)
		for j, zj := range z {
			a[j] = softplus(zj)
			s := sigmoid(zj)
			for i := 0; i < in; i++ {
				zt[i*fo+j] *= s
			}
		}
		t = zt
	}
	return nil, nil
}

// affine returns the pre-activations z = b_l + a·W_l of layer l and their
// input tangents zt = t·W_l (row i: along input i), t being the input
// tangents of a (in × sizes[l]; nil for the identity, at the input).
func (n *jacNet) affine(l int, a, t []float64) (z, zt []float64) {
	in := n.sizes[0]
	fi, fo := n.sizes[l], n.sizes[l+1]
	z = append([]float64(nil), n.b[l]...)
	zt = make([]float64, in*fo)
	for k := 0; k < fi; k++ {
		row := n.w[l][k*fo : (k+1)*fo]
		ak := a[k]
		for j, v := range row {
			z[j] += ak * v
		}
		for i := 0; i < in; i++ {
			var tk float64
			switch {
			case t != nil:
				tk = t[i*fi+k]
			case i == k:
				tk = 1
			}
			if tk == 0 {
				continue
			}
			zr := zt[i*fo : (i+1)*fo]
			for j, v := range row {
				zr[j] += tk * v
			}
		}
	}
	return z, zt
}

// act returns softplus(z), its slope σ(z) and curvature σ(z)(1−σ(z)) from
// one exponential.
func act(z float64) (sp, s1, s2 float64) {
	e := math.Exp(-math.Abs(z))
	sp = math.Log1p(e)
	if z > 0 {
		sp += z
		s1 = 1 / (1 + e)
	} else {
		s1 = e / (1 + e)
	}
	return sp, s1, s1 * (1 - s1)
}

// gradHess writes the input gradient g (In values) and Hessian h (In×In,
// row-major) of a scalar-output network at x, by one forward pass with
// input tangents and the tangent of the reverse pass (forward-over-reverse):
//
//	g_z = g_a ⊙ σ′(z),  ġ_z = ġ_a ⊙ σ′(z) + g_a ⊙ σ″(z) ⊙ ż,  ġ_a = W ġ_z.
//
// It is the LNN's rollout path: each unit's σ, σ′ and σ″ come from one
// exponential (internal/ad's Dense evaluates them once per derivative
// pass). Tested against ad.Dense.
func (n *jacNet) gradHess(x, g, h []float64) {
	in, L := n.sizes[0], len(n.w)
	type layer struct{ s1, s2, zt []float64 } // σ′, σ″, tangents ż (in × width)
	hid := make([]layer, L-1)
	a := x
	var t []float64 // input tangents of a: identity at the input
	for l := 0; l < L-1; l++ {
		fo := n.sizes[l+1]
		z, zt := n.affine(l, a, t)
		ly := layer{s1: make([]float64, fo), s2: make([]float64, fo), zt: zt}
		na := make([]float64, fo)
		nt := make([]float64, in*fo)
		for j, zj := range z {
			na[j], ly.s1[j], ly.s2[j] = act(zj)
			for i := 0; i < in; i++ {
				nt[i*fo+j] = ly.s1[j] * zt[i*fo+j]
			}
		}
		hid[l] = ly
		a, t = na, nt
	}
	// Reverse pass and its tangents. ga: cotangent of the activations of
	// the current hidden layer; gat: its tangents (in × width).
	last := L - 1
	ga := make([]float64, n.sizes[last])
	copy(ga, n.w[last]) // W_last is (width, 1): ga = W·1
	gat := make([]float64, in*n.sizes[last])
	for l := L - 2; l >= 0; l-- {
		w := n.sizes[l+1]
		ly := hid[l]
		gz := make([]float64, w)
		gzt := make([]float64, in*w)
		for j := 0; j < w; j++ {
			gz[j] = ga[j] * ly.s1[j]
			c := ga[j] * ly.s2[j]
			for i := 0; i < in; i++ {
				gzt[i*w+j] = gat[i*w+j]*ly.s1[j] + c*ly.zt[i*w+j]
			}
		}
		// ga ← W_l gz, gat ← W_l gzt (W_l is (sizes[l], w)).
		p := n.sizes[l]
		ga = make([]float64, p)
		gat = make([]float64, in*p)
		for k := 0; k < p; k++ {
			row := n.w[l][k*w : (k+1)*w]
			s := 0.0
			for j, v := range row {
				s += v * gz[j]
			}
			ga[k] = s
			for i := 0; i < in; i++ {
				gr := gzt[i*w : (i+1)*w]
				s := 0.0
				for j, v := range row {
					s += v * gr[j]
				}
				gat[i*p+k] = s
			}
		}
	}
	copy(g, ga)
	// gat[i*in+k] = ∂²f/∂x_i∂x_k.
	copy(h, gat)
}
