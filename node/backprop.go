package node

import (
	"github.com/physbias/physbias/internal/ode"
)

// tape records a forward solve for backpropagation through the solver:
// every accepted step's stage states and stage derivatives (memory grows
// with the number of steps), and where each output time was read.
type tape struct {
	tb    *ode.Tableau
	steps []tapeStep
	outs  []tapeOut
}

type tapeStep struct {
	t, h float64
	y, k [][]float64 // stage states Y_i and derivatives k_i (flat states)
	// recs are the fused MLP's records of the stages' evaluations (nil on
	// the gorgonia path, which evaluates f again in its reverse pass).
	recs []*fusedRec
}

type tapeOut struct {
	i, step int
	theta   float64
}

// forwardTape solves sys with tableau tb and records the tape. On the
// fused path every evaluation of f keeps its activations in a record of
// the fused MLP's slab; the record of the last evaluation into a stage's
// buffer (ode.RK evaluates k_i into the same buffer in every step and
// trial) is pinned to the step when the step is accepted, so rejected
// trials reuse theirs.
func forwardTape(sys *system, tb *ode.Tableau, y0, ts []float64, o ode.RKOptions) ([][]float64, ode.Stats, *tape, error) {
	tp := &tape{tb: tb}
	var cur map[*float64]*fusedRec
	if sys.fm != nil {
		sys.fm.reset()
		cur = map[*float64]*fusedRec{}
		rs := *sys
		rs.rec = func(d []float64) *fusedRec {
			r := cur[&d[0]]
			if r == nil || r.pinned {
				if sys.fm.full() {
					delete(cur, &d[0]) // this step keeps nothing
					return sys.fm.tmp
				}
				r = sys.fm.take()
				cur[&d[0]] = r
			}
			return r
		}
		sys = &rs
	}
	hooks := &ode.Hooks{
		Step: func(r *ode.StepRecord) {
			st := tapeStep{t: r.T, h: r.H, y: make([][]float64, len(r.Stages)), k: make([][]float64, len(r.K))}
			for i := range r.Stages {
				st.y[i] = append([]float64(nil), r.Stages[i]...)
				st.k[i] = append([]float64(nil), r.K[i]...)
			}
			if cur != nil {
				// A step whose stages all kept their activations runs its
				// reverse passes from them; past the tape's bound (see
				// tapeBytes) a step evaluates f again in its reverse pass.
				st.recs = make([]*fusedRec, len(r.K))
				for i, k := range r.K {
					if st.recs[i] = cur[&k[0]]; st.recs[i] == nil {
						st.recs = nil
						break
					}
				}
				for _, rc := range st.recs {
					rc.pinned = true
				}
			}
			tp.steps = append(tp.steps, st)
		},
		Output: func(i, step int, theta float64) { tp.outs = append(tp.outs, tapeOut{i, step, theta}) },
	}
	ys, st, err := ode.RK(tb, sys.rhs, y0, ts, o, hooks)
	if err != nil {
		return nil, st, nil, wrapODE(err)
	}
	return ys, st, tp, nil
}

