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
	p := b.add(mu, b.had(b.exp(ls), eps))

	h := m.cfg.StepSize
	// Backward in time, the last stage first: leapfrog steps with −h, from
	// data to base.
	for st := m.cfg.Stages - 1; st >= 0 && b.err == nil; st-- {
		V, K := ms[netV(st)], ms[netK(st)]
		gradV := func(x *G.Node) *G.Node { return b.do("∇V", func() (*G.Node, error) { return V.InputGrad(x) }) }
		gradK := func(x *G.Node) *G.Node { return b.do("∇K", func() (*G.Node, error) { return K.InputGrad(x) }) }
		gv := gradV(q)
		for s := 0; s < m.cfg.Leapfrog && b.err == nil; s++ {
			p = b.add(p, b.scale(gv, h/2))
			q = b.sub(q, b.scale(gradK(p), h))
			gv = gradV(q)
			p = b.add(p, b.scale(gv, h/2))
		}
	}
	// B·loss = Σ(−s) − ½Σε² + ½Σ(q₀² + p₀²) + B·(d/2)·log 2π.
	d := float64(m.dim)
	tot := b.sub(b.scale(b.sum(b.square(q)), 0.5), b.sum(ls))
	tot = b.add(tot, b.scale(b.sum(b.square(p)), 0.5))
	tot = b.sub(tot, b.scale(b.sum(b.square(eps)), 0.5))
	loss := b.scale(tot, 1/float64(B))
	return b.add(loss, b.scalar(d/2*log2Pi))
}
