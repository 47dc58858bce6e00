package ode

import (
	"fmt"
	"math"
)

// FuncE is a right-hand side that can fail: it writes dy/dt at (t, y) into
// dydt (len(y)) and returns nil, or an error that stops the solve ([RK]
// returns it wrapped in a [*FuncError]). It must not keep y or dydt.
type FuncE func(t float64, y, dydt []float64) error

// FuncError is the error [RK] returns when the right-hand side fails: the
// time of the failing evaluation and the error f returned, which errors.Is
// and errors.As see through Unwrap.
type FuncError struct {
	T   float64
	Err error
}

func (e *FuncError) Error() string {
	return fmt.Sprintf("ode: right-hand side failed at t=%g: %v", e.T, e.Err)
}

// Unwrap returns the error f returned.
func (e *FuncError) Unwrap() error { return e.Err }

// RKOptions configures [RK]. Exactly one of the two modes is chosen: Dt > 0
// gives fixed steps; Dt == 0 gives adaptive steps, which need the tableau's
// error estimate and both tolerances (there is no default accuracy).
type RKOptions struct {
	// Dt is the fixed step size: each interval between consecutive output
	// times is split into ⌈|Δt|/Dt⌉ equal steps, so every output time is
	// the end of a step. 0 selects adaptive steps.
	Dt float64
	// RTol and ATol are the adaptive mode's relative and absolute
	// tolerances of the local error, both required and positive there and
	// not allowed with Dt > 0.
	RTol, ATol float64
	// FirstStep is the size of the first adaptive trial step; 0 means
	// Hairer's automatic guess (one extra evaluation of f).
	FirstStep float64
	// MinStep fails the adaptive solve with ErrStepSize below it; 0 means
	// only the floating-point limit.
	MinStep float64
	// MaxStep bounds the adaptive step size; 0 means the whole interval.
	MaxStep float64
	// MaxSteps bounds the attempted (accepted plus rejected) steps; 0
	// means DefaultMaxSteps.
	MaxSteps int
	// Stops makes adaptive steps land on every output time instead of
	// reading the interior ones from the dense output. (Fixed steps always
	// land on them.)
	Stops bool
}

// StepRecord describes an accepted step to [Hooks].Step. Its slices belong
// to the solver and are valid only during the call.
type StepRecord struct {
	T, H   float64     // start time and signed size of the step
	Stages [][]float64 // Stages[i] = Y_i, the state stage i evaluated f at (Stages[0] is y at T)
	K      [][]float64 // K[i] = k_i = f(T + C[i]·H, Y_i)
}

// Hooks observe a run of [RK]; nil fields are skipped.
type Hooks struct {
	// Step is called after every accepted step, before the outputs it
	// covers are reported.
	Step func(r *StepRecord)
	// Output is called for every output time ts[i], i ≥ 1, with the index
	// (among accepted steps, from 0) of the step it was read from and θ:
	// ts[i] = T + θ·H of that step. θ == 1 means the step's end state
	// exactly; θ < 1 means the dense output y + H Σ w_i(θ) k_i.
	Output func(i, step int, theta float64)
}

