package pinn

import (
	"math"

	"github.com/physbias/physbias/internal/build"
	"github.com/physbias/physbias/internal/grad"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The periodic embedding on the fused MLP path: the features h(s) of the
// scaled points are constants of the points, so the network's derivatives
// with respect to its inputs (the fused gradient and Hessian blocks of
// internal/ad) give u's by the chain rule with exact constant factors:
//
//	∂u/∂s_i   = Σ_f N_f h_f′,
//	∂²u/∂s_i² = Σ_{f,g} N_fg h_f′ h_g′ + Σ_f N_f h_f″,
//
// the sums over the features that depend on s_i (each depends on one).

// fusedEmbedding reports whether the model runs the embedding on the fused
// path (a periodic embedding, no random features, the plain MLP).
func (c Config) fusedEmbedding() bool {
	return len(c.Fourier.Periodic) > 0 && c.Fourier.Features == 0 && c.Architecture == MLP
}

// featureDerivs returns, for the scaled point s and input i, h(s) and
// ∂h/∂s_i and ∂²h/∂s_i² for every feature.
func (e *embedding) featureDerivs(s []float64, i int) (d1, d2 []float64) {
	nf := len(e.trig)
	d1, d2 = make([]float64, nf), make([]float64, nf)
	for f := 0; f < nf; f++ {
		if !e.trig[f] {
			if e.raw[f] == i {
				d1[f] = 1
			}
			continue
		}
		w := e.p[i*nf+f]
		if w == 0 {
			continue
		}
		var z float64
		for k := 0; k < e.in; k++ {
			z += s[k] * e.p[k*nf+f]
		}
		z += e.phase[f]
		d1[f] = -w * math.Sin(z)
		d2[f] = -w * w * math.Cos(z)
	}
	return d1, d2
}

// dependsOn returns the features that depend on input i.
func (e *embedding) dependsOn(i int) []int {
	nf := len(e.trig)
	var out []int
	for f := 0; f < nf; f++ {
		if (!e.trig[f] && e.raw[f] == i) || (e.trig[f] && e.p[i*nf+f] != 0) {
			out = append(out, f)
		}
	}
	return out
}

// embeddedJet builds u and its derivatives (with respect to the scaled
// inputs) for the fused MLP on the embedded points.
func (m *Model) embeddedJet(b *build.B, s *state, pts [][]float64, first bool, pure []int, mixed [][2]int) (*jet, error) {
	e := m.emb
	n, dim, nf := len(pts), len(m.a), e.width()
	sc := make([][]float64, n)
	feats := make([]float64, 0, n*nf)
	h := make([]float64, nf)
	for k, p := range pts {
		sc[k] = make([]float64, dim)
		m.scale(sc[k], p)
		e.apply(h, sc[k])
		feats = append(feats, h...)
	}
	x := b.Constant(feats, n, nf)
	if err := b.Err(); err != nil {
		return nil, err
	}
	u, err := s.net.Forward(x)
	if err != nil {
		return nil, wrap(err, "network")
	}
	j := &jet{u: u, first: map[int]*G.Node{}, sec: map[[2]int]*G.Node{}}
	if !first && len(pure) == 0 && len(mixed) == 0 {
		return j, nil
	}
	g, err := s.net.InputGrad(x) // (B, nf)
	if err != nil {
		return nil, wrap(err, "network gradient")
	}
	ones := func(k int) *G.Node {
		o := make([]float64, k)
		for i := range o {
			o[i] = 1
		}
		return b.Constant(o, k, 1)
	}
	d1 := make([][]float64, dim) // d1[i] = (B, nf) of ∂h/∂s_i
	d2 := make([][]float64, dim)
	for i := 0; i < dim; i++ {
		d1[i], d2[i] = make([]float64, 0, n*nf), make([]float64, 0, n*nf)
		for k := range pts {
			a, c := e.featureDerivs(sc[k], i)
			d1[i] = append(d1[i], a...)
			d2[i] = append(d2[i], c...)
		}
	}
	// weighted sums Σ_f g_f·c_f of the gradient's columns, as (B, 1).
	dot := func(c []float64) *G.Node {
		return b.Mul(b.HadamardProd(g, b.Constant(c, n, nf)), ones(nf))
	}
	for i := 0; i < dim; i++ {
		j.first[i] = dot(d1[i])
	}
	block := func(i, k int) (*G.Node, error) {
		ri, rk := e.dependsOn(i), e.dependsOn(k)
		hb, err := s.net.HessianBlock(x, ri, rk) // (B, |ri|, |rk|)
		if err != nil {
			return nil, wrap(err, "network Hessian")
		}
		flat, err := grad.Reshape(hb, tensor.Shape{n, len(ri) * len(rk)})
		if err != nil {
			return nil, wrap(err, "network Hessian")
		}
		c := make([]float64, 0, n*len(ri)*len(rk))
		for b := 0; b < n; b++ {
			for _, f := range ri {
				for _, q := range rk {
					c = append(c, d1[i][b*nf+f]*d1[k][b*nf+q])
				}
			}
		}
		return b.Mul(b.HadamardProd(flat, b.Constant(c, n, len(ri)*len(rk))), ones(len(ri)*len(rk))), nil
	}
	for _, i := range pure {
		q, err := block(i, i)
		if err != nil {
			return nil, err
		}
		j.sec[[2]int{i, i}] = b.Add(q, dot(d2[i]))
	}
	for _, ik := range mixed {
		q, err := block(ik[0], ik[1])
		if err != nil {
			return nil, err
		}
		j.sec[ik] = q
	}
	return j, b.Err()
}
