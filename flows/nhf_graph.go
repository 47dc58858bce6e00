package flows

import (
	G "gorgonia.org/gorgonia"
)

// lossGraph builds the NHF's negative evidence lower bound, averaged over
// the B points of the batch q with encoder noise eps (both (B, Dim)):
//
//	p = μ(q) + e^{s(q)} ⊙ ε,            log f(p|q) = Σ(−s − ε²/2) − (d/2) log 2π,
//	(q₀, p₀) = leapfrog⁻¹(q, p),        log p(q, p) = −½Σ(q₀² + p₀²) − d log 2π,
//	loss = mean over the batch of log f(p|q) − log p(q, p).
func (m *NHF) lossGraph(b *gb, ms []*gnet, q, eps *G.Node, B int) *G.Node {
	mu := b.do("encoder mean", func() (*G.Node, error) { return ms[netMean].Forward(q) })
	ls := b.do("encoder log std", func() (*G.Node, error) { return ms[netLogStd].Forward(q) })
	p := b.Add(mu, b.HadamardProd(b.Exp(ls), eps))

	h := m.cfg.StepSize
	// Backward in time, the last stage first: leapfrog steps with −h, from
	// data to base.
	for st := m.cfg.Stages - 1; st >= 0 && b.Err() == nil; st-- {
		V, K := ms[netV(st)], ms[netK(st)]
		gradV := func(x *G.Node) *G.Node { return b.do("∇V", func() (*G.Node, error) { return V.InputGrad(x) }) }
		gradK := func(x *G.Node) *G.Node { return b.do("∇K", func() (*G.Node, error) { return K.InputGrad(x) }) }
		gv := gradV(q)
		for s := 0; s < m.cfg.Leapfrog && b.Err() == nil; s++ {
			p = b.Add(p, b.Scale(h/2, gv))
			q = b.Sub(q, b.Scale(h, gradK(p)))
			gv = gradV(q)
			p = b.Add(p, b.Scale(h/2, gv))
		}
	}
	// B·loss = Σ(−s) − ½Σε² + ½Σ(q₀² + p₀²) + B·(d/2)·log 2π.
	d := float64(m.dim)
	tot := b.Sub(b.Scale(0.5, b.Sum(b.Square(q))), b.Sum(ls))
	tot = b.Add(tot, b.Scale(0.5, b.Sum(b.Square(p))))
	tot = b.Sub(tot, b.Scale(0.5, b.Sum(b.Square(eps))))
	loss := b.Scale(1/float64(B), tot)
	return b.Add(loss, b.Scalar(d/2*log2Pi))
}