// RK integrates dy/dt = f(t, y) with the explicit Runge–Kutta method tb from
// ts[0] to ts[len(ts)−1] and returns the state at every time of ts (out[0]
// is a copy of y0; y0 is not modified). ts must be finite and strictly
// increasing or strictly decreasing (backward integration).
//
// With o.Dt > 0 the steps are fixed (see RKOptions.Dt). Otherwise the step
// size is adapted: a step is accepted when the weighted RMS norm of its
// error estimate, with weights ATol + RTol·max(|y_i|, |y_new,i|), is at most
// 1, and the next step is h·min(10, max(0.2, 0.9·err^(−1/(q+1)))) with q
// the embedded order (at most h after a rejection): the controller of
// Hairer, Nørsett and Wanner (Solving ODEs I, §II.4) and of SciPy's
// solve_ivp. Interior output times come from the dense output at no extra
// evaluations unless o.Stops is set.
//
// Errors: ErrInput (bad arguments, missing or conflicting tolerances),
// ErrNotFinite (NaN or Inf in y0, or in the state during the run, or for
// every trial step size), ErrStepLimit, ErrStepSize, and a *FuncError
// wrapping the error f returned.
func RK(tb *Tableau, f FuncE, y0 []float64, ts []float64, o RKOptions, hooks *Hooks) ([][]float64, Stats, error) {
	var r rkRun
	if err := r.init(tb, f, y0, ts, o, hooks); err != nil {
		return nil, r.st, err
	}
	out := make([][]float64, len(ts))
	out[0] = append([]float64(nil), y0...)
	r.out = out
	var err error
	if len(ts) > 1 {
		if o.Dt > 0 {
			err = r.fixed()
		} else {
			err = r.adaptive()
		}
	}
	if err != nil {
		return nil, r.st, err
	}
	return out, r.st, nil
}

// rkRun is the state and scratch of one RK run.
type rkRun struct {
	tb    *Tableau
	f     FuncE
	o     RKOptions
	hooks *Hooks
	ts    []float64
	out   [][]float64
	st    Stats
	dir   float64

	t        float64
	y, ynew  []float64
	ys, k    [][]float64
	w        []float64 // dense weights
	k0ok     bool      // k[0] holds f(t, y)
	next     int       // next output index
	rec      StepRecord
	accepted int
}

func (r *rkRun) init(tb *Tableau, f FuncE, y0 []float64, ts []float64, o RKOptions, hooks *Hooks) error {
	switch {
	case tb == nil:
		return inputErr("nil tableau")
	case len(tb.B) == 0 || len(tb.C) != len(tb.B) || len(tb.A) != len(tb.B):
		return inputErr("tableau %q: C, A and B must have the same positive length", tb.Name)
	case f == nil:
		return inputErr("nil right-hand side")
	case len(y0) == 0:
		return inputErr("empty y0 (len(y0) == 0)")
	case len(ts) == 0:
		return inputErr("no output times: ts must hold at least the start time")
	}
	for i, a := range tb.A {
		if len(a) != i {
			return inputErr("tableau %q: row A[%d] has length %d, want %d (explicit methods only)", tb.Name, i, len(a), i)
		}
	}
	if tb.E != nil && len(tb.E) != len(tb.B) {
		return inputErr("tableau %q: E has length %d, want %d", tb.Name, len(tb.E), len(tb.B))
	}
	var err error
	if r.dir, err = checkTimes(ts); err != nil {
		return err
	}
	if math.IsInf(ts[len(ts)-1]-ts[0], 0) {
		return inputErr("the interval [%g, %g] is too long: t1 − t0 overflows", ts[0], ts[len(ts)-1])
	}
	if err := o.check(tb); err != nil {
		return err
	}
	if i := firstNonFinite(y0); i >= 0 {
		return finiteErr(y0, i, ts[0], "y0")
	}
	n, s := len(y0), len(tb.B)
	r.tb, r.f, r.o, r.hooks, r.ts = tb, f, o, hooks, ts
	r.t = ts[0]
	r.y = append([]float64(nil), y0...)
	r.ynew = make([]float64, n)
	r.ys, r.k = make([][]float64, s), make([][]float64, s)
	for i := range r.k {
		r.ys[i], r.k[i] = make([]float64, n), make([]float64, n)
	}
	r.w = make([]float64, s)
	r.next = 1
	return nil
}