// backward runs the reverse pass of the recorded solve (the discrete
// adjoint of the Runge–Kutta steps, which is what reverse-mode autodiff of
// the unrolled solver computes) for the cotangents cot[i] = ∂L/∂y(ts[i])
// (nil entries are zero). It returns ∂L/∂y0, ∂L/∂θ and ∂L/∂ts[last], and
// the number of vector–Jacobian products it evaluated.
//
// Step sizes chosen by an adaptive controller are treated as constants, as
// autodiff through torchdiffeq's solvers does, except that the last step
// ends at the last time; with fixed steps the steps of the last interval
// scale with its length.
func (tp *tape) backward(sys *system, ts []float64, cot [][]float64, fixed bool, nTheta int) ([]float64, []float64, float64, int, error) {
	N := sys.size()
	lam := make([]float64, N)
	gtheta := make([]float64, nTheta)
	tmpTheta := make([]float64, nTheta)
	ybar := make([]float64, N)
	S := len(tp.tb.B)
	kbar := make([][]float64, S)
	for i := range kbar {
		kbar[i] = make([]float64, N)
	}
	w := make([]float64, S)
	nvjp := 0

	// How each step's start time and size move with the last time T.
	ns := len(tp.steps)
	dtdT, dhdT := make([]float64, ns), make([]float64, ns)
	if fixed {
		j0 := 0
		if len(ts) > 2 {
			for _, o := range tp.outs {
				if o.i == len(ts)-2 {
					j0 = o.step + 1
				}
			}
		}
		n := float64(ns - j0)
		for j := j0; j < ns; j++ {
			dtdT[j], dhdT[j] = float64(j-j0)/n, 1/n
		}
	} else if ns > 0 {
		dhdT[ns-1] = 1
	}
	var Tbar float64

	outsAt := map[int][]tapeOut{}
	for _, o := range tp.outs {
		outsAt[o.step] = append(outsAt[o.step], o)
	}
	add := func(dst []float64, s float64, src []float64) {
		for c := range dst {
			dst[c] += s * src[c]
		}
	}
	for j := ns - 1; j >= 0; j-- {
		st := tp.steps[j]
		h := st.h
		for i := range kbar {
			clear(kbar[i])
		}
		// Outputs read from this step: its end (θ = 1) adds to λ, which
		// is ∂L/∂y_{j+1}; a dense output y_j + hΣw_i(θ)k_i adds to the
		// stage cotangents and, after the step, to ∂L/∂y_j.
		var dense []float64
		for _, o := range outsAt[j] {
			if cot[o.i] == nil {
				continue
			}
			if o.theta == 1 {
				add(lam[:len(cot[o.i])], 1, cot[o.i])
				continue
			}
			tp.tb.DenseWeights(o.theta, w)
			for i := range w {
				add(kbar[i][:len(cot[o.i])], h*w[i], cot[o.i])
			}
			if dense == nil {
				dense = make([]float64, N)
			}
			add(dense[:len(cot[o.i])], 1, cot[o.i])
		}
		// y_{j+1} = y_j + h Σ B_i k_i.
		for i, b := range tp.tb.B {
			if b != 0 {
				add(kbar[i], h*b, lam)
				if dhdT[j] != 0 {
					Tbar += dhdT[j] * b * dot(lam, st.k[i])
				}
			}
		}
		// Stages in reverse: Y_i = y_j + h Σ_{r<i} A[i][r] k_r,
		// k_i = f(t_j + C[i]·h, Y_i).
		for i := S - 1; i >= 0; i-- {
			if zero(kbar[i]) {
				continue
			}
			var tbar float64
			if st.recs != nil {
				// The fused MLP adds its ∂θ to gtheta itself.
				tbar = sys.fm.backward(st.recs[i], kbar[i], ybar, gtheta)
			} else {
				var err error
				if tbar, err = sys.vjp(st.t+tp.tb.C[i]*h, st.y[i], kbar[i], ybar, tmpTheta, nil); err != nil {
					return nil, nil, 0, nvjp, err
				}
				add(gtheta, 1, tmpTheta)
			}
			nvjp++
			add(lam, 1, ybar)
			Tbar += tbar * (dtdT[j] + tp.tb.C[i]*dhdT[j])
			for r, a := range tp.tb.A[i] {
				if a != 0 {
					add(kbar[r], h*a, ybar)
					if dhdT[j] != 0 {
						Tbar += dhdT[j] * a * dot(ybar, st.k[r])
					}
				}
			}
		}
		if dense != nil {
			add(lam, 1, dense)
		}
	}
	if cot[0] != nil {
		add(lam[:len(cot[0])], 1, cot[0])
	}
	return lam, gtheta, Tbar, nvjp, nil
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func zero(a []float64) bool {
	for _, v := range a {
		if v != 0 {
			return false
		}
	}
	return true
}
