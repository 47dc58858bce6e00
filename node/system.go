package node

// system is the ODE a kernel (or the fused MLP) defines for the solvers on
// a flat state: the batch's states y (B·n, row per sample) followed by the
// integrals of the terms (B·m, m per sample), at solver time τ; sample b
// sees the network time off[b] + τ.
type system struct {
	k       *kernel // the gorgonia kernel, or nil on the fused path
	fm      *fused  // the fused MLP and its terms, or nil
	B, n, m int
	off     []float64 // per-sample start times; nil means 0
	// rec, when not nil, gives the record a fused evaluation into d keeps
	// (backprop's tape); nil means fm's scratch record.
	rec func(d []float64) *fusedRec
}

func newSystem(k *kernel, off []float64) *system {
	return &system{k: k, B: k.B, n: k.n, m: len(k.terms), off: off}
}

// newFusedSystem returns the system of the fused MLP fm and its terms.
func newFusedSystem(fm *fused, off []float64) *system {
	return &system{fm: fm, B: fm.B, n: fm.n, m: len(fm.list), off: off}
}

// setEps sets the Hutchinson probe (B×n) of the terms that take one; it
// does nothing when eps is nil or no term takes it.
func (s *system) setEps(eps []float64) {
	switch {
	case eps == nil:
	case s.fm != nil && s.fm.eps != nil:
		copy(s.fm.eps, eps)
	case s.k != nil && s.k.eps != nil:
		copy(s.k.eps, eps)
	}
}

// size is the length of the flat state.
func (s *system) size() int { return s.B * (s.n + s.m) }

// ny is the length of the y part.
func (s *system) ny() int { return s.B * s.n }

func (s *system) setInputs(tau float64, y []float64) {
	copy(s.k.y, y[:s.ny()])
	for b := range s.k.t {
		s.k.t[b] = tau
		if s.off != nil {
			s.k.t[b] += s.off[b]
		}
	}
}

// rhs writes d/dτ of the flat state.
func (s *system) rhs(tau float64, y, d []float64) error {
	if s.fm != nil {
		r := s.fm.tmp
		if s.rec != nil {
			r = s.rec(d)
		}
		s.fm.forward(tau, s.off, y, d, r)
		return nil
	}
	s.setInputs(tau, y)
	if err := s.k.forward(); err != nil {
		return err
	}
	s.read(d)
	return nil
}

// read copies f and the terms of the last run into d.
func (s *system) read(d []float64) {
	copy(d[:s.ny()], s.k.f())
	for i := 0; i < s.m; i++ {
		tv := s.k.termValues(i)
		for b := 0; b < s.B; b++ {
			d[s.ny()+b*s.m+i] = tv[b]
		}
	}
}

// vjp evaluates, at (τ, y), the products of the cotangent cot (flat, as
// the state) with the Jacobians of the right-hand side: it writes
// cotᵀ∂rhs/∂y into ybar (the terms' part is 0: nothing depends on it),
// cotᵀ∂rhs/∂θ into gtheta (overwritten), the right-hand side itself into d
// when d is not nil, and returns cotᵀ∂rhs/∂τ.
func (s *system) vjp(tau float64, y, cot, ybar, gtheta, d []float64) (float64, error) {
	ny := s.ny()
	if s.fm != nil {
		out := d
		if out == nil {
			out = s.fm.out
		}
		s.fm.forward(tau, s.off, y, out, s.fm.tmp)
		clear(gtheta)
		tbar := s.fm.backward(s.fm.tmp, cot, ybar, gtheta)
		return tbar, nil
	}
	s.setInputs(tau, y)
	copy(s.k.a, cot[:ny])
	for i := 0; i < s.m; i++ {
		for b := 0; b < s.B; b++ {
			s.k.ae[i][b] = cot[ny+b*s.m+i]
		}
	}
	if err := s.k.backward(); err != nil {
		return 0, err
	}
	copy(ybar[:ny], data(s.k.gyV))
	clear(ybar[ny:])
	off := 0
	for _, v := range s.k.gpV {
		g := data(v)
		copy(gtheta[off:off+len(g)], g)
		off += len(g)
	}
	if d != nil {
		s.read(d)
	}
	tbar := 0.0
	for _, v := range data(s.k.gtV) {
		tbar += v
	}
	return tbar, nil
}