func (o RKOptions) check(tb *Tableau) error {
	switch {
	case math.IsNaN(o.Dt) || math.IsInf(o.Dt, 0) || o.Dt < 0:
		return inputErr("Dt=%g must be positive and finite for fixed steps, or 0 for adaptive steps", o.Dt)
	case o.Dt > 0 && (o.RTol != 0 || o.ATol != 0):
		return inputErr("set either Dt (fixed steps) or RTol and ATol (adaptive steps), not both (Dt=%g, RTol=%g, ATol=%g)", o.Dt, o.RTol, o.ATol)
	case o.Dt > 0:
		return nil
	case tb.E == nil:
		return inputErr("%s has no error estimate, so it cannot adapt its steps: set a fixed step Dt > 0", tb.Name)
	case o.RTol == 0 && o.ATol == 0:
		return inputErr("adaptive steps need RTol and ATol: there is no default accuracy; set both (e.g. RTol 1e-6, ATol 1e-9) or a fixed step Dt")
	case !(o.RTol > 0) || !(o.ATol > 0) || math.IsInf(o.RTol, 0) || math.IsInf(o.ATol, 0):
		return inputErr("RTol=%g and ATol=%g must both be positive and finite", o.RTol, o.ATol)
	}
	return checkStepBounds(o.FirstStep, o.MinStep, o.MaxStep, o.MaxSteps, "the whole interval")
}

func (r *rkRun) eval(t float64, y, d []float64) error {
	r.st.NFE++
	if err := r.f(t, y, d); err != nil {
		return &FuncError{T: t, Err: err}
	}
	return nil
}

// trial computes one step of signed size h from (r.t, r.y) into r.ynew and
// returns the scaled RMS error estimate (0 without one).
func (r *rkRun) trial(h float64) (float64, error) {
	tb, y, k, ys := r.tb, r.y, r.k, r.ys
	if !r.k0ok {
		if err := r.eval(r.t, y, k[0]); err != nil {
			return 0, err
		}
		r.k0ok = true
	}
	copy(ys[0], y)
	for i := 1; i < len(tb.B); i++ {
		yi := ys[i]
		copy(yi, y)
		for j, a := range tb.A[i] {
			if a == 0 {
				continue
			}
			ha, kj := h*a, k[j]
			for c := range yi {
				yi[c] += ha * kj[c]
			}
		}
		if err := r.eval(r.t+tb.C[i]*h, yi, k[i]); err != nil {
			return 0, err
		}
	}
	if tb.FSAL {
		copy(r.ynew, ys[len(ys)-1])
	} else {
		copy(r.ynew, y)
		for i, b := range tb.B {
			if b == 0 {
				continue
			}
			hb, ki := h*b, k[i]
			for c := range r.ynew {
				r.ynew[c] += hb * ki[c]
			}
		}
	}
	if r.o.Dt > 0 {
		return 0, nil
	}
	sum := 0.0
	for c := range y {
		e := 0.0
		for i, ei := range tb.E {
			if ei != 0 {
				e += ei * k[i][c]
			}
		}
		e *= h
		sc := r.o.ATol + r.o.RTol*math.Max(math.Abs(y[c]), math.Abs(r.ynew[c]))
		sum += (e / sc) * (e / sc)
	}
	return math.Sqrt(sum / float64(len(y))), nil
}

// accept makes the trial step of size h the new state at tNew and reports
// it and the outputs it covers.
func (r *rkRun) accept(h, tNew float64) error {
	r.st.Steps++
	if r.hooks != nil && r.hooks.Step != nil {
		r.rec = StepRecord{T: r.t, H: h, Stages: r.ys, K: r.k}
		r.hooks.Step(&r.rec)
	}
	for r.next < len(r.ts) && r.dir*(r.ts[r.next]-tNew) <= 0 {
		i, tt := r.next, r.ts[r.next]
		theta := 1.0
		if tt == tNew {
			r.out[i] = append([]float64(nil), r.ynew...)
		} else {
			theta = (tt - r.t) / h
			if !r.tb.DenseWeights(theta, r.w) {
				return inputErr("%s has no dense output: set Stops to land on the output times", r.tb.Name)
			}
			o := append([]float64(nil), r.y...)
			for s, w := range r.w {
				if w == 0 {
					continue
				}
				hw, ks := h*w, r.k[s]
				for c := range o {
					o[c] += hw * ks[c]
				}
			}
			r.out[i] = o
		}
		if r.hooks != nil && r.hooks.Output != nil {
			r.hooks.Output(i, r.accepted, theta)
		}
		r.next++
	}
	r.accepted++
	r.y, r.ynew = r.ynew, r.y
	r.t = tNew
	if r.tb.FSAL {
		last := len(r.k) - 1
		r.k[0], r.k[last] = r.k[last], r.k[0]
		r.k0ok = true
	} else {
		r.k0ok = false
	}
	if i := firstNonFinite(r.y); i >= 0 {
		return finiteErr(r.y, i, r.t, "state")
	}
	return nil
}

