package pinn

import (
	"math"

	"github.com/physbias/physbias/internal/fail"
)

// factorKind is how one coordinate enters the distance function d of the
// hard-constraint transform u = g + d·N.
type factorKind int

const (
	noFactor    factorKind = iota // φ = 1
	bothFactor                    // φ = 4(p−lo)(hi−p)/w², zero on both faces
	lowerFactor                   // φ = (p−lo)/w, zero on the lower face (or t = t₀)
	upperFactor                   // φ = (hi−p)/w, zero on the upper face
)

// hardForm is the output transform u = g(p) + d(p)·N(p) with
// d(p) = Π_i φ_i(p_i): d vanishes on every Dirichlet face and at t = t₀ if
// there is an initial condition, and is positive inside.
type hardForm struct {
	dom  Domain
	kind []factorKind // per input index
	lift func(p []float64) float64
}

// newHardForm builds the transform for p; it checks that the lift meets
// every Dirichlet and initial value on sampled face points.
func newHardForm(p *Problem, sets []condSet) (h *hardForm, err error) {
	defer fail.Recover(&err, "pinn", "Problem.Lift")
	n := p.Domain.Dim()
	h = &hardForm{dom: p.Domain, kind: make([]factorKind, n)}
	lower := make([]bool, n)
	upper := make([]bool, n)
	var initial *Condition
	for i := range p.Conditions {
		c := &p.Conditions[i]
		switch c.Kind {
		case Dirichlet:
			for _, up := range c.sides() {
				if up {
					upper[c.Dim] = true
				} else {
					lower[c.Dim] = true
				}
			}
		case Initial:
			lower[p.Domain.TimeIndex()] = true
			if initial == nil {
				initial = c
			}
		}
	}
	for i := 0; i < n; i++ {
		switch {
		case lower[i] && upper[i]:
			h.kind[i] = bothFactor
		case lower[i]:
			h.kind[i] = lowerFactor
		case upper[i]:
			h.kind[i] = upperFactor
		}
	}
	h.lift = p.Lift
	if h.lift == nil {
		if initial != nil {
			t0, ti := p.Domain.Time.Lo, p.Domain.TimeIndex()
			ic := *initial
			h.lift = func(q []float64) float64 {
				r := append([]float64(nil), q...)
				r[ti] = t0
				return ic.value(r)
			}
		} else {
			h.lift = func([]float64) float64 { return 0 }
		}
	}
	// The lift must meet the conditions it replaces.
	for _, s := range sets {
		if s.kind != Dirichlet && s.kind != Initial {
			continue
		}
		for k, q := range s.pts {
			g := h.lift(q)
			if math.IsNaN(g) || math.IsInf(g, 0) {
				return nil, errorf(ErrNotFinite, "hard constraints: Lift is %v at %v", g, q)
			}
			if d := math.Abs(g - s.vals[k]); d > 1e-8*(1+math.Abs(s.vals[k])) {
				return nil, errorf(ErrInput, "hard constraints: Lift(%v) = %v but the %v condition %d wants %v; set Problem.Lift to a function that meets every Dirichlet and initial value",
					q, g, s.kind, s.cond, s.vals[k])
			}
		}
	}
	return h, nil
}

// phi returns φ_i, φ_i′ and φ_i″ at coordinate v of input i.
func (h *hardForm) phi(i int, v float64) (f, d1, d2 float64) {
	iv := h.dom.interval(i)
	w := iv.Width()
	switch h.kind[i] {
	case bothFactor:
		return 4 * (v - iv.Lo) * (iv.Hi - v) / (w * w), 4 * (iv.Hi + iv.Lo - 2*v) / (w * w), -8 / (w * w)
	case lowerFactor:
		return (v - iv.Lo) / w, 1 / w, 0
	case upperFactor:
		return (iv.Hi - v) / w, -1 / w, 0
	}
	return 1, 0, 0
}

// cols are the values of d and g and their derivatives at a point set.
type cols struct {
	d, g           []float64
	dFirst, gFirst map[int][]float64
	dSec, gSec     map[[2]int][]float64
}

// columns evaluates d and g (with every first derivative if first, and the
// second derivatives in sec) at pts. d's derivatives are exact; g's come
// from 4th-order central differences with step 2e-3 times the width of
// each interval (error ~1e-10 for smooth lifts such as sin πx; mixed
// derivatives use a 2nd-order stencil with step 1e-4 of the widths). The
// lift must therefore be smooth and defined a little beyond the domain.
func (h *hardForm) columns(pts [][]float64, first bool, sec [][2]int) (_ *cols, err error) {
	defer fail.Recover(&err, "pinn", "Problem.Lift")
	n := h.dom.Dim()
	B := len(pts)
	c := &cols{d: make([]float64, B), g: make([]float64, B),
		dFirst: map[int][]float64{}, gFirst: map[int][]float64{},
		dSec: map[[2]int][]float64{}, gSec: map[[2]int][]float64{}}
	if first {
		for i := 0; i < n; i++ {
			c.dFirst[i], c.gFirst[i] = make([]float64, B), make([]float64, B)
		}
	}
	for _, ij := range sec {
		c.dSec[ij], c.gSec[ij] = make([]float64, B), make([]float64, B)
	}
	f := make([]float64, n)
	f1 := make([]float64, n)
	f2 := make([]float64, n)
	q := make([]float64, n)
	g := func(q []float64) (float64, error) {
		v := h.lift(q)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, errorf(ErrNotFinite, "hard constraints: Lift is %v at %v", v, q)
		}
		return v, nil
	}
	// shifted evaluates g at p + a·h_i e_i + b·h_j e_j, with h_k = rel times
	// the width of input k.
	rel := 2e-3
	shifted := func(p []float64, i int, a float64, j int, b float64) (float64, error) {
		copy(q, p)
		q[i] += a * rel * h.dom.interval(i).Width()
		if j >= 0 {
			q[j] += b * rel * h.dom.interval(j).Width()
		}
		return g(q)
	}
	prodExcept := func(i, j int) float64 {
		r := 1.0
		for k := range f {
			if k != i && k != j {
				r *= f[k]
			}
		}
		return r
	}
	for b, p := range pts {
		for i := 0; i < n; i++ {
			f[i], f1[i], f2[i] = h.phi(i, p[i])
		}
		c.d[b] = prodExcept(-1, -1)
		g0, err := g(p)
		if err != nil {
			return nil, err
		}
		c.g[b] = g0
		if first {
			for i := 0; i < n; i++ {
				c.dFirst[i][b] = f1[i] * prodExcept(i, -1)
				var s [4]float64
				for k, a := range []float64{-2, -1, 1, 2} {
					if s[k], err = shifted(p, i, a, -1, 0); err != nil {
						return nil, err
					}
				}
				hi := 2e-3 * h.dom.interval(i).Width()
				c.gFirst[i][b] = (s[0] - 8*s[1] + 8*s[2] - s[3]) / (12 * hi)
			}
		}
		for _, ij := range sec {
			i, j := ij[0], ij[1]
			hi := 2e-3 * h.dom.interval(i).Width()
			if i == j {
				c.dSec[ij][b] = f2[i] * prodExcept(i, -1)
				var s [4]float64
				for k, a := range []float64{-2, -1, 1, 2} {
					if s[k], err = shifted(p, i, a, -1, 0); err != nil {
						return nil, err
					}
				}
				c.gSec[ij][b] = (-s[0] + 16*s[1] - 30*g0 + 16*s[2] - s[3]) / (12 * hi * hi)
				continue
			}
			// Mixed: the 2nd-order cross stencil with a smaller step,
			// 1e-4 of each width (truncation ~1e-8, round-off ~1e-8).
			c.dSec[ij][b] = f1[i] * f1[j] * prodExcept(i, j)
			rel = 1e-4
			hi, hj := rel*h.dom.interval(i).Width(), rel*h.dom.interval(j).Width()
			var s [4]float64
			for k, ab := range [][2]float64{{1, 1}, {1, -1}, {-1, 1}, {-1, -1}} {
				if s[k], err = shifted(p, i, ab[0], j, ab[1]); err != nil {
					return nil, err
				}
			}
			rel = 2e-3
			c.gSec[ij][b] = (s[0] - s[1] - s[2] + s[3]) / (4 * hi * hj)
		}
	}
	return c, nil
}