// fixed runs equal steps of at most Dt between consecutive output times.
func (r *rkRun) fixed() error {
	for seg := 1; seg < len(r.ts); seg++ {
		a, b := r.ts[seg-1], r.ts[seg]
		ratio := math.Abs(b-a) / r.o.Dt
		if ratio > 1<<40 {
			return inputErr("step Dt=%g is too small for the interval [%g, %g] (%.3g steps)", r.o.Dt, a, b, ratio)
		}
		n := math.Round(ratio)
		if math.Abs(ratio-n) > 1e-9*math.Max(1, ratio) {
			n = math.Ceil(ratio)
		}
		steps := max(int(n), 1)
		h := (b - a) / float64(steps)
		for k := 0; k < steps; k++ {
			if r.st.Steps >= r.maxSteps() && r.o.MaxSteps > 0 {
				return newErr(ErrStepLimit, r.t, "step limit of %d steps reached at t=%g", r.o.MaxSteps, r.t)
			}
			t0 := a + float64(k)*h
			t1 := a + float64(k+1)*h
			if k == steps-1 {
				t1 = b
			}
			r.t = t0
			if _, err := r.trial(t1 - t0); err != nil {
				return err
			}
			if err := r.accept(t1-t0, t1); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *rkRun) maxSteps() int {
	if r.o.MaxSteps == 0 {
		return DefaultMaxSteps
	}
	return r.o.MaxSteps
}

// adaptive runs the step-size controller from ts[0] to the last time.
func (r *rkRun) adaptive() error {
	t0, tEnd := r.ts[0], r.ts[len(r.ts)-1]
	c := newStepControl(r.tb.ErrOrder, r.o.MinStep, r.o.MaxStep, r.o.MaxSteps, t0, tEnd)
	if err := r.eval(t0, r.y, r.k[0]); err != nil {
		return err
	}
	r.k0ok = true
	if err := firstF(r.k[0], t0); err != nil {
		return err
	}
	h, err := c.start(r.o.FirstStep, func(hMax float64) (float64, error) {
		return hairerFirstStep(r.eval, r.t, r.dir, hMax, r.y, r.k[0], r.ynew, r.k[1], r.o.RTol, r.o.ATol, r.tb.ErrOrder)
	})
	if err != nil {
		return err
	}
	for r.next < len(r.ts) {
		target := tEnd
		if r.o.Stops {
			target = r.ts[r.next]
		}
		if err := c.before(r.st, r.t, h); err != nil {
			return err
		}
		last := false
		hs := r.dir * h
		if r.dir*(r.t+hs-target) >= 0 {
			hs, last = target-r.t, true
		}
		errNorm, err := r.trial(hs)
		if err != nil {
			return err
		}
		ok, hRetry, err := c.judge(&r.st, r.t, hs, errNorm)
		if err != nil {
			return err
		}
		if !ok {
			h = hRetry
			continue
		}
		tNew := r.t + hs
		if last {
			tNew = target
		}
		if err := r.accept(hs, tNew); err != nil {
			return err
		}
		fac := c.grow(errNorm)
		// A step shortened to land on an output time does not shrink the
		// next one below the size the controller chose before it.
		hNext := math.Abs(hs) * fac
		if last && r.o.Stops && fac >= 1 {
			hNext = math.Max(hNext, h)
		}
		h = math.Min(hNext, c.hMax)
	}
	return nil
}
